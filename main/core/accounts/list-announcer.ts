/**
 * Announces the account list (to the renderer, the tray, the keep-fresh timer) after it changed.
 *
 * Most changes are announced at once (`now`). A refresh's are announced later (`later`): a
 * refresh changes the list twice (started, ended), and announcing each at once would make the
 * caller wait for the list to be built and sent (structured-cloned to the renderer) before it
 * gets its token. Those run on a later turn of the event loop, once for every change asked for
 * until then, and only after the pending writes: the status read with the list
 * (unsavedSince) is then already true.
 *
 * What an announcement does is given once everything that reads the list exists (core.ts), so
 * the parts that change the list are built first and told only this object.
 */
import { messageOf } from '../../../shared/errors';
import type { Logger } from '../ports';

export class AccountListAnnouncer {
  private announce: () => void = () => undefined;
  private scheduled: Promise<void> | undefined;

  constructor(
    /** Resolves once the changes made so far are written (Repository.written). */
    private readonly written: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** What an announcement does; set once, when the list's readers exist. */
  announceWith(announce: () => void): void {
    this.announce = announce;
  }

  now(): void {
    this.announce();
  }

  later(): void {
    this.scheduled ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        void this.written()
          .then(() => {
            // Cleared first: a change asked for from here on gets an announcement of its own.
            this.scheduled = undefined;
            this.announce();
          })
          .catch((error: unknown) => {
            // Nobody awaits this: a listener's failure is logged, not left unhandled.
            this.logger.error('could not announce the account list', {
              message: messageOf(error),
            });
          })
          .finally(resolve);
      });
    });
  }

  /** Resolves once what was asked for later so far is announced. */
  done(): Promise<void> {
    return this.scheduled ?? Promise.resolve();
  }
}
