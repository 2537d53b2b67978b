/**
 * A window manager on the test display, for the tests about what only a window manager does:
 * minimizing and maximizing are requests to it, and without one (the test display has none) they
 * change nothing. Openbox (Debian: openbox) is started for one test and stopped after it, so the
 * other tests keep the bare display they expect. A display that has a window manager already (a
 * developer's desktop) is used as it is.
 */
import { spawn, spawnSync } from 'node:child_process';
import { hasWindowManager, noXTools } from './x-windows';

export interface WindowManager {
  stop(): Promise<void>;
}

const START_WITHIN_MS = 10_000;

const onPath = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

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
  const child = spawn('openbox', ['--sm-disable'], { env: process.env, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };
  // It is up once it has announced itself on the root window (EWMH).
  for (let waited = 0; waited < START_WITHIN_MS; waited += 100) {
    if (hasWindowManager()) return { stop };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  return { reason: `openbox did not start on the test display within ${START_WITHIN_MS} ms` };
};
