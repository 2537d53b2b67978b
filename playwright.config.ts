import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// Playwright's own browser download does not work on the project's machines: use Debian's
// Chromium (apt), or CHROMIUM_PATH; elsewhere fall back to Playwright's installed browser.
const chromiumPath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'tests/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: 'list',
  // The real-Electron specs' runtime, display, D-Bus session and keyring (docs/TESTING.md).
  globalSetup: './tests/e2e/support/electron/global-setup.ts',
  projects: [
    {
      // The files `npm run build` left in out/, checked in plain Node (no browser, no Electron).
      name: 'build',
      testMatch: 'build-output.spec.ts',
    },
    {
      // electron-builder packs out/ with electron-builder.yml around the real Electron runtime (a
      // directory build, nothing downloaded), once per run, into a temporary folder
      // (tests/e2e/support/packaged/run-package.ts); packaged-teardown removes it.
      name: 'packaged-setup',
      testMatch: 'packaged/pack.setup.ts',
      teardown: 'packaged-teardown',
    },
    { name: 'packaged-teardown', testMatch: 'packaged/pack.teardown.ts' },
    {
      // What a user installs: the package's files (app.asar, package.json, fuses), and the
      // packaged executable started as a user starts it, production fuses on.
      name: 'packaged',
      testMatch: 'packaged/*.spec.ts',
      dependencies: ['packaged-setup'],
    },
    {
      // The built app in real Electron (tests/e2e/electron/). Each spec says why when it skips
      // (no runtime, display or keyring), and fails instead in CI.
      name: 'electron',
      testMatch: 'electron/**/*.spec.ts',
    },
    {
      // The built renderer (out/renderer) in real Chromium, outside Electron; the journey spec binds
      // it to the real API object through the test host (tests/e2e/support/renderer-host.ts).
      name: 'chromium',
      testMatch: 'renderer-*.spec.ts',
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
            '--disable-sync',
          ],
        },
      },
    },
  ],
});
