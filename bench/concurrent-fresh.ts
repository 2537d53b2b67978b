/**
 * Figure 2: 1000 concurrent `parts.refresher.freshToken(id)` calls on an account whose access token
 * has expired. Counted: refresh requests that reached the server (single-flight says one). Timed:
 * the wall time of the 1000 against one `freshToken` call on the same expired setup (which is one
 * refresh plus the token read), alternating the two after warm-up rounds, median of the rounds.
 *
 * Expiry comes from a clock moved two token lifetimes forward (the core's Clock port), not from
 * waiting; the server keeps real time, so its refresh token stays valid. The background refresh
 * timer is off: it would otherwise refresh the expired token before the callers do.
 */
import { median, round, summarize, timeAsync, type Summary } from './stats';
import type { BenchCore, TravelClock } from './setup';

export interface ConcurrentFreshOptions {
  readonly callers: number;
  readonly rounds: number;
  /** Untimed rounds first: the first batches pay for JIT compilation and a young heap. */
  readonly warmupRounds: number;
}

export interface ServerCounter {
  refreshRequests(): number;
  reset(): void;
}

export interface ConcurrentFreshResult {
  readonly callers: number;
  readonly rounds: number;
  /** Refresh requests the server received for each batch of concurrent callers. */
  readonly refreshRequestsPerBatch: readonly number[];
  readonly maxRefreshRequests: number;
  /** Whether every caller of every batch got the batch's one new access token. */
  readonly allCallersGotTheNewToken: boolean;
  readonly single: Summary;
  readonly batch: Summary;
  /** Median batch wall time / median single-call time. */
  readonly ratio: number;
}

const TWO_HOURS = 2 * 60 * 60 * 1000;

export const measureConcurrentFresh = async (
  bench: BenchCore,
  clock: TravelClock,
  server: ServerCounter,
  options: ConcurrentFreshOptions,
  progress: (message: string) => void,
): Promise<ConcurrentFreshResult> => {
  // The fresh-token path's owner, as a copy reaches it (the copy's clipboard write left out).
  const { refresher } = bench.fixture.parts;
  const id = bench.accountId;
  const expire = () => {
    clock.offset += TWO_HOURS;
  };

  const single = async (): Promise<number> => {
    expire();
    return timeAsync(() => refresher.freshToken(id));
  };

  const counts: number[] = [];
  let allGotIt = true;
  const batch = async (record: boolean): Promise<number> => {
    expire();
    // The stored (now expired) token, read without refreshing.
    const before = (await bench.fixture.parts.repo.accountSecrets(id))?.accessToken;
    server.reset();
    let tokens: string[] = [];
    const time = await timeAsync(async () => {
      const results = await Promise.all(
        Array.from({ length: options.callers }, () => refresher.freshToken(id)),
      );
      tokens = results.map((r) => r.accessToken);
    });
    if (record) {
      counts.push(server.refreshRequests());
      const first = tokens[0];
      if (first === before || tokens.some((t) => t !== first)) allGotIt = false;
    }
    return time;
  };

  for (let i = 0; i < options.warmupRounds; i += 1) {
    await single();
    await batch(false);
  }

  const singles: number[] = [];
  const batches: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    if (round % 2 === 0) {
      singles.push(await single());
      batches.push(await batch(true));
    } else {
      batches.push(await batch(true));
      singles.push(await single());
    }
    progress(`  round ${round + 1}/${options.rounds}`);
  }

  return {
    callers: options.callers,
    rounds: options.rounds,
    refreshRequestsPerBatch: counts,
    maxRefreshRequests: Math.max(...counts),
    allCallersGotTheNewToken: allGotIt,
    single: summarize(singles),
    batch: summarize(batches),
    ratio: round(median(batches) / median(singles)),
  };
};
