/**
 * What a user installs, read from the files: the packaged-setup project ran electron-builder with
 * electron-builder.yml on the built app (out/) around the real Electron runtime — its file
 * selection, its app.asar, its package.json rewrite, its fuse flipping on the real binary — and
 * this spec opens the result (tests/e2e/support/packaged/). The installers themselves are built
 * with `npm run dist` on a machine with internet (build/README.md); they are made from the same
 * folder this pack makes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { expect, test } from '@playwright/test';
import { repoRoot } from '../support/electron/electron-harness';
import { pathsMainLoads } from '../support/main-bundle';
import { NOT_PART_OF_THE_APP } from '../support/packaged/pack-tokendesk';
import { PLANTED_FILES } from '../support/packaged/planted-files';
import { requirePackagedApp } from '../support/packaged/run-package';

const spec = 'package-contents.spec';

/** Where `npm run build` puts the `tokendesk` command (scripts/build-command.ts). */
const COMMAND_FOLDER = 'out/command';

const repoPackage = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  productName: string;
  version: string;
  main: string;
  dependencies: Record<string, string>;
};

// Electron's fuse wire (docs/tutorial/fuses.md): one byte per fuse, "0" (0x30) off, "1" (0x31) on.
const OFF = 0x30;
const ON = 0x31;

/** The fuse states electron-builder.yml asks for, by wire position. */
const EXPECTED_FUSES: Record<FuseV1Options, number> = {
  [FuseV1Options.RunAsNode]: OFF,
  [FuseV1Options.EnableCookieEncryption]: ON,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: OFF,
  [FuseV1Options.EnableNodeCliInspectArguments]: OFF,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ON,
  [FuseV1Options.OnlyLoadAppFromAsar]: ON,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: OFF,
  // Off: the renderer is served on the app's own scheme, not file: (main/shell/app-protocol.ts).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: OFF,
};

type Wire = Record<string, number>;

const readWire = async (executable: string): Promise<Wire> =>
  (await getCurrentFuseWire(executable)) as unknown as Wire;

/** Positions of the wire, without its version field. */
const positions = (wire: Wire): string[] => Object.keys(wire).filter((key) => /^\d+$/.test(key));

const named = (wire: Wire): Record<string, number | undefined> =>
  Object.fromEntries(
    Object.keys(EXPECTED_FUSES).map((position): [string, number | undefined] => [
      FuseV1Options[Number(position)]!,
      wire[position],
    ]),
  );

/** Files under a directory, as forward-slash paths relative to `base`. */
const filesUnder = (dir: string, base: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), base)
      : [relative(base, join(dir, entry.name)).split(sep).join('/')],
  );

const sha256 = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex');

/** Files (not folders) in an ASAR archive, as forward-slash paths without a leading slash. */
const filesInArchive = (archive: string): string[] =>
  listPackage(archive, { isPack: false })
    .map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''))
    .filter((entry) => !('files' in statFile(archive, entry)));

