/**
 * The `tokendesk` command (docs/COMMAND-LINE.md) as the real-Electron and packaged specs run it:
 * the single executable `npm run build` makes (out/command/tokendesk) or the one the package ships
 * (resources/bin/tokendesk), started as a child process with a profile's environment (never the
 * developer's HOME or config folder), and what it leaves behind when it starts the app itself: an
 * app process outside Playwright's control, found in /proc and ended with its process group.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { SCHEMA_VERSION } from '../../../main/core/storage/store-schema';
import { appEnvironment, repoRoot, type Profile } from './electron/electron-harness';

/** What `npm run build` makes (scripts/build-command.ts). */
export const builtCommand = join(repoRoot, 'out', 'command', 'tokendesk');

/** The built command, failing the test with what to do when the build has not made it. */
export const requireBuiltCommand = (): string => {
  expect(existsSync(builtCommand), `${builtCommand} is missing: run \`npm run build\` first`).toBe(
    true,
  );
  return builtCommand;
};

/** Settings the developer's shell may have that would point the command elsewhere. */
const COMMAND_SETTINGS = ['TOKENDESK_APP', 'TOKENDESK_USER_DATA'] as const;

/**
 * The environment a command run gets: the app's for this profile (its XDG_CONFIG_HOME, so the
 * command finds the profile's channel, and the test display and bus, for an app it starts), HOME
 * in the profile too, and none of the command's own settings unless `extra` gives them.
 */
export const commandEnvironment = (
  profile: Profile,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> => {
  const env: Record<string, string> = { ...appEnvironment(profile), HOME: profile.dir };
  for (const name of COMMAND_SETTINGS) delete env[name];
  return { ...env, ...extra };
};

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCommand {
  readonly pid: number | undefined;
  /** Settles when the process has exited (killed after `timeoutMs`). */
  readonly done: Promise<CommandResult>;
  /** Kills it if it still runs (a test that failed must not leave it waiting on a prompt). */
  readonly kill: () => void;
}

export interface CommandOptions {
  readonly env: Readonly<Record<string, string>>;
  /** Killed after this long; the command's own limits are 60 s (a prompt) and 120 s. Default 100 s. */
  readonly timeoutMs?: number;
}

/** Starts `command args…` (no shell), stdin closed, stdout and stderr kept. */
export const startCommand = (
  command: string,
  args: readonly string[],
  { env, timeoutMs = 100_000 }: CommandOptions,
): RunningCommand => {
  const child = spawn(command, [...args], {
    env,
    cwd: env.HOME,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const kill = (): void => {
    if (running()) child.kill('SIGKILL');
  };
  const timer = setTimeout(kill, timeoutMs);
  timer.unref();
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // 'close', not 'exit': the output is whole once both pipes have closed.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid, done, kill };
};

export const runCommand = (
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> => startCommand(command, args, options).done;

/** Writes a store with nothing in it but command-line access turned on, as if the user had. */
export const writeStoreWithCommandLineAccess = (profile: Profile): void => {
  mkdirSync(profile.userData, { recursive: true, mode: 0o700 });
  writeFileSync(
    profile.storeFile,
    JSON.stringify({
      schemaVersion: SCHEMA_VERSION,
      providers: {},
      accounts: {},
      secrets: {},
      settings: { commandLineAccess: true },
    }),
    { mode: 0o600 },
  );
};

export interface ProcessFacts {
  readonly pid: number;
  /** Its process group: a detached start leads its own. */
  readonly pgid: number;
  /**
   * Its command line as words. Not argv as it was started: Chromium rewrites its main process's
   * arguments into one title, switches first (base::SetProcessTitleFromCommandLine), so the
   * words are split on spaces (the test's own paths hold none).
   */
  readonly words: readonly string[];
}

const factsOf = (pid: number): ProcessFacts | undefined => {
  try {
    const words = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split(/[\0 ]/)
      .filter((word) => word !== '');
    // The fields after the command name, which is in parentheses and may hold anything.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, pgid: Number(fields[2]), words };
  } catch {
    return undefined; // Gone meanwhile, or a kernel thread.
  }
};

/** The processes on this machine whose command lines satisfy `matches` (Linux: /proc). */
export const processesWhere = (matches: (words: readonly string[]) => boolean): ProcessFacts[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .map((entry) => factsOf(Number(entry)))
    .filter((facts): facts is ProcessFacts => facts !== undefined && matches(facts.words));

/**
 * The processes started with this profile's XDG_CONFIG_HOME in their environment: an app the
 * command started for it (and its helpers), however its command line reads. Linux: /proc.
 */
export const processesOfProfile = (profile: Profile): ProcessFacts[] => {
  const wanted = `XDG_CONFIG_HOME=${profile.configHome}`;
  return processesWhere(() => true).filter(({ pid }) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(wanted);
    } catch {
      return false; // Gone, or not ours to read.
    }
  });
};

/**
 * Ends these processes and everything in their process groups (Electron's zygotes, renderers and
 * GPU process share the main process's group), then waits, bounded, until no process of those
 * groups is left: one still ending may yet write into the profile.
 */
export const killProcessGroups = async (processes: readonly ProcessFacts[]): Promise<void> => {
  // Never the test's own group (a start that was not detached would share it).
  const own = factsOf(process.pid)?.pgid;
  const groups = new Set(processes.map(({ pgid }) => pgid).filter((pgid) => pgid !== own));
  const members = () =>
    processesWhere(() => true).filter(
      ({ pid, pgid }) =>
        (groups.has(pgid) || processes.some((p) => p.pid === pid)) && !isZombie(pid),
    );
  const deadline = Date.now() + 10_000;
  for (let left = members(); left.length > 0; left = members()) {
    if (Date.now() > deadline) {
      throw new Error(`processes ${left.map((p) => p.pid).join(', ')} did not end`);
    }
    for (const { pid, pgid } of left) {
      for (const target of groups.has(pgid) ? [-pgid, pid] : [pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** An ended process its parent has not reaped yet (the command's detached child, reaped by init). */
const isZombie = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true; // Gone.
  }
};
