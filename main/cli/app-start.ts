/**
 * Which app to start when none is running. The command usually ships inside the app
 * (`<resources>/bin/tokendesk`), so the app is found next to it; `TOKENDESK_APP` names another
 * (a development build, the tests). Anything else (a copy of the command elsewhere) starts
 * nothing: guessing an executable to run is not the command's business.
 */
import { posix, win32 } from 'node:path';
import type { Host } from './host';

export interface AppCommand {
  readonly file: string;
  readonly args: readonly string[];
}

export type AppChoice =
  | { readonly kind: 'app'; readonly app: AppCommand }
  | { readonly kind: 'none' }
  | { readonly kind: 'bad-setting'; readonly message: string };

/** The argument that makes the app start in the tray without opening its window. */
export const HIDDEN_ARGUMENT = '--hidden';

const fromSetting = (text: string): AppChoice => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const [file, ...args] = Array.isArray(value) ? (value as unknown[]) : [];
  if (typeof file !== 'string' || file === '' || !args.every((arg) => typeof arg === 'string'))
    return {
      kind: 'bad-setting',
      message: 'TOKENDESK_APP must be a JSON array of strings: the executable, then its arguments.',
    };
  return { kind: 'app', app: { file, args } };
};

/** The app's executable beside a packaged command, per platform's layout. */
export const packagedApp = (execPath: string, platform: string): string | undefined => {
  const path = platform === 'win32' ? win32 : posix;
  const bin = path.dirname(execPath);
  const resources = path.dirname(bin);
  if (path.basename(bin) !== 'bin' || path.basename(resources).toLowerCase() !== 'resources')
    return undefined;
  const top = path.dirname(resources);
  if (platform === 'darwin') return path.join(top, 'MacOS', 'Tokendesk'); // top is Contents
  if (platform === 'win32') return path.join(top, 'Tokendesk.exe');
  return path.join(top, 'tokendesk');
};

/**
 * The app to start: TOKENDESK_APP, else the app this command ships in, else the one the app
 * recorded at its last start (`recorded`: the text of the channel's app.json, which a command
 * copied out of an AppImage needs). A record that does not parse, or names a file that is gone,
 * starts nothing.
 */
export const appToStart = (
  host: Pick<Host, 'env' | 'platform' | 'execPath' | 'fileExists'>,
  recorded?: string,
): AppChoice => {
  const setting = host.env.TOKENDESK_APP;
  if (setting !== undefined && setting.trim() !== '') return fromSetting(setting);
  const file = packagedApp(host.execPath, host.platform);
  if (file !== undefined && host.fileExists(file)) return { kind: 'app', app: { file, args: [] } };
  if (recorded !== undefined) {
    const choice = fromSetting(recorded);
    if (choice.kind === 'app' && host.fileExists(choice.app.file)) return choice;
  }
  return { kind: 'none' };
};