test('app.asar holds the build output and package.json, and nothing else', () => {
  const { archive, project } = requirePackagedApp({ spec, launches: false });
  expect(existsSync(archive), 'electron-builder wrote resources/app.asar').toBe(true);
  const packed = filesInArchive(archive).sort();

  // Everything the build made for the app is there (main, preload, renderer and its assets, tray
  // icons)… The `tokendesk` command (out/command) goes beside the archive, in resources/bin.
  const staged = filesUnder(join(project, 'out'), project);
  const built = staged.filter(
    (file) => !(file in PLANTED_FILES) && !file.startsWith(`${COMMAND_FOLDER}/`),
  );
  expect(packed).toEqual([...built, 'package.json'].sort());
  for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    expect(packed).toContain(file);
  }
  expect(packed.some((file) => file.startsWith('out/renderer/assets/'))).toBe(true);

  // …and nothing else, though all of it was there to be taken: the source map planted in out/,
  // the production dependencies in node_modules (bundled into main, so not needed), sources,
  // tests, docs and tool configuration.
  for (const planted of Object.keys(PLANTED_FILES)) expect(staged).toContain(planted);
  expect(staged).toContain(`${COMMAND_FOLDER}/tokendesk`);
  expect(packed.filter((file) => file.startsWith(`${COMMAND_FOLDER}/`))).toEqual([]);
  for (const name of Object.keys(repoPackage.dependencies)) {
    expect(existsSync(join(project, 'node_modules', name, 'package.json')), name).toBe(true);
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
  const { archive } = requirePackagedApp({ spec, launches: false });
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

  // What main loads relative to itself (the preload, and the folder the app's scheme serves the
  // page from: main/shell/app-protocol.ts), and what the page loads relative to itself, is packed.
  const main = String(manifest.main);
  const loads = pathsMainLoads(extractFile(archive, main).toString('utf8'));
  expect(loads).toEqual(expect.arrayContaining(['../preload/index.cjs', '../renderer']));
  for (const target of loads) {
    const path = posix.join(posix.dirname(main), target);
    expect(
      packed.filter((file) => file === path || file === `${path}/index.html`),
      `main loads ${target}`,
    ).toHaveLength(1);
  }
  const html = extractFile(archive, 'out/renderer/index.html').toString('utf8');
  const assets = [...html.matchAll(/\b(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) expect(packed).toContain(`out/renderer/${asset}`);
});

test('electron-builder flipped the fuses of the packaged binary as electron-builder.yml says', async () => {
  const { executable, runtime } = requirePackagedApp({ spec, launches: false });
  expect(existsSync(executable), 'the executable is named linux.executableName').toBe(true);
  const packaged = await readWire(executable);
  const original = await readWire(runtime.executable);
  expect(named(packaged)).toEqual(
    Object.fromEntries(
      Object.entries(EXPECTED_FUSES).map(([position, state]): [string, number] => [
        FuseV1Options[Number(position)]!,
        state,
      ]),
    ),
  );
  // The flip happened on the package's copy: the runtime keeps Electron's defaults (RunAsNode and
  // --inspect on), which the other real-Electron specs rely on.
  expect(original[FuseV1Options.RunAsNode]).toBe(ON);
  expect(original[FuseV1Options.EnableNodeCliInspectArguments]).toBe(ON);
  // Electron's default grants file: pages more than a browser does; the package turns that off.
  expect(original[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(ON);
  // Fuses this version of electron-builder.yml does not name (newer Electron has more than
  // eight) keep the runtime's value: nothing else of the binary's wire changed.
  expect(positions(packaged)).toEqual(positions(original));
  const unnamed = positions(original).filter((position) => !(position in EXPECTED_FUSES));
  for (const position of unnamed) expect(packaged[position], position).toBe(original[position]);
});

test('the package holds Electron, app.asar and the command, nothing of the default app or the test runtime', () => {
  const { appDir, resources, downloadCache, project } = requirePackagedApp({
    spec,
    launches: false,
  });
  // Electron's own default_app.asar (the test runtime's launcher) runs any folder or script it is
  // given; electron-builder leaves it in when it copies an unpacked Electron (pack-tokendesk.ts).
  for (const file of NOT_PART_OF_THE_APP) {
    expect(existsSync(join(appDir, file)), file).toBe(false);
  }
  if (process.platform !== 'darwin') {
    expect(readdirSync(resources).sort()).toEqual(['app.asar', 'bin']);
  }
  // The command (docs/COMMAND-LINE.md), beside the archive: the executable the build made, as it
  // is, and nothing else of out/command (its bundle, the docker helper's link made on PATH).
  const command = process.platform === 'win32' ? 'tokendesk.exe' : 'tokendesk';
  expect(readdirSync(join(resources, 'bin'))).toEqual([command]);
  const shipped = join(resources, 'bin', command);
  if (process.platform !== 'win32') expect(statSync(shipped).mode & 0o111).toBe(0o111);
  expect(sha256(shipped)).toBe(sha256(join(project, COMMAND_FOLDER, command)));
  // Nothing was downloaded: every download electron-builder makes lands in its cache first, and
  // the pack ran with an empty one (and every download address on a closed port).
  const cached = existsSync(downloadCache) ? filesUnder(downloadCache, downloadCache) : [];
  expect(cached).toEqual([]);
});
