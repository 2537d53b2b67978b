/**
 * An Electron executable started as a user starts it — no Playwright loader, no --inspect — with
 * Chromium's --remote-debugging-port=0, so that a test or the bench can reach its windows over
 * CDP. --remote-debugging-port is a Chromium switch, not a Node one: the fuses that turn off
 * --inspect and NODE_OPTIONS leave it alone, and the app only offers it when it is asked for.
 *
 * The process gets a process group of its own: Electron's zygotes, renderers, GPU and network
 * processes share it, and stop() ends all of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface AppProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** ms since the epoch just before the spawn. */
  readonly spawnedAt: number;
  /** The browser's DevTools WebSocket, from "DevTools listening on ws://…" on stderr. */
  readonly devtoolsUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  readonly output: () => string;
  /** Settles when the main process has ended, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ends the process group (SIGTERM, then SIGKILL), and waits for the main process. */
  readonly stop: () => Promise<void>;
}

export interface StartOptions {
  readonly executable: string;
  readonly args?: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** How long to wait for the DevTools URL (the app started). Default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Switches every start here gets. Chromium's sandbox refuses root; elsewhere the packaged
 * chrome-sandbox is used as shipped. On Linux, X11: the display the harness or the bench provides
 * is an X server (DISPLAY), and Electron 38 and later pick Wayland on their own in a Wayland
 * session, which would put the window on the developer's desktop instead.
 */
export const startSwitches = (): string[] => [
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ...(process.platform === 'linux' ? ['--ozone-platform=x11'] : []),
];

const DEVTOOLS_LINE = /DevTools listening on (ws:\/\/\S+)/;
/** Kept of the output: Chromium logs a line per D-Bus miss, and a run can go on for minutes. */
const OUTPUT_LIMIT = 256 * 1024;

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
};

export const startApp = async ({
  executable,
  args = [],
  env,
  timeoutMs = 60_000,
}: StartOptions): Promise<AppProcess> => {
  const spawnedAt = Date.now();
  const child = spawn(executable, [...args, '--remote-debugging-port=0'], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (pid === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    // Helpers that outlive the main process (a zygote mid-fork) go with the group.
    signalGroup(pid, 'SIGKILL');
  };

  const devtoolsUrl = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = DEVTOOLS_LINE.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve(DEVTOOLS_LINE.exec(output)?.[1]);
    });
  });
  if (pid === undefined || devtoolsUrl === undefined) {
    await stop();
    const { code, signal } = await exited;
    throw new Error(
      `${executable} did not offer DevTools within ${timeoutMs / 1000} s ` +
        `(exit ${String(code ?? signal)}); its output ended with:\n${output.slice(-2_000)}`,
    );
  }
  return { child, pid, spawnedAt, devtoolsUrl, output: () => output, exited, stop };
};
