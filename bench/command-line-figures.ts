/**
 * Figure 6 (issue 14): the `tokendesk` command, run as the built single executable
 * (out/command/tokendesk, scripts/build-command.ts) against a real core (bench/setup.ts: conf
 * store, AES-GCM secret box, an account connected to oidc-provider through the core's connect
 * flow) with its command-line channel open in a temp folder (TOKENDESK_USER_DATA), access on and
 * the account approved beforehand ("until Tokendesk quits": no prompt in any timed run).
 *
 * - 6a, start to exit for a fresh token: wall time from the spawn of `tokendesk token <account>`
 *   to its exit, against `node -e 0` (the Node the command was built from) and
 *   `tokendesk --version` (the command's start without the app round trip), the three arms in
 *   rotating order round by round so a slow spell hits all alike; medians. The core's background
 *   refresh is on, as in the app; the token is an hour from expiry, and the provider must see no
 *   refresh request during the runs (checked: otherwise the figure is not of a fresh token).
 * - 6b, N processes at once on an expired account: how many refresh requests reached the
 *   provider (single-flight through the Refresher says one), whether every process printed the
 *   same new token, and the wall time from the first spawn to the last exit against one process
 *   on the same expired setup (which pays the one refresh too), alternating, medians. Expiry
 *   comes from the core's clock moved forward (bench/setup.ts TravelClock), not from waiting;
 *   the provider keeps real time and rotates refresh tokens, so a second refresh with a spent
 *   token would fail. The background refresh is off there: it would refresh before the callers.
 *   A third arm starts as many `node -e 0` at once: on a machine with few cores most of the
 *   batch's time is process starts queueing for the CPU, which this arm shows on its own.
 *   The three arms run in rotating order, round by round.
 *
 * The spawner is the process the core runs in, as in the app, where the main process serves the
 * channel. Child processes get a minimal environment (PATH, a temp HOME, TOKENDESK_USER_DATA).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { answerCommandLine } from '../main/core/api/command-requests';
import { startCommandServer, type CommandServer } from '../main/core/api/command-server';
import { silentLogger } from '../main/core/ports';
import { ok } from '../tests/integration/core-fixture';
import { startOidcServer, type OidcServer } from '../tests/support/oidc-server';
import { connectOidcCore, TravelClock, type BenchCore } from './setup';
import { median, round, summarize, type Summary } from './stats';

export interface CommandLineSettings {
  /** 6a: timed rounds of the three arms, and untimed rounds before them. */
  readonly startRuns: number;
  readonly startWarmup: number;
  /** 6b: processes started at once, timed rounds (a batch and a single each), untimed rounds. */
  readonly processes: number;
  readonly concurrentRounds: number;
  readonly concurrentWarmup: number;
  /** Build out/command when it is missing or older than main/cli and shared/ (--no-build: not). */
  readonly build: boolean;
}

export interface CommandStartFigures {
  readonly runs: number;
  /** ms from spawn to exit of `tokendesk token <account>` (a fresh token, one app round trip). */
  readonly token: Summary;
  /** `tokendesk --version`: the command's own start, no round trip. */
  readonly version: Summary;
  /** `node -e 0`. */
  readonly node: Summary;
  /** Medians: token ÷ node, version ÷ node. */
  readonly tokenRatio: number;
  readonly versionRatio: number;
  /** Median token − median version: what the round trip to the app adds. */
  readonly roundTripMs: number;
  /** Refresh requests the provider saw during the timed and warm-up runs (must be 0). */
  readonly refreshRequests: number;
}

export interface CommandConcurrentFigures {
  readonly processes: number;
  readonly rounds: number;
  readonly refreshRequestsPerBatch: readonly number[];
  readonly maxRefreshRequests: number;
  /** Every process of every batch exited 0 and printed the batch's one new token. */
  readonly allGotTheSameNewToken: boolean;
  /** Processes of the timed batches that exited other than 0, and what the first one said. */
  readonly failedProcesses: number;
  readonly firstFailure?: string;
  /** ms from the first spawn to the last exit. */
  readonly batch: Summary;
  /** ms from spawn to exit of one process on an expired token. */
  readonly single: Summary;
  /** Median batch ÷ median single. */
  readonly ratio: number;
  /** ms from the first spawn to the last exit of as many `node -e 0` at once: the machine's part. */
  readonly nodeBatch: Summary;
  /** Median batch ÷ median node batch. */
  readonly batchVersusNodeBatch: number;
}

