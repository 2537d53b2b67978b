/**
 * A window manager on the test display, for the tests about what only a window manager does:
 * minimizing and maximizing are requests to it, and without one (the test display has none) they
 * change nothing. Openbox (Debian: openbox) is started for one test and stopped after it, so the
 * other tests keep the bare display they expect. A display that has a window manager already (a
 * developer's desktop) is used as it is.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { hasWindowManager, noXTools } from './x-windows';

export interface WindowManager {
  stop(): Promise<void>;
}

const START_WITHIN_MS = 10_000;
const POLL_MS = 100;

const onPath = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Openbox, with what it printed kept for the message if it never comes up. */
const spawnOpenbox = (said: string[]): ChildProcess => {
  // --replace: the openbox an earlier test stopped may still hold the display's window-manager
  // selection for a moment after its process ended (the X server has not yet seen it go); a
  // plain start then exits at once with "a window manager is already running" (CI saw it).
  const child = spawn('openbox', ['--sm-disable', '--replace'], {
    env: process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => said.push(text.trim()));
  return child;
};

/** A window manager running on the display, or why there cannot be one. */
export const startWindowManager = async (): Promise<
  WindowManager | { readonly reason: string }
> => {
  const noTools = noXTools();
  if (noTools) return { reason: noTools };
  if (hasWindowManager()) return { stop: () => Promise.resolve() };
  if (!onPath('openbox')) {
    return {
      reason:
        'no window manager on the test display, and none to start (Debian: apt-get install openbox)',
    };
  }
  const said: string[] = [];
  let child = spawnOpenbox(said);
  let starts = 1;
  const stop = async (): Promise<void> => {
    const running = child;
    if (running.exitCode === null && running.signalCode === null) {
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const killer = setTimeout(() => running.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    // Gone from the display too, not only as a process: the next test expects a bare display.
    for (let waited = 0; waited < START_WITHIN_MS && hasWindowManager(); waited += POLL_MS) {
      await pause(POLL_MS);
    }
  };
  // It is up once it has announced itself on the root window (EWMH). One that ended early is
  // started again until the time is up.
  for (let waited = 0; waited < START_WITHIN_MS; waited += POLL_MS) {
    if (hasWindowManager()) return { stop };
    if (child.exitCode !== null || child.signalCode !== null) {
      child = spawnOpenbox(said);
      starts += 1;
    }
    await pause(POLL_MS);
  }
  await stop();
  const last = said.filter(Boolean).at(-1);
  return {
    reason: `openbox did not start on the test display within ${START_WITHIN_MS} ms (${starts} starts${last ? `; it said: ${last}` : ''})`,
  };
};
