/**
 * Starting Tokendesk a second time, as a user does from the launcher while it already runs: the
 * same executable with the same app, switches and environment as launchTokendesk gives the first
 * one (electron-harness.ts), started directly rather than through Playwright, so nothing but the
 * app decides when it ends. `--no-sandbox` is the switch Playwright adds to the first start on
 * Linux (Chromium's sandbox cannot start as root here).
 */
import { spawn } from 'node:child_process';
import { appEnvironment, passwordStoreSwitch, repoRoot, type Profile } from './electron-harness';
import type { ElectronRuntime } from './which-electron';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SecondStart {
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
  /** The exit, or undefined if the process is still running after `ms`. */
  exitWithin(ms: number): Promise<Exit | undefined>;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Kills it if it still runs (a test that failed must not leave it behind). */
  kill(): Promise<void>;
}

export const startAgain = ({
  runtime,
  profile,
  keyring = true,
}: {
  readonly runtime: ElectronRuntime;
  readonly profile: Profile;
  readonly keyring?: boolean;
}): SecondStart => {
  const child = spawn(
    runtime.executable,
    ['--no-sandbox', repoRoot, passwordStoreSwitch(keyring)],
    { cwd: repoRoot, env: appEnvironment(profile), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = (): boolean => child.exitCode === null && child.signalCode === null;

  return {
    exited,
    exitWithin: (ms) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), ms);
        void exited.then((exit) => {
          clearTimeout(timer);
          resolve(exit);
        });
      }),
    output: () => output,
    kill: async () => {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
};