export interface CommandLineFigures {
  /** The executable, relative to the repository. */
  readonly executable: string;
  /** Why this run built it (missing, older than its sources), or undefined: it was current. */
  readonly built?: string;
  /** Set with --no-build when the executable is older than main/cli or shared/. */
  readonly stale?: string;
  readonly node: string;
  readonly start: CommandStartFigures;
  readonly concurrent: CommandConcurrentFigures;
}

export type CommandLineResult = CommandLineFigures | { readonly skipped: string };

const root = fileURLToPath(new URL('..', import.meta.url));
const executable = join(
  root,
  'out',
  'command',
  `tokendesk${process.platform === 'win32' ? '.exe' : ''}`,
);
const TWO_HOURS = 2 * 60 * 60 * 1000;

/** The newest modification time of the files under `dir`, in ms. */
const newestUnder = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce(
      (newest, entry) => Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs),
      0,
    );

/** Why the executable needs building, or undefined when it is there and newer than its sources. */
const whyBuild = (): string | undefined => {
  if (!existsSync(executable)) return 'it was missing';
  const sources = Math.max(
    newestUnder(join(root, 'main', 'cli')),
    newestUnder(join(root, 'shared')),
  );
  if (statSync(executable).mtimeMs < sources) return 'it was older than main/cli or shared/';
  return undefined;
};

