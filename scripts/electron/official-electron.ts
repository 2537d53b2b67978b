/**
 * The official Electron binary of the `electron` npm package: where it is, and fetching it with
 * visible progress. Electron 45's package has no install step (npm install leaves the binary
 * out) and fetches it the first time `require('electron')` runs; electron-vite reads the package's
 * path.txt instead, so it never triggers that fetch and stops with "Electron uninstall".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { messageOf } from '../../shared/errors';

const require = createRequire(import.meta.url);

/** The `electron` package folder (TOKENDESK_ELECTRON_PACKAGE_DIR points tests at a copy). */
export const electronPackageDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.TOKENDESK_ELECTRON_PACKAGE_DIR ?? dirname(require.resolve('electron/package.json'));

export const electronPackageVersion = (packageDir: string = electronPackageDir()): string =>
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string })
    .version;

export interface OfficialElectron {
  readonly executable: string;
  /** The unpacked Electron folder (electron-builder's electronDist). */
  readonly dist: string;
  readonly version: string;
}

/** The official binary where the package has it (as node_modules/electron/index.js finds it). */
export const findOfficialElectron = (
  packageDir: string = electronPackageDir(),
): OfficialElectron | undefined => {
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const dist = join(packageDir, 'dist');
  const executable = join(dist, readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(executable)) return undefined;
  return { executable, dist, version: electronPackageVersion(packageDir) };
};

/** Why a fetch failed, in a few words: the innermost cause a user can act on. */
export const fetchFailureReason = (error: unknown): string => {
  let current: unknown = error;
  let reason = messageOf(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_\w+)$/.test(code)) {
      const host = (current as { hostname?: unknown }).hostname;
      reason = typeof host === 'string' ? `${code} ${host}` : `${code}: ${current.message}`;
    } else if (current !== error && current.message) {
      reason = current.message;
    }
    current = current.cause;
  }
  return reason.split('\n')[0]!.trim();
};

export interface Progress {
  readonly transferred: number;
  readonly total: number | null;
}

/** Progress as a user reads it: "Fetching Electron 45.4.1: 37% (38 of 104 MB)". */
export const progressLine = (version: string, progress: Progress): string => {
  const mb = (bytes: number): string => String(Math.round(bytes / 1_000_000));
  if (!progress.total) return `Fetching Electron ${version}: ${mb(progress.transferred)} MB`;
  const percent = Math.floor((progress.transferred / progress.total) * 100);
  return `Fetching Electron ${version}: ${percent}% (${mb(progress.transferred)} of ${mb(progress.total)} MB)`;
};

type DownloadArtifact = (details: {
  version: string;
  artifactName: string;
  platform?: string;
  arch?: string;
  cacheRoot?: string;
  checksums?: Record<string, string>;
  downloadOptions?: {
    quiet?: boolean;
    getProgressCallback?: (progress: Progress) => Promise<void>;
  };
}) => Promise<string>;

export interface FetchOptions {
  readonly packageDir?: string;
  /** Called with each progress line; `final` marks the last one. */
  readonly onProgress: (line: string, final: boolean) => void;
}

/**
 * Downloads the package's Electron into @electron/get's cache, reporting progress, then lets the
 * package's own install script unpack it from that cache (so path.txt and dist/ are written the
 * way the package expects). Throws with the install script's or the download's reason.
 */
export const fetchOfficialElectron = async ({
  packageDir = electronPackageDir(),
  onProgress,
}: FetchOptions): Promise<OfficialElectron> => {
  const version = electronPackageVersion(packageDir);
  const packageRequire = createRequire(join(packageDir, 'package.json'));
  const get = (await import(pathToFileURL(packageRequire.resolve('@electron/get')).href)) as {
    downloadArtifact: DownloadArtifact;
  };
  const useRemoteChecksums = Boolean(
    process.env.electron_use_remote_checksums ??
    process.env.npm_config_electron_use_remote_checksums,
  );
  let lastPercent = -1;
  await get.downloadArtifact({
    version,
    artifactName: 'electron',
    cacheRoot: process.env.electron_config_cache,
    checksums: useRemoteChecksums
      ? undefined
      : (JSON.parse(readFileSync(join(packageDir, 'checksums.json'), 'utf8')) as Record<
          string,
          string
        >),
    downloadOptions: {
      quiet: true,
      getProgressCallback: (progress) => {
        const percent = progress.total
          ? Math.floor((progress.transferred / progress.total) * 100)
          : -1;
        // Every 5%: enough to see it move, few enough lines for a log.
        if (percent === lastPercent || (percent % 5 !== 0 && percent !== 100))
          return Promise.resolve();
        lastPercent = percent;
        onProgress(progressLine(version, progress), percent === 100);
        return Promise.resolve();
      },
    },
  });
  const install = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    encoding: 'utf8',
    env: process.env,
  });
  const official = findOfficialElectron(packageDir);
  if (install.status !== 0 || !official) {
    const detail = `${install.stderr}`.split('\n').find((line) => line.trim().length > 0);
    throw new Error(`unpacking failed: ${detail ?? `exit code ${String(install.status)}`}`);
  }
  return official;
};
