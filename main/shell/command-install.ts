/**
 * "Install Command in PATH" (the File menu), for installs that do not put `tokendesk` on PATH
 * themselves: the .deb does (build/linux/after-install.sh); the AppImage, the macOS app and the
 * Windows installer do not. What it does per platform:
 * - Linux: `~/.local/bin` (on PATH in the common distributions' shell profiles) gets a link to
 *   the command, or, from an AppImage (whose files live on a mount that changes at each start),
 *   a copy of it; `docker-credential-tokendesk` links to that.
 * - macOS: links in `/usr/local/bin`; where the user may not write there, the answer says the one
 *   `sudo ln` line to run instead.
 * - Windows: the command's folder is added to the user's Path (their own, not the machine's).
 * Nothing is replaced that is not ours: an existing `tokendesk` that is not a link to a command
 * (another program) is left and named.
 */
import { execFile } from 'node:child_process';
import nodeFs from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export interface CommandInstallOptions {
  /** Where the packaged command is: `<resources>/bin/tokendesk[.exe]`. */
  readonly command: string;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** Set when the app runs as an AppImage (its path). */
  readonly appImage?: string;
  readonly fs?: Pick<
    typeof nodeFs,
    | 'mkdirSync'
    | 'symlinkSync'
    | 'lstatSync'
    | 'readlinkSync'
    | 'unlinkSync'
    | 'copyFileSync'
    | 'chmodSync'
    | 'existsSync'
  >;
  /** Adds a folder to the Windows user Path (PowerShell by default). */
  readonly addToWindowsPath?: (folder: string) => Promise<void>;
}

export interface CommandInstallResult {
  readonly ok: boolean;
  /** What the user is told, in plain words. */
  readonly message: string;
}

const DOCKER_HELPER = 'docker-credential-tokendesk';

/** A link (or copy) at `path` may be replaced only if it is ours: a link, or absent. */
const replaceable = (fs: NonNullable<CommandInstallOptions['fs']>, path: string): boolean => {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return true;
  }
};

const link = (fs: NonNullable<CommandInstallOptions['fs']>, target: string, path: string) => {
  try {
    fs.unlinkSync(path);
  } catch {
    // Nothing there.
  }
  fs.symlinkSync(target, path);
};

const windowsPath = async (folder: string): Promise<void> => {
  // The user's own Path, read and written whole through .NET (setx would cut it at 1024 chars).
  const script = `$p=[Environment]::GetEnvironmentVariable('Path','User'); $parts=@($p -split ';' | Where-Object { $_ }); if ($parts -notcontains $env:TD_FOLDER) { [Environment]::SetEnvironmentVariable('Path', (($parts + $env:TD_FOLDER) -join ';'), 'User') }`;
  await promisify(execFile)(
    'powershell.exe',
    ['-NoProfile', '-NonInteractive', '-Command', script],
    {
      env: { ...process.env, TD_FOLDER: folder },
      windowsHide: true,
    },
  );
};

export const installCommand = async (
  options: CommandInstallOptions,
): Promise<CommandInstallResult> => {
  const fs = options.fs ?? nodeFs;
  if (!fs.existsSync(options.command))
    return {
      ok: false,
      message: `The command is not part of this build (${options.command} is missing): run \`npm run build\` first.`,
    };
  if (options.platform === 'win32') {
    const folder = dirname(options.command);
    try {
      await (options.addToWindowsPath ?? windowsPath)(folder);
    } catch (error) {
      return { ok: false, message: `Your Path could not be changed: ${(error as Error).message}` };
    }
    return {
      ok: true,
      message: `${folder} is now on your Path. Open a new terminal and run: tokendesk help`,
    };
  }
  const folder =
    options.platform === 'darwin' ? '/usr/local/bin' : join(options.home, '.local', 'bin');
  const target = join(folder, 'tokendesk');
  const helper = join(folder, DOCKER_HELPER);
  for (const path of [target, helper]) {
    if (!replaceable(fs, path))
      return {
        ok: false,
        message: `${path} exists and is not a link to Tokendesk's command: move it away first.`,
      };
  }
  try {
    fs.mkdirSync(folder, { recursive: true });
    if (options.appImage !== undefined) {
      // The AppImage's files vanish when it quits: a copy of its own, not a link into the mount.
      try {
        fs.unlinkSync(target);
      } catch {
        // Nothing there.
      }
      fs.copyFileSync(options.command, target);
      fs.chmodSync(target, 0o755);
    } else {
      link(fs, options.command, target);
    }
    link(fs, target, helper);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (options.platform === 'darwin' && (code === 'EACCES' || code === 'EPERM'))
      return {
        ok: false,
        message: `Tokendesk may not write to ${folder}. In a terminal, run:\nsudo ln -sf '${options.command}' '${target}' && sudo ln -sf '${target}' '${helper}'`,
      };
    return {
      ok: false,
      message: `The command could not be installed in ${folder}: ${(error as Error).message}`,
    };
  }
  const onPath =
    options.platform === 'darwin'
      ? ''
      : ` If your shell does not find it, add ${folder} to PATH (most distributions' ~/.profile does when the folder exists; log in again).`;
  return {
    ok: true,
    message: `Installed: ${target} (and ${DOCKER_HELPER} for docker). Try: tokendesk help.${onPath}`,
  };
};
