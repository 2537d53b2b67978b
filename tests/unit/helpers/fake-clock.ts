/**
 * A Clock whose time only moves when a test says so. `advance(ms)` fires the timers that fall due
 * on the way, in order, letting promise callbacks settle after each, and refuses to spin forever:
 * more than `maxFirings` timers within one advance is reported as a timer loop.
 */
import type { Clock } from '../../../main/core/ports';

interface Timer {
  /** Moves on when the machine sleeps (sleep()). */
  at: number;
  readonly delay: number;
  readonly callback: () => void;
}

export interface PendingTimer {
  readonly at: number;
  readonly delay: number;
}

/** Lets resolved promises and their continuations run. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, Timer>();
  /** Every delay ever passed to setTimeout, in order. */
  readonly delays: number[] = [];

  constructor(start = Date.UTC(2025, 0, 15, 9, 0, 0)) {
    this.time = start;
  }

  // Arrow properties, not methods: this clock keeps working when a caller detaches a method
  // (`const now = clock.now`). Whether the core copes with method-style clocks is pinned down
  // separately in tests/unit/core/ports-clock.test.ts.
  readonly now = (): number => this.time;

  readonly setTimeout = (callback: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, delay: ms, callback });
    this.delays.push(ms);
    return id;
  };

  readonly clearTimeout = (handle: unknown): void => {
    if (typeof handle === 'number') this.timers.delete(handle);
  };

  /** Timers still armed, earliest first. */
  get pending(): readonly PendingTimer[] {
    return [...this.timers.values()]
      .sort((a, b) => a.at - b.at)
      .map(({ at, delay }) => ({ at, delay }));
  }

  async advance(ms: number, maxFirings = 200): Promise<void> {
    const target = this.time + ms;
    let firings = 0;
    for (;;) {
      await settle();
      let dueId: number | undefined;
      let due: Timer | undefined;
      for (const [id, timer] of this.timers) {
        if (timer.at <= target && (due === undefined || timer.at < due.at)) {
          dueId = id;
          due = timer;
        }
      }
      if (due === undefined || dueId === undefined) break;
      if (++firings > maxFirings) {
        throw new Error(`more than ${maxFirings} timers fired within ${ms} ms: a timer loop`);
      }
      this.time = Math.max(this.time, due.at);
      this.timers.delete(dueId);
      due.callback();
    }
    this.time = target;
    await settle();
  }

  /**
   * The machine sleeps for `ms`: the wall clock moves on, but timers do not count sleep (as in
   * Node on Linux and macOS), so each armed timer still waits what it had left when sleep began.
   */
  sleep(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.values()) timer.at += ms;
  }
}
