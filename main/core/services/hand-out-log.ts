/**
 * What the `tokendesk` command was handed, for the user to look at in Settings: time, account,
 * subcommand, the command line that asked and the outcome. Never a token. Newest first, the
 * last MAX_ENTRIES kept; written on the next turn, so fifty requests at once make one write.
 */
import type { HandOutEntry } from '../../../shared/model';
import { messageOf } from '../../../shared/errors';
import type { Logger } from '../ports';
import type { HandOutLogFile } from '../storage/hand-out-log-file';

export const MAX_LOG_ENTRIES = 500;

export class HandOutLog {
  private entries: HandOutEntry[];
  private writing = false;

  constructor(
    private readonly file: HandOutLogFile | undefined,
    private readonly logger: Logger,
    private readonly changed: () => void,
  ) {
    this.entries = file?.load().slice(0, MAX_LOG_ENTRIES) ?? [];
  }

  list(): readonly HandOutEntry[] {
    return this.entries;
  }

  add(entry: HandOutEntry): void {
    this.entries = [entry, ...this.entries].slice(0, MAX_LOG_ENTRIES);
    this.saveSoon();
    this.changed();
  }

  clear(): void {
    this.entries = [];
    this.saveSoon();
    this.changed();
  }

  private saveSoon(): void {
    if (this.writing || !this.file) return;
    this.writing = true;
    setImmediate(() => this.flush());
  }

  /** Writes what is pending now (also before quitting). A refused write is logged, not thrown. */
  flush(): void {
    if (!this.file || !this.writing) return;
    this.writing = false;
    try {
      this.file.save(this.entries);
    } catch (error) {
      this.logger.warn('the hand-out log could not be saved', { reason: messageOf(error) });
    }
  }
}
