/**
 * Figure 1: what the core adds to a refresh. Three arms, timed in turn:
 * - core: `core.accounts.refresh(id)` (what the Refresh button calls) until it answers: the
 *   request through oauth4webapi and the limited fetch, response processing, the new tokens held
 *   in memory. What the core does after answering (the AES-GCM encryption of the new secrets and
 *   the durable store write of the result, the account list event serialized as IPC would:
 *   SaveOptions.writeSoon, Repository.sealed) is then waited for before the next arm,
 *   untimed there and reported on its own (`afterAnswer`, and `untilSavedVersusFloor`: request
 *   to saved and announced, against the floor), so none of it falls on the other arms;
 * - raw: a raw `fetch` of the very request the core sent (same URL, headers and form body,
 *   captured from the core's fetch; same public-client authentication: `client_id` in the
 *   body), with the JSON body read;
 * - floor: the raw fetch followed by one bare durable write (temp file, fsync, rename) of the
 *   store file's bytes. No processing at all: the least any client that saves a refresh so that
 *   a crash cannot lose it pays. Its ratio to raw bounds the core's ratio from below.
 * Rotation is off, so every arm reuses the same refresh token. The core is also reported against
 * the floor, round by round: its own work beyond the least a durable client pays.
 *
 * After a warm-up the arms run in a rotating, alternately reversed order (ABC, CBA, BCA, ACB,
 * ...), so drift (JIT, GC, a busy neighbour) falls on all three. Reported per arm against raw:
 * the median of the per-round ratios, the ratio of the medians, and the difference of the
 * medians in ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { durableWrite } from './durable-write';
import { median, round, summarize, type Summary } from './stats';
import { rawRefresh, type BenchCore } from './setup';

export interface RefreshOverheadOptions {
  readonly samples: number;
  readonly warmup: number;
}

/** One arm measured against the raw arm. */
export interface VersusRaw {
  readonly summary: Summary;
  /** Median over the rounds of this arm's time / the raw time. */
  readonly medianPairRatio: number;
  /** This arm's median / the raw median. */
  readonly ratioOfMedians: number;
  /** This arm's median − the raw median, in ms. */
  readonly overheadMs: number;
}

export interface RefreshOverheadResult {
  readonly samples: number;
  readonly core: Summary;
  readonly raw: Summary;
  /** Median over the rounds of core time / raw time. */
  readonly medianPairRatio: number;
  /** Median core time / median raw time. */
  readonly ratioOfMedians: number;
  /** Median core time − median raw time, in ms: the core's own cost per refresh. */
  readonly overheadMs: number;
  /** The raw fetch plus a bare durable write of the store file: the floor for `core`. */
  readonly floor: VersusRaw;
  /**
   * The core against that floor, round by round: what the core adds beyond the least a client
   * that saves before answering must pay (issue 12's restated figure 1).
   */
  readonly coreVersusFloor: {
    readonly medianPairRatio: number;
    readonly ratioOfMedians: number;
    readonly overheadMs: number;
  };
  /** Size of the store file the core and the floor write, in bytes. */
  readonly storeFileBytes: number;
  /**
   * From the core's answer until the work it leaves for after the answer is done (the durable
   * write of the result, the account list event), per round. Not in `core`: the caller does not
   * wait for it.
   */
  readonly afterAnswer: Summary;
  /**
   * The core from the request until the result is on disk and announced (core + afterAnswer,
   * round by round) against the floor: the same durable work, counted whole.
   */
  readonly untilSavedVersusFloor: {
    readonly summary: Summary;
    readonly medianPairRatio: number;
    readonly overheadMs: number;
  };
}

const versusRaw = (arm: readonly number[], raw: readonly number[]): VersusRaw => {
  const rawMedian = median(raw);
  return {
    summary: summarize(arm),
    medianPairRatio: round(median(arm.map((t, i) => t / (raw[i] ?? Number.NaN)))),
    ratioOfMedians: round(median(arm) / rawMedian),
    overheadMs: round(median(arm) - rawMedian),
  };
};

/** Round i's order of the three arms: rotated by i, and reversed every other cycle. */
export const roundOrder = (i: number): readonly number[] => {
  const rotated = [0, 1, 2].map((arm) => (arm + i) % 3);
  return Math.floor(i / 3) % 2 === 0 ? rotated : rotated.reverse();
};

const timed = async (work: () => Promise<unknown> | void): Promise<number> => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

export const measureRefreshOverhead = async (
  bench: BenchCore,
  options: RefreshOverheadOptions,
  progress: (message: string) => void,
): Promise<RefreshOverheadResult> => {
  const { accounts } = bench.fixture.core;
  const refreshCore = () => accounts.refresh(bench.accountId);

  // The first refresh also proves the setup: it is the request the raw arm replays.
  await refreshCore();
  const request = bench.firstRefreshRequest();
  if (!request) throw new Error('the core sent no refresh request');
  const refreshRaw = () => rawRefresh(request);
  // The floor writes what the core's save writes, next to it (same file system).
  const storeText = readFileSync(bench.fixture.storeFile, 'utf8');
  const floorFile = join(bench.fixture.dir, 'floor-refresh.json');
  const refreshFloor = async () => {
    await rawRefresh(request);
    durableWrite(floorFile, storeText);
  };

  const arms = [refreshCore, refreshRaw, refreshFloor] as const;
  const times: [number[], number[], number[]] = [[], [], []];
  /** Per round: from the core's answer until its write and list event are done. */
  const afterAnswer: number[] = [];
  // What the core leaves for after its answer (the write, the list event) is waited for before
  // the next arm starts, untimed in the core's time and timed on its own: it never falls on the
  // raw or floor arm.
  const settle = async (): Promise<number> => timed(() => bench.fixture.core.settled());
  for (let i = 0; i < options.warmup; i += 1)
    for (const arm of arms) {
      await arm();
      await settle();
    }
  for (let i = 0; i < options.samples; i += 1) {
    for (const index of roundOrder(i)) {
      times[index]!.push(await timed(arms[index]!));
      if (index === 0) afterAnswer.push(await settle());
    }
    if ((i + 1) % 100 === 0) progress(`  ${i + 1}/${options.samples} rounds`);
  }

  const [core, raw, floor] = times;
  const coreVersusRaw = versusRaw(core, raw);
  const untilSaved = core.map((t, i) => t + (afterAnswer[i] ?? Number.NaN));
  const savedVersusFloor = versusRaw(untilSaved, floor);
  return {
    samples: options.samples,
    core: coreVersusRaw.summary,
    raw: summarize(raw),
    medianPairRatio: coreVersusRaw.medianPairRatio,
    ratioOfMedians: coreVersusRaw.ratioOfMedians,
    overheadMs: coreVersusRaw.overheadMs,
    floor: versusRaw(floor, raw),
    coreVersusFloor: (({ medianPairRatio, ratioOfMedians, overheadMs }) => ({
      medianPairRatio,
      ratioOfMedians,
      overheadMs,
    }))(versusRaw(core, floor)),
    storeFileBytes: Buffer.byteLength(storeText),
    afterAnswer: summarize(afterAnswer),
    untilSavedVersusFloor: {
      summary: savedVersusFloor.summary,
      medianPairRatio: savedVersusFloor.medianPairRatio,
      overheadMs: savedVersusFloor.overheadMs,
    },
  };
};
