/**
 * The account list announced after an answer rather than before it. A refresh changes the list
 * twice (started, ended); announcing each at once would make the caller wait for the list to be
 * built and sent (structured-cloned to the renderer) before it gets its token. Instead the
 * announcement runs on a later turn of the event loop, once, for every change asked for until
 * then, and only after the pending writes: the status read with the list (unsavedSince) is then
 * already true.
 */
import type { Logger } from '../ports';
import { messageOf } from '../../../shared/errors';

export class LaterAnnouncement {
  private scheduled: Promise<void> | undefined;

  constructor(
    private readonly announce: () => void,
    /** Resolves once the changes made so far are written (Repository.written). */
    private readonly written: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  request(): void {
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

  /** Resolves once what was asked for so far is announced. */
  done(): Promise<void> {
    return this.scheduled ?? Promise.resolve();
  }
}
