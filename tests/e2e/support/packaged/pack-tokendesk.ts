/**
 * Packs the built app (out/) as `npm run dist` does — electron-builder with electron-builder.yml:
 * its file selection, app.asar, packed package.json and fuses — as a directory build (no
 * installer) around an Electron already on this machine (the harness's runtime), so that a spec
 * or the bench can run what a user installs.
 *
 * electron-builder packs a staged copy of the project, not the repository itself: out/ is shared
 * with other runs (a concurrent `npm run build` rewrites it), and the specs plant files in out/
 * that the pack must leave out, which must not appear in anybody else's out/.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  archFromString,
  build,
  log,
  Platform,
  type AfterPackContext,
  type LinuxPackager,
} from 'electron-builder';
import type { ElectronRuntime } from '../electron/which-electron';
import type { PackagedApp } from './packaged-app';

// Not electron-harness's repoRoot: that module loads @playwright/test, and the bench packs too.
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** What electron-builder reads from the project: the build output and its own inputs. */
const PROJECT_FILES = ['out', 'build', 'package.json', 'package-lock.json', 'electron-builder.yml'];

/**
 * Every download electron-builder could make points here: a closed port, so that an attempt
 * fails the pack at once instead of fetching (or hanging on a machine without internet).
 */
const NO_DOWNLOADS = 'https://127.0.0.1:9/tokendesk-packs-without-downloads';

/**
 * What Electron's own distribution carries that a packaged app must not. electron-builder deletes
 * default_app.asar and version after unpacking a downloaded Electron (app-builder-lib
 * cleanupAfterUnpack), but copies an electronDist folder as it is. default_app.asar is the test
 * runtime's launcher (or Electron's default app): it runs whatever folder or script it is given.
 * Electron looks for app.asar first, and with OnlyLoadAppFromAsar for nothing else, so it would
 * not run; the package must still not carry it. The JSON file is the test runtime's install
 * record.
 */
export const NOT_PART_OF_THE_APP = [
  join('resources', 'default_app.asar'),
  join('Electron.app', 'Contents', 'Resources', 'default_app.asar'),
  'version',
  'tokendesk-test-runtime.json',
] as const;

export interface PackOptions {
  readonly runtime: ElectronRuntime;
  /** An empty folder for the staged project, electron-builder's output and its download cache. */
  readonly workDir: string;
  /** Files planted in the staged project (relative path → content), e.g. a source map in out/. */
  readonly plant?: Readonly<Record<string, string>>;
  /** Where electron-builder's log goes; default stdout (the bench keeps stdout for its result). */
  readonly logTo?: NodeJS.WritableStream;
}

/** The Electron version of a runtime, asked of the binary when the harness does not know it. */
export const electronVersionOf = (runtime: ElectronRuntime): string => {
  if (/^\d+\.\d+\.\d+/.test(runtime.version)) return runtime.version;
  const versionFile = join(runtime.dist, 'version');
  if (existsSync(versionFile)) return readFileSync(versionFile, 'utf8').trim().replace(/^v/, '');
  const asked = spawnSync(runtime.executable, ['-p', 'process.versions.electron'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
  });
  const version = asked.stdout.trim();
  if (asked.status !== 0 || !/^\d+\.\d+\.\d+/.test(version)) {
    throw new Error(`cannot tell the Electron version of ${runtime.executable}`);
  }
  return version;
};

/**
 * Runs `work` with these environment variables set and puts the old values back after:
 * electron-builder reads its download settings from process.env only.
 */
