import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          // Renderer component tests are .tsx and choose a DOM per file
          // (`// @vitest-environment happy-dom`); everything else runs in Node.
          include: [
            'tests/unit/**/*.test.{ts,tsx}',
            'tests/lint/**/*.test.ts',
            'tests/packaging/**/*.test.ts',
          ],
          environment: 'node',
          // electron-store imports `electron`, which throws outside Electron: inline it so that a
          // test's vi.mock('electron') also applies inside electron-store (docs/TESTING.md).
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores, and the tests drive Chromium and local OAuth servers: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
