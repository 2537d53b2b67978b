/**
 * The `packaged-setup` project: packs Tokendesk once per Playwright run, with electron-builder.yml,
 * around the Electron runtime the global setup chose (tests/e2e/support/packaged/). The
 * `packaged` specs use the result; `packaged-teardown` removes it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { test as setup } from '@playwright/test';
import { requireThat } from '../support/electron/electron-harness';
import { preparedRuntime } from '../support/electron/harness-env';
import { packTokendesk } from '../support/packaged/pack-tokendesk';
import { PLANTED_FILES } from '../support/packaged/planted-files';
import {
  removeStalePackages,
  runPackageDir,
  saveRunPackage,
} from '../support/packaged/run-package';

setup('pack Tokendesk with electron-builder.yml around the Electron runtime', async () => {
  // Copying Electron (260 MB) and packing take about ten seconds here; a busy machine, longer.
  setup.setTimeout(300_000);
  const prepared = preparedRuntime();
  requireThat('reason' in prepared ? prepared.reason : undefined, 'pack.setup');
  const { runtime } = prepared as Extract<typeof prepared, { runtime: unknown }>;

  removeStalePackages();
  const dir = runPackageDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  saveRunPackage(await packTokendesk({ runtime, workDir: dir, plant: PLANTED_FILES }));
});
