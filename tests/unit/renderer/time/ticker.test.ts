import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTicker } from '../../../../renderer/src/time/ticker';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('the shared ticker', () => {
  it('runs one interval however many listen, and stops when the last one leaves', () => {
    vi.useFakeTimers();
    const setIntervalSpy = vi.spyOn(globalThis, 'setInterval');
    const clearIntervalSpy = vi.spyOn(globalThis, 'clearInterval');
    const ticker = createTicker();
    const heard: number[] = [];
    const offs = Array.from({ length: 50 }, (_, i) => ticker.subscribe(() => heard.push(i)));
    expect(setIntervalSpy).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(1000);
    expect(heard).toHaveLength(50);

    for (const off of offs) off();
    expect(clearIntervalSpy).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps its time between ticks (a stable store snapshot) and moves it on each tick', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const ticker = createTicker();
    const off = ticker.subscribe(() => undefined);
    expect(ticker.now()).toBe(1_000_000);
    vi.advanceTimersByTime(999);
    expect(ticker.now()).toBe(1_000_000);
    vi.advanceTimersByTime(1);
    expect(ticker.now()).toBe(1_001_000);
    off();
  });

  it('starts from the present when the first listener comes long after it was made', () => {
    vi.useFakeTimers({ now: 0 });
    const ticker = createTicker();
    vi.setSystemTime(600_000);
    const off = ticker.subscribe(() => undefined);
    expect(ticker.now()).toBe(600_000);
    off();
  });
});
