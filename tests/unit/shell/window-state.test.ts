/**
 * The window comes back where it was, on a display that exists: restored bounds and maximized
 * state, off-screen bounds corrected, saves debounced while dragging and immediate on close, in a
 * store file of its own.
 */
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import {
  createWindowStateStore,
  MIN_WINDOW_SIZE,
  placeWindow,
  restoreWindowPlacement,
  trackWindowState,
  type WindowState,
  type WindowStateStore,
  type WorkAreas,
} from '../../../main/shell/window-state';
import { createCapturingLogger } from '../helpers/capturing-logger';
import type { FakeBrowserWindow, Rect } from '../helpers/mock-electron';

const { electron, userData } = await vi.hoisted(async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokendesk-window-state-'));
  const { createElectronMock } = await import('../helpers/mock-electron');
  return { electron: createElectronMock({ userData: dir }), userData: dir };
});
vi.mock('electron', () => electron.module);

const DEFAULTS = { width: 960, height: 680 } as const;
const laptop: Rect = { x: 0, y: 0, width: 1440, height: 875 };
// A second monitor to the right of the laptop.
const external: Rect = { x: 1440, y: -200, width: 2560, height: 1415 };
const areas = (...all: Rect[]): WorkAreas => ({ primary: all[0]!, all });
const saved = (bounds: Rect, maximized = false): WindowState => ({ bounds, maximized });

const inside = (bounds: { x?: number; y?: number; width: number; height: number }, area: Rect) =>
  bounds.x !== undefined &&
  bounds.y !== undefined &&
  bounds.x >= area.x &&
  bounds.y >= area.y &&
  bounds.x + bounds.width <= area.x + area.width &&
  bounds.y + bounds.height <= area.y + area.height;

const memoryStore = (initial?: unknown) => {
  const writes: WindowState[] = [];
  const store: WindowStateStore = {
    read: () => (writes.length > 0 ? writes.at(-1) : initial),
    write: (state) => {
      writes.push(structuredClone(state));
    },
  };
  return { store, writes };
};

const asWindow = (window: FakeBrowserWindow): BrowserWindow => window as unknown as BrowserWindow;

afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('placeWindow', () => {
  it('opens at the default size, centred by Electron, when nothing was saved', () => {
    expect(placeWindow(undefined, areas(laptop), DEFAULTS)).toEqual({
      bounds: { width: 960, height: 680 },
      maximized: false,
    });
  });

  it('ignores a saved state it cannot read', () => {
    for (const junk of [
      'left',
      { bounds: { x: 'a', y: 0, width: 800, height: 600 }, maximized: false },
      { bounds: { x: 0, y: 0, width: -5, height: 600 }, maximized: false },
      { bounds: { x: 0, y: 0, width: 800, height: 600 } },
      { bounds: { x: Infinity, y: 0, width: 800, height: 600 }, maximized: false },
    ]) {
      expect(placeWindow(junk, areas(laptop), DEFAULTS)).toEqual({
        bounds: { width: 960, height: 680 },
        maximized: false,
      });
    }
  });

  it('restores bounds that are on a display as they were', () => {
    const bounds = { x: 100, y: 80, width: 1000, height: 700 };
    expect(placeWindow(saved(bounds), areas(laptop, external), DEFAULTS)).toEqual({
      bounds,
      maximized: false,
    });
    const onExternal = { x: 2000, y: 100, width: 1200, height: 900 };
    expect(placeWindow(saved(onExternal), areas(laptop, external), DEFAULTS).bounds).toEqual(
      onExternal,
    );
  });

  it('brings a window saved on a monitor that is gone back onto the primary display', () => {
    const onExternal = { x: 2000, y: 100, width: 1200, height: 900 };

    const placement = placeWindow(saved(onExternal), areas(laptop), DEFAULTS);

    expect(inside(placement.bounds, laptop)).toBe(true);
    // Centred on the laptop, at the saved size where that fits (the height does not).
    expect(placement.bounds).toEqual({ x: 120, y: 0, width: 1200, height: 875 });
  });

  it('brings back a window saved far off every display (negative coordinates too)', () => {
    for (const bounds of [
      { x: -3000, y: -3000, width: 800, height: 600 },
      { x: 10_000, y: 200, width: 800, height: 600 },
      { x: 200, y: 5_000, width: 800, height: 600 },
    ]) {
      const placement = placeWindow(saved(bounds), areas(laptop), DEFAULTS);
      expect(inside(placement.bounds, laptop), JSON.stringify(bounds)).toBe(true);
      expect(placement.bounds).toMatchObject({ width: 800, height: 600 });
    }
  });

  it('moves a window hanging over a display edge wholly onto that display', () => {
    const placement = placeWindow(
      saved({ x: 1000, y: 500, width: 800, height: 600 }),
      areas(laptop),
      DEFAULTS,
    );
    expect(placement.bounds).toEqual({ x: 640, y: 275, width: 800, height: 600 });
  });

  it('shrinks a window larger than the display it is on', () => {
    const placement = placeWindow(
      saved({ x: 0, y: 0, width: 3000, height: 2000 }),
      areas(laptop),
      DEFAULTS,
    );
    expect(placement.bounds).toEqual({ x: 0, y: 0, width: 1440, height: 875 });
  });

  it('grows a speck of a window to a usable size', () => {
    const placement = placeWindow(
      saved({ x: 10, y: 10, width: 3, height: 2 }),
      areas(laptop),
      DEFAULTS,
    );
    expect(placement.bounds).toMatchObject(MIN_WINDOW_SIZE);
    expect(inside(placement.bounds, laptop)).toBe(true);
  });

  it('keeps the maximized state, with the normal bounds to unmaximize to', () => {
    const bounds = { x: 100, y: 80, width: 1000, height: 700 };
    expect(placeWindow(saved(bounds, true), areas(laptop), DEFAULTS)).toEqual({
      bounds,
      maximized: true,
    });
  });
});

describe('restoreWindowPlacement', () => {
  beforeEach(() => {
    electron.state.displays = [laptop];
  });

  it('checks the saved bounds against the displays attached now', () => {
    const { store } = memoryStore(saved({ x: 2000, y: 100, width: 800, height: 600 }));

    electron.state.displays = [laptop, external];
    expect(restoreWindowPlacement(store, DEFAULTS, createCapturingLogger()).bounds.x).toBe(2000);

    electron.state.displays = [laptop];
    const placement = restoreWindowPlacement(store, DEFAULTS, createCapturingLogger());
    expect(inside(placement.bounds, laptop)).toBe(true);
    expect(electron.screen.getAllDisplays).toHaveBeenCalled();
  });

  it('falls back to the defaults when the store cannot be read', () => {
    const logger = createCapturingLogger();
    const store: WindowStateStore = {
      read: () => {
        throw new Error('EACCES');
      },
      write: () => undefined,
    };

    expect(restoreWindowPlacement(store, DEFAULTS, logger)).toEqual({
      bounds: DEFAULTS,
      maximized: false,
    });
    expect(logger.entries.map((entry) => entry.level)).toEqual(['warn']);
  });
});

