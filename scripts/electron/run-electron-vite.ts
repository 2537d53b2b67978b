/**
 * Runs `electron-vite preview` (build, then start) or `electron-vite dev` (hot reload) on a given
 * Electron executable. electron-vite takes it from ELECTRON_EXEC_PATH before looking for the
 * official one, which is how both start scripts choose the runtime explicitly.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type StartMode = 'preview' | 'dev';

export const parseStartMode = (arg: string | undefined): StartMode => {
  if (arg === 'preview' || arg === 'dev') return arg;
  console.error(`usage: start <preview|dev> (got ${arg ?? 'nothing'})`);
  process.exit(64);
};

const electronViteBin = (): string =>
  join(
    dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );

/**
 * Chromium refuses to start as root with its sandbox on (containers, CI machines): there,
 * electron-vite is asked to pass --no-sandbox (its NO_SANDBOX), and the start says so.
 */
const sandboxEnvironment = (): NodeJS.ProcessEnv => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || process.env.NO_SANDBOX) return {};
  console.log("[tokendesk] Running as root: Chromium's sandbox is off for this start.");
  return { NO_SANDBOX: '1' };
};

/** Runs electron-vite with the terminal attached and exits with its exit code. */
export const runElectronVite = (
  mode: StartMode,
  executable: string,
  extraArgs: readonly string[],
): void => {
  const child = spawn(process.execPath, [electronViteBin(), mode, ...extraArgs], {
    stdio: 'inherit',
    env: { ...process.env, ...sandboxEnvironment(), ELECTRON_EXEC_PATH: executable },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};
