/**
 * Keeps tokens fresh in the background with one timer for the whole app, set to the next
 * account due. Failures back off with jitter; an account that needs reconnecting drops out;
 * when nothing is due there is no timer at all.
 */
import type { Clock, Logger } from '../ports';
import { CoreFailure } from '../core-failure';
import type { StoredAccount } from '../storage/store-schema';
import { backoffDelay, refreshLead } from './timing';

/** setTimeout's ceiling (about 24.8 days); later deadlines are re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface KeepFreshDeps {
  readonly accounts: () => readonly StoredAccount[];
  readonly refresh: (accountId: string) => Promise<unknown>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

export class KeepFresh {
  private timer: unknown;
  private timerDueAt: number | undefined;
  /**
   * Background failures being backed off, by account, for the tokens (`obtainedAt`) they failed
   * to refresh: new tokens from anywhere (Refresh, a copy, a reconnect) end the back-off.
   */
  private readonly failures = new Map<
    string,
    { attempts: number; retryAt: number; obtainedAt: number }
  >();
  /**
   * Accounts whose refresh token the provider refused, by the `obtainedAt` of the tokens it
   * refused. Their status normally says so, but if that status could not be saved the scheduler
   * must still not send the refused token again; new tokens (a reconnect) change `obtainedAt`.
   */
  private readonly refused = new Map<string, number>();
  private running = false;
  private stopped = false;

  constructor(private readonly deps: KeepFreshDeps) {}

  /** When the timer will fire next, or undefined when no timer is set. */
  get nextRunAt(): number | undefined {
    return this.timerDueAt;
  }

  dueAt(account: StoredAccount): number | undefined {
    if (
      account.status === 'reconnect-needed' ||
      // A machine account has no refresh token: it asks for a new token the same way.
      (!account.hasRefreshToken && account.machine === undefined) ||
      account.expiresAt === null ||
      // A token issued already expired (expires_in 0) is refreshed when it is used, never on a
      // timer: each refresh would bring another and the timer would loop.
      account.expiresAt <= account.obtainedAt
    ) {
      return undefined;
    }
    if (this.refused.get(account.id) === account.obtainedAt) return undefined;
    const failure = this.failures.get(account.id);
    return failure?.obtainedAt === account.obtainedAt
      ? failure.retryAt
      : account.expiresAt - refreshLead(account);
  }

  /** Re-arms the one timer for the earliest due account; call after any account change. */
  reschedule(): void {
    if (this.stopped || this.running) return;
    let next: number | undefined;
    for (const account of this.deps.accounts()) {
      const due = this.dueAt(account);
      if (due !== undefined && (next === undefined || due < next)) next = due;
    }
    const present = new Map(this.deps.accounts().map((a) => [a.id, a.obtainedAt]));
    for (const [id, failure] of this.failures)
      if (present.get(id) !== failure.obtainedAt) this.failures.delete(id);
    for (const id of this.refused.keys()) if (!present.has(id)) this.refused.delete(id);
    if (next === this.timerDueAt) return;
    this.clear();
    if (next === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, next - this.deps.clock.now()));
    this.timerDueAt = next;
    this.timer = this.deps.clock.setTimeout(() => void this.fire(), delay);
  }

  /**
   * After the machine slept: timers do not count sleep, so the one armed before may fire long
   * after its time. Re-armed from now: what fell due during sleep runs at once.
   */
  wake(): void {
    if (this.stopped || this.running) return;
    this.clear();
    this.reschedule();
  }

  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = undefined;
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.timerDueAt = undefined;
    this.running = true;
    try {
      const now = this.deps.clock.now();
      const due = this.deps.accounts().filter((account) => {
        const at = this.dueAt(account);
        return at !== undefined && at <= now;
      });
      await Promise.all(due.map((account) => this.refreshOne(account)));
    } finally {
      this.running = false;
      this.reschedule();
    }
  }

  private async refreshOne(account: StoredAccount): Promise<void> {
    const accountId = account.id;
    try {
      await this.deps.refresh(accountId);
      this.failures.delete(accountId);
    } catch (error) {
      const failure = error instanceof CoreFailure ? error : undefined;
      if (
        failure?.errorName === 'reconnectNeeded' ||
        failure?.errorName === 'noRefreshToken' ||
        failure?.errorName === 'secretUnreadable'
      ) {
        // Retrying cannot help until the user signs in again (or, for tokens this session cannot
        // decrypt, until a start with the keyring that wrote them).
        this.failures.delete(accountId);
        this.refused.set(accountId, account.obtainedAt);
        return;
      }
      const previous = this.failures.get(accountId);
      const attempts = (previous?.obtainedAt === account.obtainedAt ? previous.attempts : 0) + 1;
      const retryAt = this.deps.clock.now() + backoffDelay(attempts, this.deps.random);
      this.failures.set(accountId, { attempts, retryAt, obtainedAt: account.obtainedAt });
      this.deps.logger.warn('background refresh failed; backing off', {
        accountId,
        attempts,
        retryAt,
      });
    }
  }
}
