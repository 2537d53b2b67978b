/**
 * Starting the built Tokendesk (out/) in real Electron for a spec: on the runtime, display and
 * keyring the global setup prepared, on a throwaway profile a spec can start again (restart
 * tests), with the app's own output kept for assertions about its logs.
 *
 * A spec that cannot run here says why when it skips; in CI (CI set) it fails instead, because CI
 * installs everything these specs need.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { ENV, preparedRuntime } from './harness-env';
import type { ElectronRuntime } from './which-electron';

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
const mainBundle = join(repoRoot, 'out/main/index.js');

export const inCi = (): boolean => Boolean(process.env.CI) && process.env.CI !== 'false';

/** Skips (printing why) or, in CI, fails the calling test when `reason` is set. */
export const requireThat = (reason: string | undefined, spec: string): void => {
  if (reason === undefined) return;
  if (inCi()) throw new Error(`[${spec}] cannot run in CI: ${reason}`);
  console.log(`[${spec}] skipped: ${reason}`);
  test.skip(true, reason);
};

export interface Needs {
  /** The spec file's name, for the printed reason. */
  readonly spec: string;
  /** An unlocked keyring for safeStorage (default: not needed). */
  readonly keyring?: boolean;
}

/** The runtime to launch, after skipping or failing the test if Electron cannot run here. */
export const requireElectron = ({ spec, keyring = false }: Needs): ElectronRuntime => {
  const prepared = preparedRuntime();
  requireThat('reason' in prepared ? prepared.reason : undefined, spec);
  requireThat(process.env[ENV.noDisplay], spec);
  if (keyring) requireThat(process.env[ENV.noKeyring], spec);
  expect(existsSync(mainBundle), `${mainBundle} is missing: run \`npm run build\` first`).toBe(
    true,
  );
  return (prepared as { runtime: ElectronRuntime }).runtime;
};

/** A user's profile: Tokendesk's data folder and Electron's, under one temporary folder. */
export interface Profile {
  readonly dir: string;
  /** XDG_CONFIG_HOME: Electron puts userData (…/Tokendesk) here on Linux. */
  readonly configHome: string;
  readonly userData: string;
  readonly storeFile: string;
  readonly windowStateFile: string;
  remove(): void;
}

export const createProfile = (): Profile => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-electron-'));
  const configHome = join(dir, 'config');
  mkdirSync(configHome);
  const userData = join(configHome, 'Tokendesk');
  return {
    dir,
    configHome,
    userData,
    storeFile: join(userData, 'tokendesk.json'),
    windowStateFile: join(userData, 'window-state.json'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};

export interface LaunchOptions {
  readonly runtime: ElectronRuntime;
  readonly profile: Profile;
  /** Start with the test keyring (gnome-libsecret) or without any (basic_text). Default: with. */
  readonly keyring?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

export interface RunningApp {
  readonly app: ElectronApplication;
  /** The app window, once its heading shows. */
  readonly window: Page;
  /** Everything the app wrote to stdout and stderr so far, from its start. */
  readonly output: () => string;
  readonly close: () => Promise<void>;
}

/**
 * Not passed on: Node modes a developer's shell may have on, and the Wayland session, where
 * Electron 38+ would open its windows on the developer's screen rather than the test display.
 */
const DROPPED = new Set(['ELECTRON_RUN_AS_NODE', 'NODE_OPTIONS', 'WAYLAND_DISPLAY']);

/** The environment every launch gets: the profile's folders, and no Node mode left on. */
export const appEnvironment = (profile: Profile, extra: Readonly<Record<string, string>> = {}) => {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !DROPPED.has(name)) env[name] = value;
  }
  return {
    ...env,
    XDG_CONFIG_HOME: profile.configHome,
    XDG_CACHE_HOME: join(profile.dir, 'cache'),
    ...(process.platform === 'linux' ? { XDG_SESSION_TYPE: 'x11' } : {}),
    ...extra,
  };
};

/** Copies the app's output to a file from its first byte (tee-output.sh). */
const teeOutput = fileURLToPath(new URL('./tee-output.sh', import.meta.url));
let launches = 0;

export const passwordStoreSwitch = (keyring: boolean): string =>
  `--password-store=${keyring ? 'gnome-libsecret' : 'basic'}`;

/**
 * Starts the built app as `electron <repo>` does (package.json names it and points at
 * out/main/index.js). The executable is given explicitly: Playwright then adds no loader of its own,
 * whose switches would force --password-store=basic and hide the keyring.
 */
export const launchTokendesk = async ({
  runtime,
  profile,
  keyring = true,
  env = {},
  args = [],
}: LaunchOptions): Promise<RunningApp> => {
  launches += 1;
  const outputFile = join(profile.dir, `output-${launches}.log`);
  writeFileSync(outputFile, '');
  const app = await _electron.launch({
    executablePath: process.platform === 'win32' ? runtime.executable : teeOutput,
    args: [repoRoot, passwordStoreSwitch(keyring), ...args],
    cwd: repoRoot,
    env: {
      ...appEnvironment(profile, env),
      TOKENDESK_E2E_ELECTRON_BIN: runtime.executable,
      TOKENDESK_E2E_OUTPUT: outputFile,
    },
    // Playwright would emulate a light colour scheme; the app follows the system's (nativeTheme).
    colorScheme: null,
  });
  let window: Page;
  try {
    window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
  } catch (error) {
    // An app that started but never showed its window must not outlive the test.
    await app.close().catch(() => app.process().kill('SIGKILL'));
    throw error;
  }
  return {
    app,
    window,
    output: () => readFileSync(outputFile, 'utf8'),
    close: async () => {
      await app.close();
    },
  };
};

/**
 * Runs `work` against the app started on a new profile — without a keyring unless `needs` asks
 * for one — then closes the app and removes the profile, whatever happened.
 */
export const withTokendesk = async (
  needs: Needs,
  work: (running: RunningApp) => Promise<void>,
): Promise<void> => {
  const runtime = requireElectron(needs);
  const profile = createProfile();
  const running = await launchTokendesk({ runtime, profile, keyring: needs.keyring ?? false });
  try {
    await work(running);
  } finally {
    await running.close();
    profile.remove();
  }
};
