/**
 * A copied token leaves the clipboard after the delay the user chose, if it is still there (the
 * user may have copied something else since). The promise holds when the app quits before the
 * delay (the shell asks for the clear then) and after the machine slept through it (timers do
 * not count sleep).
 */
import type { Clipboard, Clock, Logger } from './ports';

interface PendingClear {
  readonly text: string;
  readonly at: number;
  readonly timer: unknown;
}

export class ClipboardGuard {
  private pending: PendingClear | undefined;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Writes `text`; answers when it will be cleared, when `clearMs` is set. */
  async copy(text: string, clearMs: number | undefined): Promise<number | undefined> {
    await this.clipboard.writeText(text);
    this.cancel();
    if (clearMs === undefined) return undefined;
    const at = this.clock.now() + clearMs;
    const timer = this.clock.setTimeout(() => void this.clearNow(), clearMs);
    this.pending = { text, at, timer };
    return at;
  }

  /** Writes text that is not a secret: never cleared, and a pending clear is left alone. */
  copyPlain(text: string): Promise<void> {
    return this.clipboard.writeText(text);
  }

  /** Whether a copied token is waiting to be cleared. */
  get hasPendingClear(): boolean {
    return this.pending !== undefined;
  }

  /** Clears the copied token now, if it is still on the clipboard. */
  async clearNow(): Promise<void> {
    const pending = this.pending;
    this.cancel();
    if (!pending) return;
    try {
      if ((await this.clipboard.readText()) === pending.text) await this.clipboard.writeText('');
    } catch (error) {
      this.logger.warn('could not clear the clipboard', { error: String(error) });
    }
  }

  /** After the machine woke: a clear whose time passed during sleep happens now. */
  async wake(): Promise<void> {
    if (this.pending && this.clock.now() >= this.pending.at) await this.clearNow();
  }

  cancel(): void {
    if (this.pending) this.clock.clearTimeout(this.pending.timer);
    this.pending = undefined;
  }
}
