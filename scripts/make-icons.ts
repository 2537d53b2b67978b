/**
 * Draws Tokendesk's application icon and writes every file electron-builder takes it from:
 *
 * - build/icon.png      1024 px, the source image (electron-builder's generic fallback)
 * - build/icon.icns     macOS (PNG entries 32 to 1024 px)
 * - build/icon.ico      Windows and the NSIS installer (16 to 256 px)
 * - build/icons/NxN.png Linux (installed into the hicolor theme by the AppImage and the .deb)
 *
 * electron-builder takes icon.icns, icon.ico and icons/ as they are; from a PNG alone it would
 * convert with a tool it downloads at packaging time. Writing all of them here keeps that step
 * offline, and draws each size at that size instead of scaling the 1024 px image down.
 *
 * The icon is the tray's design (build/tray/) at application size: a white key on a blue rounded
 * square, laid out on Apple's icon grid (an 824 px body on a 1024 px canvas, corner radius 185).
 * Shapes are signed distance functions, so every size gets exact one-pixel antialiasing, and the
 * output depends on nothing but this file: run `npx tsx scripts/make-icons.ts` after changing it
 * (tests/packaging/icons.test.ts fails until the committed files match the drawing).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** An RGBA image, straight (not premultiplied) alpha, rows top to bottom. */
export interface Image {
  readonly size: number;
  readonly rgba: Uint8Array;
}

const CANVAS = 1024;
const BODY = { cx: 512, cy: 512, half: 412, radius: 185 } as const;
const KEY = {
  ring: { cx: 372, cy: 512, outer: 150, inner: 68 },
  shaft: { x0: 490, x1: 800, y0: 478, y1: 546 },
  teeth: [
    { x0: 650, x1: 712, y0: 512, y1: 640 },
    { x0: 738, x1: 800, y0: 512, y1: 686 },
  ],
} as const;
// The tray badge's blue (47, 111, 223) in the middle of a slight top-to-bottom gradient.
const TOP = [58, 125, 235] as const;
const BOTTOM = [36, 97, 211] as const;

type Rect = { readonly x0: number; readonly x1: number; readonly y0: number; readonly y1: number };