const withEnvironment = async <T>(
  vars: Readonly<Record<string, string>>,
  work: () => Promise<T>,
): Promise<T> => {
  const saved = Object.keys(vars).map((name): [string, string | undefined] => [
    name,
    process.env[name],
  ]);
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

/**
 * Runs `work` with electron-builder's logger writing to `stream`. The logger is one object that
 * writes to process.stdout, with no option to change that; its stream field is swapped, and put
 * back after.
 */
const withBuilderLog = async <T>(
  stream: NodeJS.WritableStream | undefined,
  work: () => Promise<T>,
): Promise<T> => {
  const logger = log as unknown as { stream: NodeJS.WritableStream };
  const saved = logger.stream;
  if (stream) logger.stream = stream;
  try {
    return await work();
  } finally {
    logger.stream = saved;
  }
};

type Layout = Pick<PackagedApp, 'appDir' | 'executable' | 'resources'>;

/** Where the executable and resources/ are in the folder electron-builder made. */
const layoutOf = ({ appOutDir, packager }: AfterPackContext): Layout => {
  const name = packager.appInfo.productFilename;
  if (packager.platform === Platform.MAC) {
    const bundle = join(appOutDir, `${name}.app`);
    return {
      appDir: appOutDir,
      executable: join(bundle, 'Contents', 'MacOS', name),
      resources: join(bundle, 'Contents', 'Resources'),
    };
  }
  const executable =
    packager.platform === Platform.WINDOWS
      ? join(appOutDir, `${name}.exe`)
      : join(appOutDir, (packager as LinuxPackager).executableName);
  return { appDir: appOutDir, executable, resources: join(appOutDir, 'resources') };
};

const stageProject = (project: string, plant: Readonly<Record<string, string>>): void => {
  mkdirSync(project, { recursive: true });
  for (const file of PROJECT_FILES) {
    cpSync(join(repoRoot, file), join(project, file), { recursive: true });
  }
  // The installed dependencies, for electron-builder's dependency walk: electron-builder.yml must
  // keep them out of app.asar, which only shows if they are there to be taken.
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  for (const [file, content] of Object.entries(plant)) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), content);
  }
};

/** Packs Tokendesk for this platform and architecture into `workDir`. */
export const packTokendesk = async ({
  runtime,
  workDir,
  plant = {},
  logTo,
}: PackOptions): Promise<PackagedApp> => {
  if (!existsSync(join(repoRoot, 'out', 'main', 'index.js'))) {
    throw new Error('out/ is missing: run `npm run build` first');
  }
  const project = join(workDir, 'project');
  const downloadCache = join(workDir, 'download-cache');
  const electronVersion = electronVersionOf(runtime);
  stageProject(project, plant);

  let layout: Layout | undefined;
  await withEnvironment(
    {
      // Tools (AppImage, fpm, NSIS …) and Electron itself would come through these; a directory
      // build needs none of them. The cache is empty, so nothing downloaded earlier can stand in.
      ELECTRON_BUILDER_BINARIES_DOWNLOAD_OVERRIDE_URL: NO_DOWNLOADS,
      ELECTRON_BUILDER_CACHE: downloadCache,
      ELECTRON_MIRROR: `${NO_DOWNLOADS}/`,
      // macOS: no signing with whatever Developer ID the keychain holds.
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    },
    () =>
      withBuilderLog(logTo, () =>
        build({
          projectDir: project,
          targets: Platform.current().createTarget('dir', archFromString(process.arch)),
          publish: 'never',
          // electron-builder.yml as it is, plus which Electron to use and where to write.
          config: {
            electronDist: runtime.dist,
            electronVersion,
            electronDownload: { mirror: `${NO_DOWNLOADS}/` },
            directories: { output: join(workDir, 'dist') },
            afterExtract: (context) => {
              for (const file of NOT_PART_OF_THE_APP) {
                rmSync(join(context.appOutDir, file), { force: true });
              }
            },
            afterPack: (context) => {
              layout = layoutOf(context);
            },
          },
        }),
      ),
  );
  if (!layout) throw new Error('electron-builder finished without packing an app');
  return {
    ...layout,
    archive: join(layout.resources, 'app.asar'),
    project,
    downloadCache,
    runtime,
    electronVersion,
  };
};
