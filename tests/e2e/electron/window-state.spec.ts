/**
 * Real Electron, the window comes back where the user left it: moved and resized, then quit, the
 * next start on the same profile opens it with the same bounds; and a window-state.json that is
 * garbage or points off screen still gives a usable window on screen, not a crash.
 *
 * The test display has no window manager: X places and sizes windows exactly as asked (so bounds
 * compare exactly), but maximizing is a request to the window manager and does nothing without
 * one (isMaximized() stays false), so the maximized case starts one (openbox, window-manager.ts)
 * and says so where it cannot.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test, type ElectronApplication } from '@playwright/test';
import {
  createProfile,
  launchTokendesk,
  requireElectron,
  requireThat,
  type Profile,
} from '../support/electron/electron-harness';
import { startWindowManager } from '../support/electron/window-manager';

const spec = 'window-state.spec';
/** What the app opens with when nothing usable is saved (main/index.ts). */
const DEFAULT_SIZE = { width: 960, height: 680 };
/** The smallest window a bad file may leave (MIN_WINDOW_SIZE in main/shell/window-state.ts). */
const MIN_SIZE = { width: 400, height: 300 };

interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const windowBounds = (app: ElectronApplication): Promise<Rectangle[]> =>
  app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()
      .filter((window) => window.isVisible())
      .map((window) => window.getBounds()),
  );

const workArea = (app: ElectronApplication): Promise<Rectangle> =>
  app.evaluate(({ screen }) => screen.getPrimaryDisplay().workArea);

const within = (inner: Rectangle, outer: Rectangle): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

const withProfile = async (work: (profile: Profile) => Promise<void>): Promise<void> => {
  const profile = createProfile();
  try {
    await work(profile);
  } finally {
    profile.remove();
  }
};

test('a moved and resized window comes back with the same bounds after a restart', async () => {
  const runtime = requireElectron({ spec });
  await withProfile(async (profile) => {
    // Away from the default (centred, 960×680) in position and size, inside the 1280×900 screen.
    const chosen = { x: 37, y: 52, width: 720, height: 515 };
    const first = await launchTokendesk({ runtime, profile, keyring: false });
    try {
      await first.app.evaluate(({ BrowserWindow }, bounds) => {
        BrowserWindow.getAllWindows()[0]!.setBounds(bounds);
      }, chosen);
      await expect.poll(() => windowBounds(first.app)).toEqual([chosen]);
    } finally {
      await first.close();
    }

    const second = await launchTokendesk({ runtime, profile, keyring: false });
    try {
      await expect.poll(() => windowBounds(second.app)).toEqual([chosen]);
    } finally {
      await second.close();
    }
  });
});

test('a maximized window comes back maximized, with its normal bounds kept', async () => {
  const runtime = requireElectron({ spec });
  // Maximizing is a request to a window manager: without one nothing would be maximized.
  const manager = await startWindowManager();
  if ('reason' in manager) {
    requireThat(manager.reason, spec);
    return;
  }
  const normal = { x: 40, y: 50, width: 700, height: 500 };
  const maximized = (app: ElectronApplication) =>
    app.evaluate(({ BrowserWindow }) => {
      const window = BrowserWindow.getAllWindows()[0]!;
      return { maximized: window.isMaximized(), normal: window.getNormalBounds() };
    });
  try {
    await withProfile(async (profile) => {
      const first = await launchTokendesk({ runtime, profile, keyring: false });
      try {
        await first.app.evaluate(({ BrowserWindow }, bounds) => {
          const window = BrowserWindow.getAllWindows()[0]!;
          window.setBounds(bounds);
          window.maximize();
        }, normal);
        await expect.poll(() => maximized(first.app)).toEqual({ maximized: true, normal });
      } finally {
        await first.close();
      }

      const second = await launchTokendesk({ runtime, profile, keyring: false });
      try {
        await expect.poll(() => maximized(second.app)).toEqual({ maximized: true, normal });
      } finally {
        await second.close();
      }
    });
  } finally {
    await manager.stop();
  }
});

/** What a bad window-state.json can hold, and what the window must at least be then. */
const BAD_FILES: readonly {
  readonly name: string;
  readonly content: string;
  /** The size expected, where one follows from the file; else only "usable and on screen". */
  readonly size?: { readonly width: number; readonly height: number };
}[] = [
  { name: 'not JSON', content: '{"window": {"bounds": {"x": 1', size: DEFAULT_SIZE },
  { name: 'JSON null', content: 'null', size: DEFAULT_SIZE },
  {
    name: 'values of the wrong types',
    content:
      '{"window": {"bounds": {"x": "left", "y": null, "width": -5, "height": 0}, "maximized": "yes"}}',
    size: DEFAULT_SIZE,
  },
  {
    name: 'bounds far off screen (a monitor that is gone)',
    content:
      '{"window": {"bounds": {"x": -40000, "y": 60000, "width": 800, "height": 600}, "maximized": false}}',
    size: { width: 800, height: 600 },
  },
  {
    name: 'a window larger than any screen',
    content:
      '{"window": {"bounds": {"x": 0, "y": 0, "width": 100000, "height": 100000}, "maximized": false}}',
  },
  {
    name: 'a window too small to use',
    content:
      '{"window": {"bounds": {"x": 10, "y": 10, "width": 1, "height": 1}, "maximized": false}}',
    size: MIN_SIZE,
  },
];

for (const bad of BAD_FILES) {
  test(`a window-state.json with ${bad.name} gives a usable window on screen`, async () => {
    const runtime = requireElectron({ spec });
    await withProfile(async (profile) => {
      mkdirSync(profile.userData, { recursive: true });
      writeFileSync(profile.windowStateFile, bad.content);
      // launchTokendesk waits for the window's heading: the app started and rendered.
      const running = await launchTokendesk({ runtime, profile, keyring: false });
      try {
        const area = await workArea(running.app);
        await expect.poll(async () => (await windowBounds(running.app)).length).toBe(1);
        const [bounds] = await windowBounds(running.app);
        expect(within(bounds!, area), `${JSON.stringify(bounds)} in ${JSON.stringify(area)}`).toBe(
          true,
        );
        expect(bounds!.width).toBeGreaterThanOrEqual(MIN_SIZE.width);
        expect(bounds!.height).toBeGreaterThanOrEqual(MIN_SIZE.height);
        if (bad.size) expect({ width: bounds!.width, height: bounds!.height }).toEqual(bad.size);
        expect(running.app.process().exitCode).toBeNull();
      } finally {
        await running.close();
      }
    });
  });
}
