/**
 * The application icons electron-builder packs: present for every platform in the form it takes
 * without converting (so packaging needs no icon tool download), at the sizes each platform
 * uses, and exactly what scripts/make-icons.ts draws — an edited drawing that was not re-run, or
 * a hand-edited file, fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  cachedRenderer,
  ICNS_TYPES,
  ICO_SIZES,
  iconFiles,
  LINUX_SIZES,
  type Image,
} from '../../scripts/make-icons';
import { decodePng, isPng, readIcns, readIco, type DecodedImage } from './image-files';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): Buffer => readFileSync(join(repoRoot, path));
const draw = cachedRenderer();

const expectPixels = (decoded: DecodedImage, expected: Image, what: string): void => {
  expect({ width: decoded.width, height: decoded.height }, what).toEqual({
    width: expected.size,
    height: expected.size,
  });
  // toEqual on megabyte arrays prints unreadably; compare bytes, report the first difference.
  const first = decoded.rgba.findIndex((value, i) => value !== expected.rgba[i]);
  expect(first, `${what}: first differing byte`).toBe(-1);
};

/** Alpha at (x, y) of an image, with x and y as fractions of its size. */
const alphaAt = (image: Image, fx: number, fy: number): number =>
  image.rgba[(Math.floor(fy * image.size) * image.size + Math.floor(fx * image.size)) * 4 + 3]!;

describe('application icons', () => {
  it('every icon file exists and holds what scripts/make-icons.ts draws', () => {
    const files = iconFiles(draw);
    expect(files.map((file) => file.path)).toEqual(
      expect.arrayContaining(['build/icon.png', 'build/icon.icns', 'build/icon.ico']),
    );
    for (const file of files) {
      expect(
        existsSync(join(repoRoot, file.path)),
        `${file.path} (run scripts/make-icons.ts)`,
      ).toBe(true);
    }

    expectPixels(decodePng(read('build/icon.png')), draw(1024), 'build/icon.png');
    for (const size of LINUX_SIZES) {
      const path = `build/icons/${size}x${size}.png`;
      expectPixels(decodePng(read(path)), draw(size), path);
    }
  });

  it('icon.png is the 1024 px source (electron-builder wants at least 512 px for macOS)', () => {
    const image = decodePng(read('build/icon.png'));
    expect(image.width).toBe(1024);
    expect(image.height).toBe(1024);
  });

  it('icon.icns has PNG elements from 32 to 1024 px, each the drawing at its size', () => {
    const entries = readIcns(read('build/icon.icns'));
    expect(entries.map((entry) => entry.type)).toEqual(ICNS_TYPES.map(([type]) => type));
    // ic10 is the 512 pt @2x image Finder and the Dock use on Retina displays.
    expect(entries.find((entry) => entry.type === 'ic10')).toBeDefined();
    for (const [type, size] of ICNS_TYPES) {
      const entry = entries.find((candidate) => candidate.type === type)!;
      expect(isPng(entry.data), `${type} is PNG`).toBe(true);
      expectPixels(decodePng(entry.data), draw(size), `icon.icns ${type}`);
    }
  });

  it('icon.ico has 16 to 256 px images (electron-builder refuses an .ico under 256 px)', () => {
    const images = readIco(read('build/icon.ico'));
    expect(images.map((image) => image.declared)).toEqual([...ICO_SIZES]);
    expect(Math.max(...images.map((image) => image.declared))).toBeGreaterThanOrEqual(256);
    for (const { declared, format, image } of images) {
      // Windows expects PNG at 256 px and reads bitmaps everywhere else.
      expect(format, `${declared} px format`).toBe(declared >= 256 ? 'png' : 'dib');
      expectPixels(image, draw(declared), `icon.ico ${declared} px`);
    }
  });

  it('build/icons/ is named the way electron-builder reads a Linux icon set', () => {
    const names = readdirSync(join(repoRoot, 'build/icons')).sort();
    expect(names).toEqual(LINUX_SIZES.map((size) => `${size}x${size}.png`).sort());
    for (const name of names) {
      const [, size] = /^(\d+)x\1\.png$/.exec(name) ?? [];
      const image = decodePng(read(`build/icons/${name}`));
      expect(image.width, name).toBe(Number(size));
    }
  });

  it('draws a rounded body with transparent corners and an opaque middle at every size', () => {
    for (const size of [16, 32, 256, 1024]) {
      const image = draw(size);
      expect(alphaAt(image, 0, 0), `${size} px corner`).toBe(0);
      expect(alphaAt(image, 0.5, 0.5), `${size} px middle`).toBe(255);
      // The key is white: the middle of the shaft (right of the ring) is white on opaque blue.
      // At 16 px the shaft is a single antialiased pixel row, so that size is left out.
      if (size < 32) continue;
      const offset = (Math.floor(0.5 * size) * size + Math.floor(0.6 * size)) * 4;
      expect([...image.rgba.subarray(offset, offset + 4)], `${size} px key`).toEqual([
        255, 255, 255, 255,
      ]);
    }
  });
});
