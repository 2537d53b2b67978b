/**
 * What a user installs: electron-builder packs the built app (out/, after `npm run build`) with
 * electron-builder.yml, and this spec opens the result. It runs electron-builder itself —
 * its file selection, its app.asar, its package.json rewrite, its fuse flipping — for a Linux
 * directory build (no installer) around a stand-in Electron: a file holding the fuse wire where
 * Electron keeps it, so nothing is downloaded. The installers themselves are built with
 * `npm run dist` on a machine with internet (build/README.md); where one has been built, the last
 * test reads the fuses of that real binary too, and otherwise says why it skipped.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { expect, test } from '@playwright/test';
import { Arch, build, Platform } from 'electron-builder';
import { pathsMainLoads } from './support/main-bundle';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outDir = join(repoRoot, 'out');
const repoPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  productName: string;
  version: string;
  main: string;
  dependencies: Record<string, string>;
};

// Electron's fuse wire (docs/tutorial/fuses.md): this sentinel, a version byte, a length byte,
// then one byte per fuse, "0" (0x30) off and "1" (0x31) on.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const OFF = 0x30;
const ON = 0x31;
/** Electron's defaults for the eight V1 fuses, in wire order (FuseV1Options). */
const ELECTRON_DEFAULT_WIRE = '10110001';

/** The fuse states electron-builder.yml asks for, by wire position. */
const EXPECTED_FUSES: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: OFF,
  [FuseV1Options.EnableCookieEncryption]: ON,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
  [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
  [FuseV1Options.OnlyLoadAppFromAsar]: ON,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
  // Kept on: the renderer is a file: page with module scripts (electron-builder.yml).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: ON,
};

const fuseStates = async (executable: string): Promise<Record<string, number | undefined>> => {
  const wire = (await getCurrentFuseWire(executable)) as unknown as Record<string, number>;
  return Object.fromEntries(
    Object.keys(EXPECTED_FUSES).map((position): [string, number | undefined] => [
      FuseV1Options[Number(position)]!,
      wire[position],
    ]),
  );
};
const expectedStates = Object.fromEntries(
  Object.entries(EXPECTED_FUSES).map(([position, state]): [string, number] => [
    FuseV1Options[Number(position)]!,
    state,
  ]),
);

/** Files under a directory, as forward-slash paths relative to `base`. */
const filesUnder = (dir: string, base: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), base)
      : [relative(base, join(dir, entry.name)).split(sep).join('/')],
  );

/** Files (not folders) in an ASAR archive, as forward-slash paths without a leading slash. */
const filesInArchive = (archive: string): string[] =>
  listPackage(archive, { isPack: false })
    .map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''))
    .filter((entry) => !('files' in statFile(archive, entry)));

let workDir = '';
let appDir = '';
let archive = '';
/** A source map planted in out/ while packing: electron-builder must leave it out. */
const decoyMap = join(outDir, 'main', 'packaging-decoy.js.map');

test.beforeAll(async () => {
  test.setTimeout(180_000);
  expect(existsSync(join(outDir, 'main', 'index.js')), 'out/ is missing: run `npm run build`').toBe(
    true,
  );
  workDir = mkdtempSync(join(tmpdir(), 'tokendesk-package-'));
  const electronDist = join(workDir, 'electron-dist');
  const binary = Buffer.concat([
    Buffer.from('stand-in for the electron executable\0'),
    Buffer.from(SENTINEL, 'ascii'),
    Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]),
    Buffer.from(ELECTRON_DEFAULT_WIRE, 'ascii'),
    Buffer.from('\0rest of the binary'),
  ]);
  mkdirSync(electronDist, { recursive: true });
  writeFileSync(join(electronDist, 'electron'), binary, { mode: 0o755 });

  writeFileSync(decoyMap, '{"version":3,"sources":["../../main/index.ts"],"mappings":""}');
  try {
    await build({
      projectDir: repoRoot,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      // electron-builder.yml as it is, plus where to find Electron and where to write.
      config: { electronDist, directories: { output: join(workDir, 'dist') } },
    });
  } finally {
    rmSync(decoyMap, { force: true });
  }
  appDir = join(workDir, 'dist', 'linux-unpacked');
  archive = join(appDir, 'resources', 'app.asar');
});

