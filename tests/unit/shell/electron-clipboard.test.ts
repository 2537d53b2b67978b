/**
 * The clipboard port goes to the system clipboard (Electron's clipboard module). Clearing a
 * copied token only while the clipboard still holds it is core logic: see
 * tests/unit/api/clipboard-clear.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronClipboard } from '../../../main/shell/electron-clipboard';

const electron = await vi.hoisted(async () =>
  (await import('./helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

beforeEach(() => {
  vi.clearAllMocks();
});

describe('electronClipboard', () => {
  it('writes the text to the system clipboard, and waits for the write', async () => {
    let finishWrite: () => void = () => undefined;
    electron.clipboard.writeText.mockImplementationOnce(
      () =>
        new Promise<void>((resolve) => {
          finishWrite = resolve;
        }),
    );
    let written = false;

    const write = electronClipboard.writeText('Authorization: Bearer at-1').then(() => {
      written = true;
    });
    await Promise.resolve();
    expect(written).toBe(false);
    finishWrite();
    await write;

    expect(electron.clipboard.writeText).toHaveBeenCalledExactlyOnceWith(
      'Authorization: Bearer at-1',
    );
  });

  it('reads what is on the system clipboard, whoever put it there', async () => {
    await electron.clipboard.writeText('the user’s own text');

    await expect(electronClipboard.readText()).resolves.toBe('the user’s own text');
    expect(electron.clipboard.readText).toHaveBeenCalledOnce();
  });

  it('round-trips a token exactly, whitespace and all', async () => {
    const token = ' eyJhbGciOiJIUzI1NiJ9.e30.sig\n';

    await electronClipboard.writeText(token);

    await expect(electronClipboard.readText()).resolves.toBe(token);
  });

  it('passes a failed write on to the core', async () => {
    electron.clipboard.writeText.mockRejectedValueOnce(new Error('clipboard unavailable'));

    await expect(electronClipboard.writeText('at-1')).rejects.toThrow('clipboard unavailable');
  });
});
