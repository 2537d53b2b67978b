/**
 * The least a durable whole-file save can do: write a temp file, fsync it, rename it over the
 * old one. conf (and electron-store) do this through `atomically`, plus a few checks; this bare
 * version is the floor any save that survives a crash pays, with no library around it.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export const durableWrite = (path: string, data: string): void => {
  const temp = `${path}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
};
