/**
 * End to end in real Electron: starts the built app (out/main/index.js) and checks its window.
 *
 * The Electron binary is downloaded on first use, which the project's build and CI machines
 * cannot do (docs/TESTING.md). This spec never triggers that download: it looks for the binary
 * first and, where it is absent, reports itself as skipped with the reason.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mainBundle = join(repoRoot, 'out/main/index.js');

/** Why Electron cannot run here, or undefined when it can. Mirrors node_modules/electron/index.js. */
const electronUnavailableReason = (): string | undefined => {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, executable ?? 'electron');
    return existsSync(binary)
      ? undefined
      : `ELECTRON_OVERRIDE_DIST_PATH is set, but ${binary} does not exist`;
  }
  if (executable === undefined || !existsSync(join(packageDir, 'dist', executable))) {
    return (
      'the Electron binary is not installed on this machine (no internet to download it); ' +
      'run `npx install-electron` or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron'
    );
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'Electron needs a display server and none is set (DISPLAY); run under `xvfb-run`';
  }
  return undefined;
};

test('the main window shows the title Tokendesk', async () => {
  const skipReason = electronUnavailableReason();
  if (skipReason !== undefined) console.log(`[electron-app.spec] skipped: ${skipReason}`);
  test.skip(skipReason !== undefined, skipReason);

  expect(existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\` first`).toBe(
    true,
  );

  // A throwaway config home, so the test never touches the user's real accounts (Linux: userData
  // lives under XDG_CONFIG_HOME).
  const configHome = mkdtempSync(join(tmpdir(), 'tokendesk-e2e-'));
  const app = await electron.launch({
    args: ['out/main/index.js'],
    cwd: repoRoot,
    env: { ...process.env, XDG_CONFIG_HOME: configHome },
  });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Tokendesk');
    await expect(window.getByRole('heading', { name: /Tokendesk/ })).toBeVisible();
    const nativeTitle = await app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]?.getTitle(),
    );
    expect(nativeTitle).toBe('Tokendesk');
  } finally {
    await app.close();
    rmSync(configHome, { recursive: true, force: true });
  }
});
