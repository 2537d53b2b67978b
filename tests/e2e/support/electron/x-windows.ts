/**
 * The top-level windows of the test display as the X server sees them, whichever process made
 * them: what Electron's API cannot say about another process's windows (a second Tokendesk) or
 * about the stacking order. Read with xwininfo (Debian: x11-utils), which lists the root window's
 * children from the top of the stack down. That shows the apps' own windows only where no window
 * manager runs (as on the test display): a window manager puts each in a frame of its own.
 */
import { spawnSync } from 'node:child_process';

export interface XWindow {
  readonly id: string;
  readonly title: string;
  /** Mapped and on screen ("IsViewable"). */
  readonly viewable: boolean;
}

/** Why the windows cannot be listed here, or undefined when they can. */
export const noXTools = (): string | undefined =>
  spawnSync('sh', ['-c', 'command -v xwininfo && command -v xprop'], { stdio: 'ignore' }).status ===
  0
    ? undefined
    : 'xwininfo and xprop are not installed (Debian: apt-get install x11-utils)';

const xwininfo = (args: readonly string[]): string => {
  const run = spawnSync('xwininfo', args, { encoding: 'utf8', env: process.env });
  if (run.status !== 0) throw new Error(`xwininfo ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
};

/** A window destroyed since it was listed is not viewable either. */
const isViewable = (id: string): boolean => {
  const run = spawnSync('xwininfo', ['-id', id], { encoding: 'utf8', env: process.env });
  return run.status === 0 && /Map State:\s+IsViewable/.test(run.stdout);
};

/**
 * Whether a window manager runs on the display (EWMH: it sets _NET_SUPPORTING_WM_CHECK on the
 * root window, naming a window of its own that carries the same property). Without one nobody
 * minimizes or maximizes windows: those requests go to it. The named window is checked too: one
 * that ended without cleaning up (killed) leaves the root's property naming a window that is gone.
 */
export const hasWindowManager = (): boolean => {
  const check = (args: readonly string[]) => {
    const run = spawnSync('xprop', [...args, '_NET_SUPPORTING_WM_CHECK'], {
      encoding: 'utf8',
      env: process.env,
    });
    return run.status === 0 ? /window id # (0x[0-9a-f]+)/.exec(run.stdout)?.[1] : undefined;
  };
  const named = check(['-root']);
  return named !== undefined && check(['-id', named]) === named;
};

/** Why the stacking order cannot show the apps' windows here, or undefined when it can. */
export const noBareDisplay = (): string | undefined =>
  noXTools() ??
  (hasWindowManager()
    ? 'a window manager runs on the display: the top-level windows are its frames'
    : undefined);

/** The named top-level windows, the top of the stack first. */
export const topLevelWindows = (): XWindow[] =>
  xwininfo(['-root', '-children'])
    .split('\n')
    .map((line) => /^\s*(0x[0-9a-f]+) "([^"]*)":/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, id, title]) => ({ id: id!, title: title!, viewable: isViewable(id!) }));

/** The titles of the windows on screen, the top of the stack first. */
export const viewableStack = (): string[] =>
  topLevelWindows()
    .filter((window) => window.viewable)
    .map((window) => window.title);
