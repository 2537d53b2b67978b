/**
 * The least a durable whole-file save can do: write every byte of a temp file, fsync it, rename
 * it over the old one, fsync the folder (so the rename itself survives a crash). The app's save
 * does this plus its checks; this bare version is the floor any save that survives a crash and a
 * full disk pays, with no library around it.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const durableWrite = (path: string, data: string): void => {
  const temp = `${path}.tmp`;
  const bytes = Buffer.from(data);
  const fd = openSync(temp, 'w', 0o600);
  try {
    for (let written = 0; written < bytes.length;) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  const folder = openSync(dirname(path), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
};
