/**
 * The tray icon: a template image on macOS, a coloured one elsewhere, each from 1x and 2x PNGs
 * that exist and are the sizes their names say.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { trayIcon, trayIconFiles } from '../../../main/shell/tray-icon';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);
// In the build, electron-vite turns `?asset` imports into runtime paths (tray-icon.ts); Vitest
// has no such plugin, so each import answers the PNG's path in build/tray/.
const asset = vi.hoisted(() => async (name: string) => {
  const url = await import('node:url');
  return { default: url.fileURLToPath(new URL(`../../../build/tray/${name}`, import.meta.url)) };
});
vi.mock('../../../build/tray/tray.png?asset', () => asset('tray.png'));
vi.mock('../../../build/tray/tray@2x.png?asset', () => asset('tray@2x.png'));
vi.mock('../../../build/tray/trayTemplate.png?asset', () => asset('trayTemplate.png'));
vi.mock('../../../build/tray/trayTemplate@2x.png?asset', () => asset('trayTemplate@2x.png'));

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (file: string): { width: number; height: number } => {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]));
  expect(bytes.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

beforeEach(() => {
  vi.clearAllMocks();
});

describe('trayIcon', () => {
  it.each(['darwin', 'win32', 'linux'] as const)('has 16 px and 32 px PNGs on %s', (platform) => {
    const files = trayIconFiles(platform);
    expect(pngSize(files.oneX)).toEqual({ width: 16, height: 16 });
    expect(pngSize(files.twoX)).toEqual({ width: 32, height: 32 });
  });

  it('is a template image on macOS, built from both scales', () => {
    trayIcon('darwin');

    expect(trayIconFiles('darwin').oneX).toMatch(/trayTemplate\.png$/);
    const representations = electron.image.addRepresentation.mock.calls.map(
      ([rep]) => rep as { scaleFactor: number; dataURL: string },
    );
    expect(representations.map((rep) => rep.scaleFactor)).toEqual([1, 2]);
    for (const rep of representations) {
      // A PNG's signature, base64-encoded.
      expect(rep.dataURL).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    }
    expect(electron.image.setTemplateImage).toHaveBeenCalledWith(true);
  });

  it.each(['win32', 'linux'] as const)('is a coloured image on %s', (platform) => {
    trayIcon(platform);

    expect(trayIconFiles(platform).oneX).toMatch(/tray\.png$/);
    expect(electron.image.addRepresentation).toHaveBeenCalledTimes(2);
    expect(electron.image.setTemplateImage).not.toHaveBeenCalled();
  });
});
