/**
 * How the repository's document reaches the disk: always whole (one atomic replace of the file,
 * so it never holds half a change), at the moment a save asks for. A refused write either throws
 * with nothing changed, or is remembered (unsavedSince) so that the next write that succeeds saves
 * what memory holds.
 */
import type { KeyValueStore, Logger } from '../ports';
import { CoreFailure } from '../core-failure';
import { ReadOnlyStoreError } from './read-only-kv';
import type { StoreDocument } from './store-schema';
import { messageOf } from '../../../shared/errors';

/**
 * How a save reaches the disk. By default it is written before the save returns, and a refused
 * write throws with memory left as it was.
 */
export interface SaveOptions {
  /**
   * A refused write keeps the change in memory (unsavedSince) instead of throwing: for what
   * exists nowhere else, such as a new grant from a reconnect.
   */
  readonly keepInMemoryOnFailure?: boolean;
  /**
   * Kept in memory at once and written on the next turn of the event loop, so whoever waits for
   * the result (a copy, a refresh) is answered without waiting for the disk; changes made in the
   * same turn share one write. A refused write is kept in memory as with keepInMemoryOnFailure.
   * Nothing is less durable for it: a crash before the write loses the change whether or not the
   * caller was answered first, and the write starts as soon as the answer is on its way.
   */
  readonly writeSoon?: boolean;
}

/** now: written, or thrown; keep: written, or kept in memory; soon: see SaveOptions.writeSoon. */
export type WriteMode = 'now' | 'keep' | 'soon';

export class DocumentWriter {
  private unsaved: number | undefined;
  /** A writeSoon change is in memory and not written yet. */
  private pending = false;
  /** The scheduled write of the pending changes, while there is one. */
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly kv: KeyValueStore,
    /** The document as memory holds it now: what a scheduled or retried write saves. */
    private readonly current: () => StoreDocument,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Set when a change could only be kept in memory; the next write then saves everything. */
  get unsavedSince(): number | undefined {
    return this.unsaved;
  }

  /**
   * Writes `next`, the whole document the caller is about to hold in memory; in 'soon' mode,
   * schedules the write of whatever memory holds then. Throws only in 'now' mode.
   */
  write(next: StoreDocument, mode: WriteMode): void {
    if (mode === 'soon') {
      this.pending = true;
      this.scheduled ??= new Promise<void>((resolve) => {
        setImmediate(() => {
          this.scheduled = undefined;
          this.saveUnsaved();
          resolve();
        });
      });
      return;
    }
    try {
      this.kv.store = next;
    } catch (error) {
      this.logger.error('store write failed', {
        message: messageOf(error),
      });
      if (mode === 'keep') {
        this.unsaved ??= this.now();
        this.pending = false;
        return;
      }
      // A store opened read-only says why; a disk error keeps the table's message, its words in
      // the traces.
      throw new CoreFailure(
        'storageWriteFailed',
        error instanceof ReadOnlyStoreError ? error.message : undefined,
        { traces: [messageOf(error)], cause: error },
      );
    }
    // The whole document went out: whatever was waiting is on disk too.
    this.unsaved = undefined;
    this.pending = false;
  }

  /**
   * Writes what only memory holds (a scheduled change, or one a refused write left), without
   * waiting for the next change. False when the disk still refuses it (logged; unsavedSince
   * stays). Never throws.
   */
  saveUnsaved(): boolean {
    if (this.unsaved === undefined && !this.pending) return true;
    this.write(this.current(), 'keep');
    return this.unsaved === undefined;
  }

  /** Resolves once the writeSoon changes made so far are written (or refused: unsavedSince). */
  written(): Promise<void> {
    return this.scheduled ?? Promise.resolve();
  }
}
