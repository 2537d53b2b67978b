/**
 * Figure 5: the packaged app (electron-builder --dir with electron-builder.yml, production fuses)
 * against a bare window packaged the same way on the same binary (bare-window-app.ts):
 *
 * - cold start: from the spawn of the executable to the window's first painted frame on screen.
 *   Both arms are timed the same way, from the page's own first-contentful-paint entry, which
 *   Chromium records only for a frame presented in a shown window (tests/e2e/support/packaged/
 *   attach-window.ts), read over CDP after the fact: the time is the page's, not the moment the
 *   bench asked, so the CDP connection is made late (after the memory sample) and stays out of the
 *   start it measures. "Cold" is a new process on a fresh profile; the disk cache is warm (one
 *   untimed start of each arm first), since dropping it would need root and disturb others.
 * - memory after start: RSS and PSS summed over all the app's processes (process-memory.ts), a
 *   few seconds after the spawn, before the bench connects.
 *
 * Starts alternate between the arms, so a slow spell on the shared machine hits both.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDesktopSession } from '../tests/e2e/support/electron/desktop-session';
import { whichElectron } from '../tests/e2e/support/electron/which-electron';
import { startSwitches, startApp } from '../tests/e2e/support/packaged/app-process';
import { attachToWindow, waitForFirstPaint } from '../tests/e2e/support/packaged/attach-window';
import { packTokendesk } from '../tests/e2e/support/packaged/pack-tokendesk';
import { makeBareWindowPackage } from './bare-window-app';
import { memoryOfTree, type TreeMemory } from './process-memory';
import { median, round, summarize, type Summary } from './stats';

export interface ArmFigures {
  /** ms from spawn to the first painted frame of the window. */
  readonly coldStart: Summary;
  /** Medians over the starts, in MB. */
  readonly memory: {
    readonly rssMb: number;
    readonly pssMb: number;
    readonly mainRssMb: number;
    readonly rendererRssMb: number;
    readonly processes: number;
  };
}

export interface PackagedAppFigures {
  readonly electron: string;
  readonly runtime: string;
  readonly starts: number;
  readonly settleSeconds: number;
  readonly keyring: boolean;
  readonly tokendesk: ArmFigures;
  readonly bareWindow: ArmFigures;
  /** Tokendesk ÷ bare window, of the medians. */
  readonly ratios: { readonly coldStart: number; readonly rss: number; readonly pss: number };
  /** Starts whose memory was sampled again because the window had not painted yet. */
  readonly lateSamples: number;
}

export type PackagedAppResult = PackagedAppFigures | { readonly skipped: string };

export interface PackagedAppSettings {
  readonly starts: number;
  /** Seconds from the spawn to the memory sample. */
  readonly settleSeconds: number;
}

interface Start {
  readonly coldStartMs: number;
  readonly memory: TreeMemory;
  readonly late: boolean;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kb: number): number => round(kb / 1024, 1);

/** The environment of one start: a fresh profile, the bench's display and bus, no Node mode. */
const startEnvironment = (profile: string, session: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...session };
  for (const name of ['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS']) delete env[name];
  return {
    ...env,
    XDG_CONFIG_HOME: join(profile, 'config'),
    XDG_CACHE_HOME: join(profile, 'cache'),
  };
};

const startOnce = async (
  executable: string,
  args: readonly string[],
  session: Record<string, string>,
  settleMs: number,
): Promise<Start> => {
  const profile = mkdtempSync(join(tmpdir(), 'tokendesk-bench-profile-'));
  const app = await startApp({ executable, args, env: startEnvironment(profile, session) });
  try {
    await pause(Math.max(0, app.spawnedAt + settleMs - Date.now()));
    let sampledAt = Date.now();
    let memory = memoryOfTree(app.pid);
    // Either arm's window: Tokendesk's page, or the bare window's (bare-window-app.ts).
    const { browser, page } = await attachToWindow(app.devtoolsUrl, {
      isWindow: (url) => url.startsWith('tokendesk://app/') || url.startsWith('bare://app/'),
    });
    try {
      const paintedAt = await waitForFirstPaint(page);
      // The window painted after the sample (a very slow start): sample again, now that it has.
      const late = paintedAt > sampledAt;
      if (late) {
        await pause(settleMs / 2);
        sampledAt = Date.now();
        memory = memoryOfTree(app.pid);
      }
      return { coldStartMs: paintedAt - app.spawnedAt, memory, late };
    } finally {
      await browser.close().catch(() => undefined);
    }
  } finally {
    await app.stop();
    rmSync(profile, { recursive: true, force: true });
  }
};

