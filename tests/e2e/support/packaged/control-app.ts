/**
 * The control for the production-fuse specs: a do-nothing app started on the unpackaged runtime,
 * whose fuses are Electron's defaults (RunAsNode, NODE_OPTIONS and --inspect on). What the
 * packaged app must refuse, this one does, so a probe that finds nothing in the package is known
 * to be a probe that would have found it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ElectronRuntime } from '../electron/which-electron';
import { startApp, startSwitches, type AppProcess } from './app-process';

const CONTROL_MAIN = `
const { app } = require('electron');
app.whenReady().then(() => console.log('CONTROL-APP-READY'));
`;

export interface ControlOptions {
  readonly runtime: ElectronRuntime;
  /** A folder of the test's own: the app is written to <dir>/control-app. */
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly args?: readonly string[];
}

/** Starts the control app as `electron <folder>` (the runtime's default app runs the folder). */
export const startControlApp = ({
  runtime,
  dir,
  env,
  args = [],
}: ControlOptions): Promise<AppProcess> => {
  const folder = join(dir, 'control-app');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'package.json'),
    JSON.stringify({ name: 'tokendesk-fuse-control', main: 'main.cjs' }),
  );
  writeFileSync(join(folder, 'main.cjs'), CONTROL_MAIN);
  return startApp({
    executable: runtime.executable,
    args: [folder, ...startSwitches(), ...args],
    env,
  });
};
