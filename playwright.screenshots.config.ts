import { defineConfig } from '@playwright/test';

/**
 * `npm run screenshots`: the README's screenshots from the real app window
 * (tests/e2e/screenshots/), on the same Electron runtime, display and keyring as the
 * real-Electron specs. Kept out of playwright.config.ts so that `npm test` writes no tracked file.
 */
export default defineConfig({
  testDir: 'tests/e2e/screenshots',
  workers: 1,
  retries: 0,
  timeout: 180_000,
  reporter: 'list',
  globalSetup: './tests/e2e/support/electron/global-setup.ts',
});
