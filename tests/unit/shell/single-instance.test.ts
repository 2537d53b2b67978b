/** One instance per user: a second start hands over and quits; the first shows its window. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import { claimSingleInstance, revealWindow } from '../../../main/shell/single-instance';
import type { FakeBrowserWindow } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const asWindow = (window: FakeBrowserWindow): BrowserWindow => window as unknown as BrowserWindow;

beforeEach(() => {
  vi.clearAllMocks();
  electron.state.lock = true;
});

describe('claimSingleInstance', () => {
  it('without the lock, quits at once and starts nothing', () => {
    electron.state.lock = false;
    const showWindow = vi.fn();

    expect(claimSingleInstance(showWindow)).toBe(false);

    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalledOnce();
    expect(electron.app.quit).toHaveBeenCalledOnce();
    expect(electron.app.on).not.toHaveBeenCalledWith('second-instance', expect.anything());
  });

  it('with the lock, keeps running and shows the window when a second instance starts', () => {
    const showWindow = vi.fn();

    expect(claimSingleInstance(showWindow)).toBe(true);
    expect(electron.app.quit).not.toHaveBeenCalled();
    expect(showWindow).not.toHaveBeenCalled();

    electron.app.emit('second-instance', {}, ['tokendesk'], '/home/someone', {});
    expect(showWindow).toHaveBeenCalledOnce();
  });

  it('a second instance restores and focuses the first one’s minimized window', () => {
    const window = new electron.BrowserWindow();
    window.visible = true;
    window.minimized = true;
    claimSingleInstance(() => revealWindow(asWindow(window)));

    electron.app.emit('second-instance', {}, [], '/', {});

    expect(window.restore).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
    expect(window.minimized).toBe(false);
  });
});

describe('revealWindow', () => {
  it('focuses a visible window without restoring it', () => {
    const window = new electron.BrowserWindow();
    window.visible = true;

    revealWindow(asWindow(window));

    expect(window.restore).not.toHaveBeenCalled();
    expect(window.show).not.toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('shows a hidden window before focusing it', () => {
    const window = new electron.BrowserWindow();

    revealWindow(asWindow(window));

    expect(window.show).toHaveBeenCalledOnce();
    expect(window.focus).toHaveBeenCalledOnce();
  });

  it('ignores a missing or destroyed window', () => {
    const window = new electron.BrowserWindow();
    window.destroyed = true;

    expect(() => revealWindow(undefined)).not.toThrow();
    revealWindow(asWindow(window));

    expect(window.focus).not.toHaveBeenCalled();
  });
});
