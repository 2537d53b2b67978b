/**
 * The `tokendesk` command a user installs: resources/bin/tokendesk of the package the
 * packaged-setup project made (electron-builder.yml extraResources), a Node single executable run
 * where there is no Node at all (PATH an empty folder) with nothing of the test's environment but
 * the profile's folders, against the packaged app: access off, access on, its version; and, with
 * the app not running and no TOKENDESK_APP, the app it ships in started by it (found at
 * <resources>/../tokendesk).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { EXIT_CODES } from '../../../shared/command-line';
import { ERRORS } from '../../../shared/errors';
import {
  killProcessGroups,
  processesOfProfile,
  processesWhere,
  runCommand,
  writeStoreWithCommandLineAccess,
} from '../support/command-line';
import { createProfile, repoRoot, type Profile } from '../support/electron/electron-harness';
import { launchPackaged } from '../support/packaged/launch-packaged';
import { requirePackagedApp } from '../support/packaged/run-package';

const spec = 'packaged command-line.spec';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

/**
 * `env -i` and the profile's folders: PATH an empty folder, so no `node` (this machine has one in
 * /usr/bin) nor anything else can be found; HOME and XDG_CONFIG_HOME in the profile.
 */
const bareEnvironment = (profile: Profile): Record<string, string> => {
  const emptyPath = join(profile.dir, 'empty-path');
  mkdirSync(emptyPath, { recursive: true });
  return { PATH: emptyPath, HOME: profile.dir, XDG_CONFIG_HOME: profile.configHome };
};

/**
 * What an app the command starts needs of the desktop: the test display and bus. As root (here
 * and in CI) Chromium starts only without its sandbox; the switch the specs give the packaged app
 * (app-process.ts) cannot reach a start the command makes, Electron's variable can.
 */
const desktopEnvironment = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const name of ['DISPLAY', 'XAUTHORITY', 'DBUS_SESSION_BUS_ADDRESS']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  if (process.getuid?.() === 0) env.ELECTRON_DISABLE_SANDBOX = '1';
  return env;
};

const commandOf = (resources: string): string => join(resources, 'bin', 'tokendesk');

test('with no Node on PATH and a bare environment, the shipped command answers the packaged app: access off, then on; its version', async () => {
  const packaged = requirePackagedApp({ spec, launches: true });
  test.setTimeout(120_000);
  const tokendesk = commandOf(packaged.resources);

  const off = createProfile();
  try {
    const printed = await runCommand(tokendesk, ['--version'], { env: bareEnvironment(off) });
    expect(printed).toEqual({
      code: EXIT_CODES.ok,
      signal: null,
      stdout: `tokendesk ${version}\n`,
      stderr: '',
    });

    const app = await launchPackaged({
      executable: packaged.executable,
      profile: off,
      keyring: false,
    });
    try {
      const refused = await runCommand(tokendesk, ['accounts', '--json'], {
        env: bareEnvironment(off),
      });
      expect(refused).toEqual({
        code: EXIT_CODES.accessOff,
        signal: null,
        stdout: '',
        stderr: `tokendesk: ${ERRORS.commandLineOff.message}\n`,
      });
    } finally {
      await app.close();
    }
  } finally {
    off.remove();
  }

  const on = createProfile();
  writeStoreWithCommandLineAccess(on);
  try {
    const app = await launchPackaged({
      executable: packaged.executable,
      profile: on,
      keyring: false,
    });
    try {
      const answered = await runCommand(tokendesk, ['accounts', '--json'], {
        env: bareEnvironment(on),
      });
      expect(answered.stderr).toBe('');
      expect(answered.code).toBe(EXIT_CODES.ok);
      expect(JSON.parse(answered.stdout)).toEqual([]);
    } finally {
      await app.close();
    }
  } finally {
    on.remove();
  }
});

test('not running, the app is started by the shipped command from beside it, hidden, and answers', async () => {
  const packaged = requirePackagedApp({ spec, launches: true });
  test.setTimeout(90_000);
  const tokendesk = commandOf(packaged.resources);
  const profile = createProfile();
  writeStoreWithCommandLineAccess(profile);
  // The package's folder is this run's own: whatever runs its executable was started here.
  const started = () => processesWhere((words) => words[0] === packaged.executable);
  try {
    expect(started(), 'no packaged app runs before the command').toEqual([]);
    const answered = await runCommand(tokendesk, ['accounts', '--json'], {
      env: { ...bareEnvironment(profile), ...desktopEnvironment() },
    });
    expect(answered.stderr).toBe('tokendesk: starting Tokendesk…\n');
    expect(answered.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(answered.stdout)).toEqual([]);

    // The package's own executable, started with --hidden (its helpers carry --type=…), as the
    // leader of the group the command started it in: a child it forks shows the same command line
    // until it execs.
    const main = started().filter(
      (app) => !app.words.some((word) => word.startsWith('--type=')) && app.pid === app.pgid,
    );
    expect(main).toHaveLength(1);
    expect(main[0]!.words.slice(1)).toEqual(['--hidden']);
  } finally {
    await killProcessGroups([...started(), ...processesOfProfile(profile)]);
    profile.remove();
  }
});