test.afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('app.asar holds the build output and package.json, and nothing else', () => {
  expect(existsSync(archive), 'electron-builder wrote resources/app.asar').toBe(true);
  const packed = filesInArchive(archive).sort();

  // Everything the build made is there (main, preload, renderer and its assets, tray icons)…
  const built = filesUnder(outDir, repoRoot).filter((file) => !file.endsWith('.map'));
  expect(packed).toEqual([...built, 'package.json'].sort());
  for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    expect(packed).toContain(file);
  }
  expect(packed.some((file) => file.startsWith('out/renderer/assets/'))).toBe(true);

  // …and nothing else, though all of it was there to be taken: the production dependencies in
  // node_modules (bundled into main, so not needed), the source map planted in out/, sources,
  // tests, docs and tool configuration.
  for (const name of Object.keys(repoPackage.dependencies)) {
    expect(existsSync(join(repoRoot, 'node_modules', name, 'package.json')), name).toBe(true);
  }
  const unwanted = packed.filter(
    (file) =>
      /(^|\/)node_modules\//.test(file) ||
      file.endsWith('.map') ||
      /\.(ts|tsx|md)$/.test(file) ||
      /^(main|renderer|shared|tests|bench|docs|scripts|build|\.ci)\//.test(file) ||
      /^(tsconfig.*\.json|electron-builder\.yml|package-lock\.json|.*\.config\.[jt]s)$/.test(file),
  );
  expect(unwanted).toEqual([]);
});

test('the packed package.json starts the app: main inside the archive, ESM, name and version', () => {
  const packed = filesInArchive(archive);
  const manifest = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as Record<
    string,
    unknown
  >;
  expect(manifest.main).toBe(repoPackage.main);
  expect(packed).toContain(manifest.main);
  // main is an ES module; without "type": "module" Electron would load it as CommonJS.
  expect(manifest.type).toBe('module');
  // app.name and app.getVersion() (About panel, data folder) come from these.
  expect(manifest.productName).toBe(repoPackage.productName);
  expect(manifest.version).toBe(repoPackage.version);
  // electron-builder drops scripts and devDependencies from the packed copy.
  expect(manifest).not.toHaveProperty('devDependencies');
  expect(manifest).not.toHaveProperty('scripts');
  expect(manifest.desktopName).toBe('dev.tokendesk.app.desktop');

  // What main loads relative to itself, and what the page loads relative to itself, is packed.
  const main = String(manifest.main);
  const loads = pathsMainLoads(extractFile(archive, main).toString('utf8'));
  expect(loads).toEqual(expect.arrayContaining(['../preload/index.cjs', '../renderer/index.html']));
  for (const target of loads) {
    expect(packed, `main loads ${target}`).toContain(posix.join(posix.dirname(main), target));
  }
  const html = extractFile(archive, 'out/renderer/index.html').toString('utf8');
  const assets = [...html.matchAll(/\b(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) expect(packed).toContain(`out/renderer/${asset}`);
});

test('electron-builder flipped the fuses of the packaged binary as electron-builder.yml says', async () => {
  const executable = join(appDir, 'tokendesk');
  expect(existsSync(executable), 'the executable is named linux.executableName').toBe(true);
  expect(await fuseStates(executable)).toEqual(expectedStates);
});

/** A packaged app left in dist/ by `npm run dist`, where there is one. */
const packagedApps = (): string[] => {
  const dist = join(repoRoot, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist).flatMap((folder) => {
    const dir = join(dist, folder);
    const candidates = [
      join(dir, 'tokendesk'),
      join(dir, `${repoPackage.productName}.exe`),
      join(dir, `${repoPackage.productName}.app`),
    ];
    return candidates.filter((candidate) => existsSync(candidate));
  });
};

test('a real packaged app in dist/ has the same fuses and no node_modules', async () => {
  const apps = packagedApps();
  if (apps.length === 0) {
    const reason =
      'no packaged app in dist/: `npm run dist` needs the Electron download, which this machine ' +
      'cannot make; run it on a machine with internet and this test reads the real binary';
    console.log(`[package-contents.spec] skipped: ${reason}`);
    test.skip(true, reason);
  }
  for (const app of apps) {
    expect(await fuseStates(app), app).toEqual(expectedStates);
    const resources = app.endsWith('.app')
      ? join(app, 'Contents', 'Resources')
      : join(app, '..', 'resources');
    const packed = filesInArchive(join(resources, 'app.asar'));
    expect(packed).toContain('package.json');
    expect(packed.filter((file) => /node_modules\/|\.map$/.test(file))).toEqual([]);
  }
});
