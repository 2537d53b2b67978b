/**
 * The app window comes back where the user left it: its normal bounds and whether it was
 * maximized are saved (debounced while the user drags, at once on close) in a small store file of
 * their own, `window-state.json` — never in the accounts store — and on start the saved bounds
 * are checked against the displays that exist now, so a window saved on a monitor that is gone
 * comes back on screen.
 */
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { z } from 'zod';
import type { Logger } from '../core/ports';
import { PRIVATE_FILE_MODE, restrictMode } from '../core/storage/durable-file';
import { openElectronStore } from './electron-store-kv';
import { messageOf } from '../../shared/errors';

export const WINDOW_STATE_STORE_NAME = 'window-state';

export interface WindowState {
  /** The window's normal (not maximized, not minimized) bounds. */
  readonly bounds: Rectangle;
  readonly maximized: boolean;
}

/** Where the state lives; `read` answers whatever was stored, to be validated. */
export interface WindowStateStore {
  read(): unknown;
  write(state: WindowState): void;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What to open the window with; no x/y means Electron centres it on the primary display. */
export interface WindowPlacement {
  readonly bounds: Size & { readonly x?: number; readonly y?: number };
  readonly maximized: boolean;
}

/** Work areas (the display minus task bar, dock and menu bar), the primary display's first. */
export interface WorkAreas {
  readonly primary: Rectangle;
  readonly all: readonly Rectangle[];
}

/** Smaller than this and the window is unusable: a bad file should not leave the user a speck. */
export const MIN_WINDOW_SIZE: Size = { width: 400, height: 300 };

const finite = z.number().finite();
const savedState = z.object({
  bounds: z.object({
    x: finite,
    y: finite,
    width: finite.positive(),
    height: finite.positive(),
  }),
  maximized: z.boolean(),
});

const overlap = (a: Rectangle, b: Rectangle): number => {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
};

const clamp = (value: number, min: number, max: number): number =>
  Math.min(Math.max(value, min), Math.max(min, max));

/** A size no larger than the work area and, where the area allows, no smaller than the minimum. */
const fitSize = (size: Size, area: Rectangle): Size => ({
  width: Math.round(clamp(size.width, Math.min(MIN_WINDOW_SIZE.width, area.width), area.width)),
  height: Math.round(
    clamp(size.height, Math.min(MIN_WINDOW_SIZE.height, area.height), area.height),
  ),
});

/**
 * Where to open the window. Saved bounds that still overlap a display are kept, shrunk to fit
 * that display's work area and moved wholly onto it; bounds that overlap no display (the monitor
 * was unplugged, the resolution dropped) are centred on the primary display. Nothing saved, or
 * something unreadable, gives the default size, centred.
 */
export const placeWindow = (saved: unknown, areas: WorkAreas, defaults: Size): WindowPlacement => {
  const parsed = savedState.safeParse(saved);
  if (!parsed.success) return { bounds: fitSize(defaults, areas.primary), maximized: false };
  const { bounds, maximized } = parsed.data;

  let best: Rectangle | undefined;
  let bestOverlap = 0;
  for (const area of areas.all) {
    const shared = overlap(bounds, area);
    if (shared > bestOverlap) [best, bestOverlap] = [area, shared];
  }

  const area = best ?? areas.primary;
  const size = fitSize(bounds, area);
  const x = best ? bounds.x : area.x + (area.width - size.width) / 2;
  const y = best ? bounds.y : area.y + (area.height - size.height) / 2;
  return {
    bounds: {
      ...size,
      x: Math.round(clamp(x, area.x, area.x + area.width - size.width)),
      y: Math.round(clamp(y, area.y, area.y + area.height - size.height)),
    },
    maximized,
  };
};

/** The work areas of the displays attached now (needs the app to be ready). */
export const currentWorkAreas = (): WorkAreas => ({
  primary: screen.getPrimaryDisplay().workArea,
  all: screen.getAllDisplays().map((display) => display.workArea),
});

/** Reads the saved state and fits it to the current displays. */
export const restoreWindowPlacement = (
  store: WindowStateStore,
  defaults: Size,
  logger: Logger,
): WindowPlacement => {
  let saved: unknown;
  try {
    saved = store.read();
  } catch (error) {
    logger.warn('could not read the saved window position', { reason: messageOf(error) });
  }
  return placeWindow(saved, currentWorkAreas(), defaults);
};

export interface TrackOptions {
  readonly logger: Logger;
  /** Quiet time after the last move or resize before the state is written. */
  readonly debounceMs?: number;
}

/**
 * Saves the window's state as it changes: after `debounceMs` without a move or resize, and at
 * once when the window closes (the debounced save would come too late). A state equal to the
 * last one written is not written again.
 */
export const trackWindowState = (
  window: BrowserWindow,
  store: WindowStateStore,
  options: TrackOptions,
): void => {
  const debounceMs = options.debounceMs ?? 500;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastWritten: string | undefined;

  const save = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    // The normal bounds are what a maximized or minimized window returns to: the ones to keep.
    const state: WindowState = {
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
    };
    const serialized = JSON.stringify(state);
    if (serialized === lastWritten) return;
    try {
      store.write(state);
      lastWritten = serialized;
    } catch (error) {
      options.logger.warn('could not save the window position', { reason: messageOf(error) });
    }
  };
  const saveSoon = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };

  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('maximize', saveSoon);
  window.on('unmaximize', saveSoon);
  window.on('close', save);
};

const memoryStore = (): WindowStateStore => {
  let state: WindowState | undefined;
  return {
    read: () => state,
    write: (next) => {
      state = next;
    },
  };
};

/**
 * The window state in its own electron-store file under userData, private to the user (0600, in
 * the 0700 folder openStore keeps), written durably. The state is disposable: an
 * unreadable file is reset rather than kept, and a store that cannot be opened at all leaves the
 * window to its defaults (kept in memory for this run).
 */
export const createWindowStateStore = (logger: Logger): WindowStateStore => {
  try {
    const store = openElectronStore<{ window?: WindowState }>({
      name: WINDOW_STATE_STORE_NAME,
      clearInvalidConfig: true,
    });
    try {
      // Saves create it 0600 (openElectronStore); one an older version left 0644 is closed now.
      restrictMode(store.path, PRIVATE_FILE_MODE);
    } catch (error) {
      logger.warn('could not make the window position file private', { reason: messageOf(error) });
    }
    return {
      read: () => store.get('window'),
      write: (state) => store.set('window', state),
    };
  } catch (error) {
    logger.warn('window position store unavailable; using defaults', { reason: messageOf(error) });
    return memoryStore();
  }
};
