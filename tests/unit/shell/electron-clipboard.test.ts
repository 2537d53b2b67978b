/**
 * The clipboard port goes to the system clipboard (Electron's clipboard module), with the token
 * marked as a secret in each desktop's convention so clipboard history leaves it out, and the
 * text itself still there to paste. Clearing a copied token only while the clipboard still holds
 * it is core logic: see tests/unit/core/services/clipboard-clear.test.ts. The real X clipboard:
 * tests/e2e/electron/clipboard-markers.spec.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createElectronClipboard, osClipboardFormat } from '../../../main/shell/electron-clipboard';
import { createCapturingLogger, type CapturingLogger } from '../helpers/capturing-logger';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const TOKEN = 'Authorization: Bearer at-1';
const DWORD_ZERO = Buffer.from([0, 0, 0, 0]);

let logger: CapturingLogger;

/** What is on the clipboard now: each format as text, or as bytes where the bytes matter. */
const clipboardNow = (): Record<string, string> =>
  Object.fromEntries(
    [...electron.clipboard.formats()].map(([type, bytes]) => [type, bytes.toString('utf8')]),
  );

beforeEach(async () => {
  vi.clearAllMocks();
  electron.state.clipboardItems = true;
  logger = createCapturingLogger();
  await electron.clipboard.writeText('the user’s own text');
  electron.clipboard.writeText.mockClear();
});

describe('a copied token, marked as a secret where the desktop has a convention for it', () => {
  it('on Linux, offers KDE’s password-manager hint, "secret", beside the text', async () => {
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await port.writeText(TOKEN);

    expect(clipboardNow()).toEqual({
      'text/plain': TOKEN,
      [osClipboardFormat('x-kde-passwordManagerHint')]: 'secret',
    });
    await expect(port.readText()).resolves.toBe(TOKEN);
  });

  it('on macOS, marks it concealed and transient (nspasteboard.org), with empty values', async () => {
    const port = createElectronClipboard({ logger, platform: 'darwin' });

    await port.writeText(TOKEN);

    expect(clipboardNow()).toEqual({
      'text/plain': TOKEN,
      [osClipboardFormat('org.nspasteboard.ConcealedType')]: '',
      [osClipboardFormat('org.nspasteboard.TransientType')]: '',
    });
  });

  it('on Windows, keeps it from monitors, clipboard history and cloud clipboard: DWORD 0 each', async () => {
    const port = createElectronClipboard({ logger, platform: 'win32' });

    await port.writeText(TOKEN);

    const formats = electron.clipboard.formats();
    expect([...formats.keys()].sort()).toEqual(
      [
        'text/plain',
        osClipboardFormat('ExcludeClipboardContentFromMonitorProcessing'),
        osClipboardFormat('CanIncludeInClipboardHistory'),
        osClipboardFormat('CanUploadToCloudClipboard'),
      ].sort(),
    );
    expect(formats.get('text/plain')?.toString('utf8')).toBe(TOKEN);
    for (const name of [
      'ExcludeClipboardContentFromMonitorProcessing',
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard',
    ]) {
      expect(formats.get(osClipboardFormat(name)), name).toEqual(DWORD_ZERO);
    }
  });

  it('writes the text and its markers in one write (any later write would replace the text)', async () => {
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await port.writeText(TOKEN);

    expect(electron.clipboard.write).toHaveBeenCalledOnce();
    expect(electron.clipboard.writeText).not.toHaveBeenCalled();
    expect(logger.entries).toEqual([]);
  });

  it('marks the clear too: the empty text that replaces a token', async () => {
    const port = createElectronClipboard({ logger, platform: 'linux' });
    await port.writeText(TOKEN);

    await port.writeText('');

    expect(clipboardNow()).toEqual({
      'text/plain': '',
      [osClipboardFormat('x-kde-passwordManagerHint')]: 'secret',
    });
  });

  it('copies the bare text on a platform without a convention, and says nothing', async () => {
    const port = createElectronClipboard({ logger, platform: 'aix' });

    await port.writeText(TOKEN);

    expect(clipboardNow()).toEqual({ 'text/plain': TOKEN });
    expect(logger.entries).toEqual([]);
  });
});

describe('on Electron 33 (no ClipboardItem: text and markers cannot go in one write)', () => {
  beforeEach(() => {
    electron.state.clipboardItems = false;
  });

  it('still copies the token, unmarked, and says once why', async () => {
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await port.writeText(TOKEN);
    await port.writeText('');
    await port.writeText(TOKEN);

    expect(clipboardNow()).toEqual({ 'text/plain': TOKEN });
    await expect(port.readText()).resolves.toBe(TOKEN);
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('not marked as secret') as unknown as string,
      }),
    ]);
    expect(logger.dump()).not.toContain('at-1');
  });
});

describe('failures', () => {
  it('waits for the write to finish', async () => {
    let finishWrite: () => void = () => undefined;
    electron.clipboard.write.mockImplementationOnce(
      () =>
        new Promise<void>((resolve) => {
          finishWrite = resolve;
        }),
    );
    const port = createElectronClipboard({ logger, platform: 'linux' });
    let written = false;

    const write = port.writeText(TOKEN).then(() => {
      written = true;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(written).toBe(false);
    finishWrite();
    await write;
    expect(written).toBe(true);
  });

  it('a clipboard that refuses the markers still gets the text, and the log says so without it', async () => {
    electron.clipboard.write.mockRejectedValueOnce(new TypeError('unsupported format'));
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await port.writeText(TOKEN);

    expect(clipboardNow()).toEqual({ 'text/plain': TOKEN });
    expect(logger.entries.map((entry) => entry.fields)).toEqual([{ reason: 'unsupported format' }]);
    expect(logger.dump()).not.toContain('at-1');
  });

  it('passes a clipboard that takes nothing on to the core', async () => {
    electron.clipboard.write.mockRejectedValueOnce(new Error('clipboard unavailable'));
    electron.clipboard.writeText.mockRejectedValueOnce(new Error('clipboard unavailable'));
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await expect(port.writeText('at-1')).rejects.toThrow('clipboard unavailable');
  });

  it('reads what is on the system clipboard, whoever put it there', async () => {
    const port = createElectronClipboard({ logger, platform: 'linux' });

    await expect(port.readText()).resolves.toBe('the user’s own text');
  });

  it('round-trips a token exactly, whitespace and all', async () => {
    const port = createElectronClipboard({ logger, platform: 'darwin' });
    const token = ' eyJhbGciOiJIUzI1NiJ9.e30.sig\n';

    await port.writeText(token);

    await expect(port.readText()).resolves.toBe(token);
  });
});