const buildCommand = (progress: (message: string) => void, reason: string): void => {
  progress(`6. building out/command (scripts/build-command.ts): ${reason}`);
  const built = spawnSync('npx', ['tsx', join(root, 'scripts', 'build-command.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  // Its report goes to stderr: stdout carries the bench's result only.
  process.stderr.write(built.stdout ?? '');
  if (built.status !== 0) throw new Error(`build-command failed (exit ${built.status})`);
};

interface Exited {
  readonly startedAt: number;
  readonly exitedAt: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Child processes still running: killed if a figure fails half-way. */
const running = new Set<ChildProcess>();

/** Spawns `file args`; the times are performance.now() at the spawn call and at the exit event. */
const runProcess = (
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<Exited> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let exitedAt: number | undefined;
    let stdout = '';
    let stderr = '';
    child.once('exit', () => {
      exitedAt = performance.now();
    });
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.once('error', (error) => {
      running.delete(child);
      reject(error);
    });
    child.once('close', (code) => {
      running.delete(child);
      resolve({ startedAt, exitedAt: exitedAt ?? performance.now(), code, stdout, stderr });
    });
  });

const elapsed = (run: Exited): number => run.exitedAt - run.startedAt;

const expectExit0 = (what: string, run: Exited): Exited => {
  if (run.code !== 0)
    throw new Error(`${what} exited ${run.code}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
  return run;
};

interface Channel {
  readonly env: Readonly<Record<string, string>>;
  /** `tokendesk <args>` against this channel. */
  command(args: readonly string[]): Promise<Exited>;
  /** Approves the account "until Tokendesk quits" with one untimed run; no prompt after it. */
  approve(accountId: string): Promise<void>;
  close(): Promise<void>;
}

/** The core's command-line channel in a temp folder, access on, as the app opens it. */
const openChannel = async (bench: BenchCore): Promise<Channel> => {
  const home = mkdtempSync(join(tmpdir(), 'tokendesk-bench-command-'));
  const { core, api } = bench.fixture;
  let server: CommandServer | undefined;
  try {
    ok(await api.saveSettings({ commandLineAccess: true }));
    const userData = join(home, 'Tokendesk');
    server = await startCommandServer({
      userData,
      answer: (line, key) => answerCommandLine(line, key, core),
      logger: silentLogger,
    });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      TOKENDESK_USER_DATA: userData,
    };
    const opened = server;
    return {
      env,
      command: (args) => runProcess(executable, args, env),
      async approve(accountId) {
        const stop = core.events.on('commandLineChanged', ({ pending }) => {
          for (const prompt of pending) {
            try {
              core.commandLine.answer(prompt.id, 'allow', null);
            } catch {
              // Answered already by an earlier event of the same burst.
            }
          }
        });
        try {
          expectExit0('the approving run', await runProcess(executable, ['token', accountId], env));
        } finally {
          stop();
        }
      },
      async close() {
        await opened.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
};

const withChannel = async <T>(
  connect: Promise<BenchCore>,
  use: (bench: BenchCore, channel: Channel) => Promise<T>,
): Promise<T> => {
  const bench = await connect;
  try {
    const channel = await openChannel(bench);
    try {
      await channel.approve(bench.accountId);
      return await use(bench, channel);
    } finally {
      await channel.close();
    }
  } finally {
    bench.dispose();
  }
};

const measureStart = async (
  server: OidcServer,
  settings: CommandLineSettings,
  progress: (message: string) => void,
): Promise<CommandStartFigures> =>
  withChannel(connectOidcCore(server, { keepFresh: true }), async (bench, channel) => {
    const secrets = await bench.fixture.parts.repo.accountSecrets(bench.accountId);
    const held = secrets?.accessToken;
    if (held === undefined) throw new Error('the connected account holds no access token');
    server.resetCounts();

    type Arm = 'token' | 'version' | 'node';
    const arms: readonly Arm[] = ['token', 'version', 'node'];
    const runArm = async (arm: Arm): Promise<number> => {
      if (arm === 'node') {
        return elapsed(
          expectExit0('node -e 0', await runProcess(process.execPath, ['-e', '0'], channel.env)),
        );
      }
      if (arm === 'version') {
        const run = expectExit0('tokendesk --version', await channel.command(['--version']));
        if (!run.stdout.startsWith('tokendesk '))
          throw new Error(`--version printed ${run.stdout}`);
        return elapsed(run);
      }
      const run = expectExit0('tokendesk token', await channel.command(['token', bench.accountId]));
      if (run.stdout.trim() !== held)
        throw new Error('tokendesk token printed another token than the one held');
      return elapsed(run);
    };

    const times: Record<Arm, number[]> = { token: [], version: [], node: [] };
    const total = settings.startWarmup + settings.startRuns;
    for (let round = 0; round < total; round += 1) {
      const timed = round >= settings.startWarmup;
      for (let i = 0; i < arms.length; i += 1) {
        const arm = arms[(round + i) % arms.length]!;
        const ms = await runArm(arm);
        if (timed) times[arm].push(ms);
      }
      if (timed && (round - settings.startWarmup + 1) % 10 === 0)
        progress(`  6a. round ${round - settings.startWarmup + 1}/${settings.startRuns}`);
    }

    const refreshRequests = server.counts.refreshRequests;
    if (refreshRequests !== 0)
      throw new Error(
        `the provider saw ${refreshRequests} refresh request(s) during 6a: the token was not fresh throughout`,
      );
    const token = summarize(times.token);
    const version = summarize(times.version);
    const node = summarize(times.node);
    return {
      runs: settings.startRuns,
      token,
      version,
      node,
      tokenRatio: round(median(times.token) / median(times.node), 2),
      versionRatio: round(median(times.version) / median(times.node), 2),
      roundTripMs: round(median(times.token) - median(times.version)),
      refreshRequests,
    };
  });

const measureConcurrent = async (
  server: OidcServer,
  settings: CommandLineSettings,
  progress: (message: string) => void,
): Promise<CommandConcurrentFigures> => {
  const clock = new TravelClock();
  return withChannel(
    connectOidcCore(server, { keepFresh: false, clock }),
    async (bench, channel) => {
      const id = bench.accountId;
      const heldToken = async () =>
        (await bench.fixture.parts.repo.accountSecrets(id))?.accessToken;
      const expire = () => {
        clock.offset += TWO_HOURS;
      };

      const single = async (): Promise<number> => {
        expire();
        const before = await heldToken();
        const run = expectExit0('tokendesk token (expired)', await channel.command(['token', id]));
        if (run.stdout.trim() === before)
          throw new Error('one process on an expired token got the old token');
        return elapsed(run);
      };

      const counts: number[] = [];
      let allSame = true;
      let failures = 0;
      let firstFailure: string | undefined;
      const batch = async (record: boolean): Promise<number> => {
        expire();
        const before = await heldToken();
        server.resetCounts();
        const batchStart = performance.now();
        const runs = await Promise.all(
          Array.from({ length: settings.processes }, () => channel.command(['token', id])),
        );
        const ms = Math.max(...runs.map((run) => run.exitedAt)) - batchStart;
        if (record) {
          counts.push(server.counts.refreshRequests);
          const failed = runs.filter((run) => run.code !== 0);
          failures += failed.length;
          firstFailure ??= failed[0] && `exit ${failed[0].code}: ${failed[0].stderr.trim()}`;
          const first = runs[0]?.stdout.trim();
          if (
            first === undefined ||
            first === before ||
            failed.length > 0 ||
            runs.some((run) => run.stdout.trim() !== first)
          )
            allSame = false;
        }
        return ms;
      };

      // The machine's own cost of starting that many processes at once, for reading the batch.
      const nodeBatch = async (): Promise<number> => {
        const batchStart = performance.now();
        const runs = await Promise.all(
          Array.from({ length: settings.processes }, () =>
            runProcess(process.execPath, ['-e', '0'], channel.env),
          ),
        );
        for (const run of runs) expectExit0('node -e 0', run);
        return Math.max(...runs.map((run) => run.exitedAt)) - batchStart;
      };

      type Arm = 'single' | 'batch' | 'nodeBatch';
      const arms: readonly Arm[] = ['single', 'batch', 'nodeBatch'];
      const times: Record<Arm, number[]> = { single: [], batch: [], nodeBatch: [] };
      const total = settings.concurrentWarmup + settings.concurrentRounds;
      for (let round = 0; round < total; round += 1) {
        const timed = round >= settings.concurrentWarmup;
        for (let i = 0; i < arms.length; i += 1) {
          const arm = arms[(round + i) % arms.length]!;
          const ms =
            arm === 'single'
              ? await single()
              : arm === 'batch'
                ? await batch(timed)
                : await nodeBatch();
          if (timed) times[arm].push(ms);
        }
        if (timed)
          progress(
            `  6b. round ${round - settings.concurrentWarmup + 1}/${settings.concurrentRounds}`,
          );
      }
      const batches = times.batch;
      const singles = times.single;
      return {
        processes: settings.processes,
        rounds: settings.concurrentRounds,
        refreshRequestsPerBatch: counts,
        maxRefreshRequests: Math.max(...counts),
        allGotTheSameNewToken: allSame,
        failedProcesses: failures,
        ...(firstFailure !== undefined ? { firstFailure } : {}),
        batch: summarize(batches),
        single: summarize(singles),
        nodeBatch: summarize(times.nodeBatch),
        batchVersusNodeBatch: round(median(batches) / median(times.nodeBatch), 2),
        ratio: round(median(batches) / median(singles), 2),
      };
    },
  );
};

export const measureCommandLine = async (
  settings: CommandLineSettings,
  progress: (message: string) => void,
): Promise<CommandLineResult> => {
  let server: OidcServer | undefined;
  try {
    const reason = whyBuild();
    let built: string | undefined;
    let stale: string | undefined;
    if (reason !== undefined && (settings.build || !existsSync(executable))) {
      buildCommand(progress, reason);
      built = reason;
    } else if (reason !== undefined) {
      stale = reason;
      progress(`6. --no-build: out/command/tokendesk measured as it is (${reason})`);
    }
    // Rotation on, as many providers do: a second refresh with a spent token would fail.
    server = await startOidcServer({ rotateRefreshToken: true });
    progress(`6a. tokendesk token, fresh token (${settings.startRuns} rounds of three arms)`);
    const start = await measureStart(server, settings, progress);
    progress(`6b. ${settings.processes} tokendesk token processes at once on an expired token`);
    const concurrent = await measureConcurrent(server, settings, progress);
    return {
      executable: relative(root, executable).replaceAll('\\', '/'),
      ...(built !== undefined ? { built } : {}),
      ...(stale !== undefined ? { stale } : {}),
      node: process.version,
      start,
      concurrent,
    };
  } catch (error) {
    // One line, and the other figures stand.
    const message = error instanceof Error ? error.message : String(error);
    return { skipped: `could not be measured: ${message.split('\n')[0]}` };
  } finally {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
    await server?.stop();
  }
};
