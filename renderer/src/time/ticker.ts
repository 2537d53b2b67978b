/**
 * The one clock every countdown on screen reads: a single interval, running only while something
 * listens, shaped as an external store for useSyncExternalStore. Rows subscribe to it with a
 * selector that returns a string or boolean, so React re-renders only the rows whose text changed,
 * and a thousand rows cost one timer.
 */

export interface Ticker {
  /** The time of the last tick (epoch ms); stable between ticks, as a store snapshot must be. */
  readonly now: () => number;
  readonly subscribe: (listener: () => void) => () => void;
}

export const createTicker = (
  periodMs = 1000,
  readClock: () => number = () => Date.now(),
): Ticker => {
  const listeners = new Set<() => void>();
  let current = readClock();
  let timer: ReturnType<typeof setInterval> | undefined;

  const tick = () => {
    current = readClock();
    for (const listener of [...listeners]) listener();
  };

  return {
    now: () => current,
    subscribe: (listener) => {
      listeners.add(listener);
      if (timer === undefined) {
        // The first listener may come long after the last tick: start from the present.
        current = readClock();
        timer = setInterval(tick, periodMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
};
