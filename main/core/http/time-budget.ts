/**
 * One time limit for a whole refresh, however many requests it makes. A refresh whose answer was
 * lost is retried once (refresher.ts); with a fresh limit per request, a provider that hangs made
 * Copy wait twice the limit. The retry gets what is left of the one budget instead, so the user
 * waits at most the limit set (`HttpLimits.timeoutMs`). Counted on the core's clock port, which
 * tests replace with a fake one.
 */
import type { Clock } from '../ports';
import { markTimeLimiting, TimedOut, type FetchLike } from './http-client';

export class TimeBudget {
  /** When the budget is spent, on the clock's time line. */
  readonly deadline: number;
  /** Armed on first use: a copy that needs no request costs no timer. */
  private controller: AbortController | undefined;
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    readonly limitMs: number,
  ) {
    this.deadline = clock.now() + limitMs;
  }

  /** Aborts, with a `TimedOut` as its reason, when the budget is spent. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      const expire = () => controller.abort(new TimedOut(this.limitMs));
      const remaining = this.deadline - this.clock.now();
      if (remaining <= 0) expire();
      else this.timer = this.clock.setTimeout(expire, remaining);
      markTimeLimiting(controller.signal);
    }
    return this.controller.signal;
  }

  get spent(): boolean {
    return this.signal.aborted;
  }

  remainingMs(): number {
    return this.spent ? 0 : Math.max(0, this.deadline - this.clock.now());
  }

  /** `base`, with each request also aborted when the budget is spent. */
  bound(base: FetchLike): FetchLike {
    return (input, init) =>
      base(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, this.signal]) : this.signal,
      });
  }

  /**
   * Settles as `work` does, or rejects with the `TimedOut` when the budget is spent first. The
   * work itself goes on (a discovery shared with other callers); only the wait ends.
   */
  race<T>(work: Promise<T>): Promise<T> {
    const { signal } = this;
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops the timer once the work is over. */
  end(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }
}
