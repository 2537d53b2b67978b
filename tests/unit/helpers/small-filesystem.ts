/**
 * A real, tiny file system for "the disk is full" tests: a tmpfs of a few KiB, mounted by root.
 * Where it cannot be mounted (not Linux, not root, mount refused) the tests that need it print the
 * reason and skip; in CI (CI set, running as root) they fail instead, because CI can mount it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFilesystem {
  /** The mount point: a folder with exactly `bytes` of room. */
  readonly dir: string;
  unmount(): void;
}

const describe = (error: unknown): string => {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  return stderr || (error instanceof Error ? error.message : String(error));
};

export const mountSmallFilesystem = (bytes: number): SmallFilesystem | { reason: string } => {
  if (process.platform !== 'linux') return { reason: 'a tmpfs of a given size needs Linux' };
  if (process.getuid?.() !== 0)
    return { reason: 'mounting a tmpfs needs root (CI runs the tests as root)' };
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmdirSync(dir);
    return { reason: `mount -t tmpfs was refused: ${describe(error)}` };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmdirSync(dir);
    },
  };
};

/**
 * Why a small file system cannot be had here, after one trial mount; undefined when it can. In CI
 * a reason is an error: the tests must run there.
 */
export const smallFilesystemUnavailable = (spec: string): string | undefined => {
  const trial = mountSmallFilesystem(64 * 1024);
  if ('reason' in trial) {
    if (process.env.CI && process.env.CI !== 'false')
      throw new Error(`[${spec}] cannot run in CI: ${trial.reason}`);
    console.log(`[${spec}] skipped: ${trial.reason}`);
    return trial.reason;
  }
  trial.unmount();
  return undefined;
};
