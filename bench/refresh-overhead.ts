/**
 * Figure 1: what the core adds to a refresh. One arm is `core.accounts.refreshNow(id)`: the
 * request through oauth4webapi and the limited fetch, response processing, AES-GCM encryption of
 * the new secrets, the atomic store write, and two change events serialized as IPC would. The
 * other arm is a raw `fetch` of the very request the core sent (same URL, headers and form body,
 * captured from the core's fetch; same public-client authentication: `client_id` in the body),
 * with the JSON body read. Rotation is off, so both arms reuse the same refresh token.
 *
 * The arms alternate in ABBA order after a warm-up, so drift (JIT, GC, a busy neighbour) falls
 * on both. Reported: the median of the per-pair ratios core/raw, the ratio of the two medians,
 * and the absolute difference of the medians in ms.
 */
import { performance } from 'node:perf_hooks';
import { median, round, summarize, type Summary } from './stats';
import { rawRefresh, type BenchCore } from './setup';

export interface RefreshOverheadOptions {
  readonly samples: number;
  readonly warmup: number;
}

export interface RefreshOverheadResult {
  readonly samples: number;
  readonly core: Summary;
  readonly raw: Summary;
  /** Median over the pairs of core time / raw time. */
  readonly medianPairRatio: number;
  /** Median core time / median raw time. */
  readonly ratioOfMedians: number;
  /** Median core time − median raw time, in ms: the core's own cost per refresh. */
  readonly overheadMs: number;
}

export const measureRefreshOverhead = async (
  bench: BenchCore,
  options: RefreshOverheadOptions,
  progress: (message: string) => void,
): Promise<RefreshOverheadResult> => {
  const { accounts } = bench.fixture.core;
  const refreshCore = async (): Promise<number> => {
    const start = performance.now();
    await accounts.refreshNow(bench.accountId);
    return performance.now() - start;
  };

  // The first refresh also proves the setup: it is the request the raw arm replays.
  await refreshCore();
  const request = bench.firstRefreshRequest();
  if (!request) throw new Error('the core sent no refresh request');
  const refreshRaw = async (): Promise<number> => {
    const start = performance.now();
    await rawRefresh(request);
    return performance.now() - start;
  };

  for (let i = 0; i < options.warmup; i += 1) {
    await refreshCore();
    await refreshRaw();
  }

  const core: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < options.samples; i += 1) {
    // ABBA: core first on even pairs, raw first on odd ones.
    if (i % 2 === 0) {
      core.push(await refreshCore());
      raw.push(await refreshRaw());
    } else {
      raw.push(await refreshRaw());
      core.push(await refreshCore());
    }
    if ((i + 1) % 100 === 0) progress(`  ${i + 1}/${options.samples} pairs`);
  }

  const pairRatios = core.map((c, i) => c / (raw[i] ?? Number.NaN));
  const coreMedian = median(core);
  const rawMedian = median(raw);
  return {
    samples: options.samples,
    core: summarize(core),
    raw: summarize(raw),
    medianPairRatio: round(median(pairRatios)),
    ratioOfMedians: round(coreMedian / rawMedian),
    overheadMs: round(coreMedian - rawMedian),
  };
};