describe('trackWindowState', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const tracked = (debounceMs = 500) => {
    const window = new electron.BrowserWindow({ x: 10, y: 20, width: 900, height: 700 });
    const { store, writes } = memoryStore();
    const logger = createCapturingLogger();
    trackWindowState(asWindow(window), store, { logger, debounceMs });
    return { window, writes, logger };
  };

  it('saves once, after the moves and resizes stop', () => {
    const { window, writes } = tracked();

    for (let step = 1; step <= 20; step++) {
      window.normalBounds = { x: 10 + step, y: 20, width: 900 + step, height: 700 };
      window.emit(step % 2 ? 'move' : 'resize');
      vi.advanceTimersByTime(100);
    }
    expect(writes).toEqual([]);

    vi.advanceTimersByTime(500);
    expect(writes).toEqual([saved({ x: 30, y: 20, width: 920, height: 700 })]);
  });

  it('saves at once on close, without waiting for the debounce', () => {
    const { window, writes } = tracked();
    window.normalBounds = { x: 50, y: 60, width: 1000, height: 750 };
    window.emit('resize');

    window.emit('close');
    expect(writes).toEqual([saved({ x: 50, y: 60, width: 1000, height: 750 })]);

    // The pending debounced save was cancelled, not written twice.
    vi.advanceTimersByTime(1000);
    expect(writes).toHaveLength(1);
  });

  it('records a maximized window with its normal bounds', () => {
    const { window, writes } = tracked();
    window.maximized = true;
    window.emit('maximize');
    vi.advanceTimersByTime(500);

    expect(writes).toEqual([saved({ x: 10, y: 20, width: 900, height: 700 }, true)]);

    window.maximized = false;
    window.emit('unmaximize');
    vi.advanceTimersByTime(500);
    expect(writes.at(-1)).toEqual(saved({ x: 10, y: 20, width: 900, height: 700 }, false));
  });

  it('does not write the same state twice', () => {
    const { window, writes } = tracked();
    window.emit('move');
    vi.advanceTimersByTime(500);
    window.emit('move');
    vi.advanceTimersByTime(500);
    window.emit('close');

    expect(writes).toHaveLength(1);
  });

  it('logs a failed write and carries on', () => {
    const window = new electron.BrowserWindow();
    const logger = createCapturingLogger();
    const store: WindowStateStore = {
      read: () => undefined,
      write: () => {
        throw new Error('ENOSPC: no space left on device');
      },
    };
    trackWindowState(asWindow(window), store, { logger });

    expect(() => window.emit('close')).not.toThrow();
    expect(logger.entries).toMatchObject([
      { level: 'warn', fields: { reason: 'ENOSPC: no space left on device' } },
    ]);
  });

  it('does nothing once the window is destroyed', () => {
    const { window, writes } = tracked();
    window.emit('resize');
    window.destroyed = true;
    vi.advanceTimersByTime(500);

    expect(writes).toEqual([]);
    expect(window.getNormalBounds).not.toHaveBeenCalled();
  });
});

describe('createWindowStateStore', () => {
  const stateFile = join(userData, 'window-state.json');
  beforeEach(() => rmSync(stateFile, { force: true }));

  it('keeps the state in window-state.json under userData, not in the accounts store', () => {
    const store = createWindowStateStore(createCapturingLogger());
    const state = saved({ x: 1, y: 2, width: 800, height: 600 }, true);

    store.write(state);

    expect(existsSync(stateFile)).toBe(true);
    expect(existsSync(join(userData, 'tokendesk.json'))).toBe(false);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ window: state });
    expect(createWindowStateStore(createCapturingLogger()).read()).toEqual(state);
  });

  it('keeps the file private to the user (0600), also one an older version left 0644', () => {
    createWindowStateStore(createCapturingLogger()).write(
      saved({ x: 1, y: 2, width: 800, height: 600 }),
    );
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    chmodSync(stateFile, 0o644);
    createWindowStateStore(createCapturingLogger());
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
  });

  it('leaves no electron-store IPC listener behind', () => {
    createWindowStateStore(createCapturingLogger());

    expect(electron.ipcMain.eventNames()).toEqual([]);
  });

  it('starts from the defaults when the file is corrupt', () => {
    writeFileSync(stateFile, '{ not json');

    const store = createWindowStateStore(createCapturingLogger());

    expect(placeWindow(store.read(), areas(laptop), DEFAULTS)).toEqual({
      bounds: DEFAULTS,
      maximized: false,
    });
  });
});
