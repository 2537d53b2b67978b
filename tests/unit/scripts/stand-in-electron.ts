/**
 * Stand-ins for an Electron executable and the archives it comes in, for the tests of the
 * scripts that install Electron: a shell script that answers like Electron run as Node, with
 * Electron's fuse wire in a comment (where @electron/fuses finds and flips it, as in the real
 * binary), zipped and tarred the way the real packages are.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Electron's fuse sentinel (docs/tutorial/fuses.md): then a version byte, a length byte, a byte per fuse. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Cypress's wire: RunAsNode on, EnableNodeCliInspectArguments off, its own V8 snapshot on. */
export const CYPRESS_WIRE = '10100011';

export interface StandInVersions {
  readonly electron: string;
  readonly chrome: string;
  readonly node: string;
}

/** A script that prints `versions` as Electron does for `-p <expr>` with ELECTRON_RUN_AS_NODE. */
export const writeStandInExecutable = (
  path: string,
  versions: StandInVersions,
  wire: string = CYPRESS_WIRE,
  banner = 'STAND-IN ELECTRON',
): void => {
  mkdirSync(dirname(path), { recursive: true });
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\n# '),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, wire.length]),
    Buffer.from(`${wire}\n`, 'ascii'),
    Buffer.from(
      `if [ "$ELECTRON_RUN_AS_NODE" = 1 ]; then echo '${JSON.stringify(versions)}'; exit 0; fi\n` +
        `echo '${banner}' "$@"\n`,
    ),
  ]);
  writeFileSync(path, script);
  chmodSync(path, 0o755);
};

/** The fuse wire as "0"/"1" characters, read back from a stand-in. */
export const readWire = (path: string): string => {
  const bytes = readFileSync(path);
  const at = bytes.indexOf(Buffer.from(SENTINEL, 'ascii')) + SENTINEL.length;
  const length = bytes[at + 1]!;
  return bytes.subarray(at + 2, at + 2 + length).toString('ascii');
};

const run = (command: string, args: readonly string[], cwd: string): void => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
};

/** Zips `entries` (paths relative to `dir`) into `zipPath`. */
export const zipFolder = (dir: string, entries: readonly string[], zipPath: string): void =>
  run('zip', ['-q', '-r', zipPath, ...entries], dir);

/** An npm-style tarball: `package/<file>` entries, gzipped. */
export const tarPackage = (packageDir: string, tarballPath: string): void =>
  run('tar', ['-czf', tarballPath, '-C', dirname(packageDir), 'package'], dirname(packageDir));

export const hashOf = (path: string, algorithm: 'sha1' | 'sha256'): string =>
  createHash(algorithm).update(readFileSync(path)).digest('hex');

export const writeFiles = (dir: string, files: Readonly<Record<string, string>>): void => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
};