const armFigures = (starts: readonly Start[]): ArmFigures => {
  const med = (pick: (m: TreeMemory) => number): number =>
    mb(median(starts.map((s) => pick(s.memory))));
  return {
    coldStart: summarize(starts.map((s) => s.coldStartMs)),
    memory: {
      rssMb: med((m) => m.rssKb),
      pssMb: med((m) => m.pssKb),
      mainRssMb: med((m) => m.mainRssKb),
      rendererRssMb: med((m) => m.rendererRssKb),
      processes: median(starts.map((s) => s.memory.processes.length)),
    },
  };
};

/** Why figure 5 cannot be measured here, or undefined when it can. */
const cannotMeasure = (): string | undefined => {
  if (process.platform !== 'linux')
    return `Linux only (memory from /proc), not ${process.platform}`;
  if (!existsSync(fileURLToPath(new URL('../out/main/index.js', import.meta.url)))) {
    return 'out/ is missing: run `npm run build` (or the bench without --no-build)';
  }
  return undefined;
};

export const measurePackagedApp = async (
  settings: PackagedAppSettings,
  progress: (message: string) => void,
): Promise<PackagedAppResult> => {
  const reason = cannotMeasure();
  if (reason) return { skipped: reason };
  const choice = whichElectron();
  if ('reason' in choice) return { skipped: choice.reason };
  const { runtime } = choice;

  const session = await startDesktopSession();
  const workDir = mkdtempSync(join(tmpdir(), 'tokendesk-bench-packaged-'));
  try {
    if (session.noDisplay) return { skipped: session.noDisplay };
    progress(`5. packing Tokendesk around Electron ${runtime.version} (${runtime.kind})`);
    const packaged = await packTokendesk({ runtime, workDir, logTo: process.stderr });
    const bare = await makeBareWindowPackage(packaged, workDir);
    const keyring = session.noKeyring === undefined;
    const args = [...startSwitches(), `--password-store=${keyring ? 'gnome-libsecret' : 'basic'}`];
    const settleMs = settings.settleSeconds * 1000;
    const arms = { tokendesk: packaged.executable, bareWindow: bare } as const;
    const starts: Record<keyof typeof arms, Start[]> = { tokendesk: [], bareWindow: [] };

    progress('5. one untimed start of each (warms the disk cache)');
    for (const executable of Object.values(arms)) {
      await startOnce(executable, args, session.env, settleMs);
    }
    for (let start = 1; start <= settings.starts; start += 1) {
      progress(`5. start ${start} of ${settings.starts}: Tokendesk, then the bare window`);
      starts.tokendesk.push(await startOnce(arms.tokendesk, args, session.env, settleMs));
      starts.bareWindow.push(await startOnce(arms.bareWindow, args, session.env, settleMs));
    }

    const tokendesk = armFigures(starts.tokendesk);
    const bareWindow = armFigures(starts.bareWindow);
    return {
      electron: packaged.electronVersion,
      runtime: runtime.kind,
      starts: settings.starts,
      settleSeconds: settings.settleSeconds,
      keyring,
      tokendesk,
      bareWindow,
      ratios: {
        coldStart: round(tokendesk.coldStart.median / bareWindow.coldStart.median, 2),
        rss: round(tokendesk.memory.rssMb / bareWindow.memory.rssMb, 2),
        pss: round(tokendesk.memory.pssMb / bareWindow.memory.pssMb, 2),
      },
      lateSamples: [...starts.tokendesk, ...starts.bareWindow].filter((s) => s.late).length,
    };
  } catch (error) {
    // One line, and the other figures stand: a start that fails says why here.
    const message = error instanceof Error ? error.message : String(error);
    return { skipped: `could not be measured: ${message.split('\n')[0]}` };
  } finally {
    await session.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
};
