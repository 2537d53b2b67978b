/** The `packaged-teardown` project: removes this run's packaged app (pack.setup.ts). */
import { rmSync } from 'node:fs';
import { test as teardown } from '@playwright/test';
import { runPackageDir } from '../support/packaged/run-package';

teardown('remove the packaged app of this run', () => {
  rmSync(runPackageDir(), { recursive: true, force: true });
});
