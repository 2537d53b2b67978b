/**
 * Readers for the icon files in build/, independent of the code that writes them
 * (scripts/make-icons.ts): PNG (8-bit RGBA, any filter), the entries of an ICNS family, the
 * images of an ICO directory (PNG or 32-bit DIB). Each image comes back as RGBA, straight alpha,
 * rows top to bottom, so files can be compared by their pixels rather than by their compressed
 * bytes (which differ between zlib versions).
 */
import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export const isPng = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.subarray(0, 8)).equals(PNG_SIGNATURE);

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

export const decodePng = (input: Uint8Array): DecodedImage => {
  const bytes = Buffer.from(input);
  if (!isPng(bytes)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const data: Buffer[] = [];
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || colour !== 6 || interlace !== 0) {
        throw new Error(
          `unsupported PNG: depth ${depth}, colour ${colour}, interlace ${interlace}`,
        );
      }
    } else if (type === 'IDAT') {
      data.push(body);
    }
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const upLeft = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const predicted = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter!];
      if (predicted === undefined) throw new Error(`bad PNG filter ${filter}`);
      rgba[y * stride + x] = (value + predicted) & 0xff;
    }
  }
  return { width, height, rgba };
};

/** The elements of an ICNS family: four-letter type and payload. */
export const readIcns = (input: Uint8Array): { type: string; data: Buffer }[] => {
  const bytes = Buffer.from(input);
  if (bytes.toString('ascii', 0, 4) !== 'icns') throw new Error('not an ICNS file');
  if (bytes.readUInt32BE(4) !== bytes.length) throw new Error('ICNS length does not match');
  const entries: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset + 4);
    entries.push({
      type: bytes.toString('ascii', offset, offset + 4),
      data: bytes.subarray(offset + 8, offset + length),
    });
    offset += length;
  }
  return entries;
};

/** A 32-bit DIB (BITMAPINFOHEADER, bottom-up BGRA, colour and mask stacked) as RGBA. */
const decodeDib = (bytes: Buffer): DecodedImage => {
  const width = bytes.readInt32LE(4);
  const height = bytes.readInt32LE(8) / 2;
  if (bytes.readUInt16LE(14) !== 32) throw new Error('only 32-bit icon images are read');
  const pixels = bytes.subarray(bytes.readUInt32LE(0));
  const rgba = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const y = height - 1 - row;
    for (let x = 0; x < width; x++) {
      const from = (row * width + x) * 4;
      const to = (y * width + x) * 4;
      rgba[to] = pixels[from + 2]!;
      rgba[to + 1] = pixels[from + 1]!;
      rgba[to + 2] = pixels[from]!;
      rgba[to + 3] = pixels[from + 3]!;
    }
  }
  return { width, height, rgba };
};

/** The images of an ICO file with the size its directory entry declares (0 means 256). */
export const readIco = (
  input: Uint8Array,
): { declared: number; format: 'png' | 'dib'; image: DecodedImage }[] => {
  const bytes = Buffer.from(input);
  if (bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  const count = bytes.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const entry = 6 + 16 * i;
    const declared = bytes[entry] || 256;
    const data = bytes.subarray(
      bytes.readUInt32LE(entry + 12),
      bytes.readUInt32LE(entry + 12) + bytes.readUInt32LE(entry + 8),
    );
    return isPng(data)
      ? { declared, format: 'png' as const, image: decodePng(data) }
      : { declared, format: 'dib' as const, image: decodeDib(data) };
  });
};
