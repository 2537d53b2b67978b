/**
 * Small statistics and timing helpers for the benchmarks. Medians, not means: the build machines
 * are shared and noisy, and one GC pause or scheduler hiccup should not move a figure.
 */
import { performance } from 'node:perf_hooks';

export interface Summary {
  readonly n: number;
  /** Milliseconds, rounded to microseconds. */
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/** Linear-interpolated quantile of an unsorted sample (q in [0, 1]). */
export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) throw new Error('quantile of an empty sample');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  const low = sorted[below] ?? 0;
  const high = sorted[above] ?? low;
  return low + (high - low) * (position - below);
};

export const median = (values: readonly number[]): number => quantile(values, 0.5);

export const round = (value: number, digits = 3): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const summarize = (values: readonly number[]): Summary => ({
  n: values.length,
  median: round(median(values)),
  p10: round(quantile(values, 0.1)),
  p90: round(quantile(values, 0.9)),
  min: round(Math.min(...values)),
  max: round(Math.max(...values)),
});

/** Milliseconds one call of `work` took, from the call to its settlement. */
export const timeAsync = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

export const timeSync = (work: () => unknown): number => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

/** A target and whether a figure met it, printed next to the figure (never asserted). */
export interface Verdict {
  readonly target: string;
  readonly pass: boolean;
}

export const atMost = (value: number, limit: number, unit = '×'): Verdict => ({
  target: `≤ ${limit}${unit}`,
  pass: value <= limit,
});

export const exactly = (value: number, wanted: number): Verdict => ({
  target: `= ${wanted}`,
  pass: value === wanted,
});

export const mark = (verdict: Verdict): string => (verdict.pass ? 'PASS' : 'FAIL');