const roundedBox = (
  x: number,
  y: number,
  cx: number,
  cy: number,
  hx: number,
  hy: number,
  r: number,
): number => {
  const qx = Math.abs(x - cx) - (hx - r);
  const qy = Math.abs(y - cy) - (hy - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

const box = (x: number, y: number, rect: Rect): number =>
  roundedBox(
    x,
    y,
    (rect.x0 + rect.x1) / 2,
    (rect.y0 + rect.y1) / 2,
    (rect.x1 - rect.x0) / 2,
    (rect.y1 - rect.y0) / 2,
    0,
  );

/** Signed distance (canvas units) to the key: negative inside. */
const keyDistance = (x: number, y: number): number => {
  const fromCentre = Math.hypot(x - KEY.ring.cx, y - KEY.ring.cy);
  const ring = Math.max(fromCentre - KEY.ring.outer, KEY.ring.inner - fromCentre);
  let distance = Math.min(ring, box(x, y, KEY.shaft));
  for (const tooth of KEY.teeth) distance = Math.min(distance, box(x, y, tooth));
  return distance;
};

const bodyDistance = (x: number, y: number): number =>
  roundedBox(x, y, BODY.cx, BODY.cy, BODY.half, BODY.half, BODY.radius);

/** Coverage of a pixel by a shape from its signed distance in output pixels. */
const coverage = (distancePx: number): number => Math.min(1, Math.max(0, 0.5 - distancePx));

export const renderIcon = (size: number): Image => {
  const scale = size / CANVAS;
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    const y = (py + 0.5) / scale;
    const t = Math.min(1, Math.max(0, (y - (BODY.cy - BODY.half)) / (2 * BODY.half)));
    const background = TOP.map((top, i) => top + (BOTTOM[i]! - top) * t);
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / scale;
      const alpha = coverage(bodyDistance(x, y) * scale);
      const key = coverage(keyDistance(x, y) * scale);
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) {
        rgba[offset + i] = Math.round(background[i]! + (255 - background[i]!) * key);
      }
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return { size, rgba };
};

const chunk = (type: string, data: Uint8Array): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** PNG: 8-bit RGBA, no interlace, filter type 0 on every row. */
export const encodePng = (image: Image): Buffer => {
  const { size, rgba } = image;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let row = 0; row < size; row++) {
    raw[row * (size * 4 + 1)] = 0;
    raw.set(rgba.subarray(row * size * 4, (row + 1) * size * 4), row * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
};

/** macOS icon types holding PNG data, and the pixel size of each. */
export const ICNS_TYPES = [
  ['ic11', 32], // 16 pt @2x
  ['ic12', 64], // 32 pt @2x
  ['ic07', 128],
  ['ic13', 256], // 128 pt @2x
  ['ic08', 256],
  ['ic14', 512], // 256 pt @2x
  ['ic09', 512],
  ['ic10', 1024], // 512 pt @2x
] as const;

export const encodeIcns = (draw: (size: number) => Image): Buffer => {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const png = encodePng(draw(size));
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((sum, entry) => sum + entry.length, 0), 4);
  return Buffer.concat([head, ...entries]);
};

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

/**
 * A classic 32-bit DIB icon image (BITMAPINFOHEADER, bottom-up BGRA, then the 1-bit AND mask),
 * the form every Windows version and NSIS read; 256 px is stored as PNG, as Windows expects.
 */
const icoBitmap = (image: Image): Buffer => {
  const { size, rgba } = image;
  const maskRow = Math.ceil(size / 32) * 4;
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // colour and mask stacked
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(size * size * 4 + maskRow * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskRow * size);
  for (let row = 0; row < size; row++) {
    const source = size - 1 - row;
    for (let x = 0; x < size; x++) {
      const from = (source * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2]!;
      pixels[to + 1] = rgba[from + 1]!;
      pixels[to + 2] = rgba[from]!;
      pixels[to + 3] = rgba[from + 3]!;
      // A set bit marks a transparent pixel for readers that ignore the alpha channel.
      const byte = row * maskRow + (x >> 3);
      if (rgba[from + 3] === 0) mask[byte] = (mask[byte] ?? 0) | (0x80 >> (x & 7));
    }
  }
  return Buffer.concat([header, pixels, mask]);
};

export const encodeIco = (draw: (size: number) => Image): Buffer => {
  const images = ICO_SIZES.map((size) =>
    size >= 256 ? encodePng(draw(size)) : icoBitmap(draw(size)),
  );
  const directory = Buffer.alloc(6 + 16 * images.length);
  directory.writeUInt16LE(0, 0);
  directory.writeUInt16LE(1, 2); // type: icon
  directory.writeUInt16LE(images.length, 4);
  let offset = directory.length;
  images.forEach((data, i) => {
    const entry = 6 + 16 * i;
    const size = ICO_SIZES[i]!;
    directory[entry] = size >= 256 ? 0 : size; // 0 means 256
    directory[entry + 1] = size >= 256 ? 0 : size;
    directory.writeUInt16LE(1, entry + 4); // planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(data.length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += data.length;
  });
  return Buffer.concat([directory, ...images]);
};

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/** Every file this script owns, relative to the repository root, and how to make it. */
export const iconFiles = (
  draw: (size: number) => Image = renderIcon,
): { readonly path: string; readonly make: () => Buffer }[] => [
  { path: 'build/icon.png', make: () => encodePng(draw(CANVAS)) },
  { path: 'build/icon.icns', make: () => encodeIcns(draw) },
  { path: 'build/icon.ico', make: () => encodeIco(draw) },
  ...LINUX_SIZES.map((size) => ({
    path: `build/icons/${size}x${size}.png`,
    make: () => encodePng(draw(size)),
  })),
];

/** renderIcon, drawing each size once. */
export const cachedRenderer = (): ((size: number) => Image) => {
  const cache = new Map<number, Image>();
  return (size) => {
    let image = cache.get(size);
    if (!image) {
      image = renderIcon(size);
      cache.set(size, image);
    }
    return image;
  };
};

const main = (): void => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const file of iconFiles(cachedRenderer())) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.make());
    console.log(`wrote ${file.path}`);
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
