/**
 * The packaged app of this Playwright run: packed once by the `packaged-setup` project
 * (tests/e2e/packaged/pack.setup.ts), read by every spec of the `packaged` project, removed by
 * `packaged-teardown`.
 *
 * It lives in the system's temporary folder, named after the Playwright runner's pid: every
 * worker of a run is a child of that runner (so a worker restarted after a failure finds the same
 * package), and two runs at once (other engineers', in the same checkout) never share one.
 * test-results/ would not do: every run empties it when it starts.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { requireElectron, requireThat } from '../electron/electron-harness';
import { preparedRuntime } from '../electron/harness-env';
import type { PackagedApp } from './packaged-app';

const PREFIX = 'tokendesk-packaged-run-';
const MANIFEST = 'packaged-app.json';

export const runPackageDir = (runner: number = process.ppid): string =>
  join(tmpdir(), `${PREFIX}${runner}`);

/** Written last, once the package is complete: its presence means "ready". */
export const saveRunPackage = (app: PackagedApp): void => {
  writeFileSync(join(runPackageDir(), MANIFEST), `${JSON.stringify(app, undefined, 2)}\n`);
};

export const loadRunPackage = (): PackagedApp | undefined => {
  const manifest = join(runPackageDir(), MANIFEST);
  if (!existsSync(manifest)) return undefined;
  return JSON.parse(readFileSync(manifest, 'utf8')) as PackagedApp;
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process of another user has that pid now; not ours to clean up after.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Packages of runs that ended without their teardown (killed, interrupted): 260 MB each. */
export const removeStalePackages = (): void => {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const runner = Number(entry.slice(PREFIX.length));
    if (Number.isInteger(runner) && runner !== process.ppid && !alive(runner)) {
      rmSync(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
};

export interface PackageNeeds {
  /** The spec file's name, for the printed reason. */
  readonly spec: string;
  /** Whether the spec starts the app (a display then), or only reads the package's files. */
  readonly launches: boolean;
}

/**
 * This run's packaged app, after skipping (printing why) or, in CI, failing the calling test when
 * there is no Electron to pack around, or no display to start it on.
 */
export const requirePackagedApp = ({ spec, launches }: PackageNeeds): PackagedApp => {
  if (launches) requireElectron({ spec });
  else {
    const prepared = preparedRuntime();
    requireThat('reason' in prepared ? prepared.reason : undefined, spec);
  }
  const app = loadRunPackage();
  expect(
    app,
    `no packaged app at ${runPackageDir()}: the packaged-setup project packs it; run the spec ` +
      'through playwright.config.ts, without --no-deps',
  ).toBeDefined();
  return app!;
};
