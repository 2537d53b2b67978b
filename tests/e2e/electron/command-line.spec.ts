/**
 * Real Electron, the `tokendesk` command (docs/COMMAND-LINE.md) as a user runs it: the single
 * executable `npm run build` makes (out/command/tokendesk), started as a process with the
 * profile's environment, against the built app on the test display. The user turns access on in
 * Settings, answers the approval prompt in the app window, and the token the command prints is
 * one oidc-provider accepts. Also: access off, the app started by the command when it is not
 * running (hidden: no window), and a socket left by an app that was killed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { commandChannel, EXIT_CODES } from '../../../shared/command-line';
import { ERRORS } from '../../../shared/errors';
import type { OidcServer } from '../../support/oidc-server';
import {
  commandEnvironment,
  killProcessGroups,
  processesOfProfile,
  processesWhere,
  requireBuiltCommand,
  runCommand,
  startCommand,
  writeStoreWithCommandLineAccess,
} from '../support/command-line';
import { startLocalIdp, userinfoStatus } from '../support/local-idp';
import { addLocalProvider, connectEmbedded } from '../support/electron/app-actions';
import { appWindows, withAppWindow } from '../support/electron/app-windows';
import {
  createProfile,
  launchTokendesk,
  passwordStoreSwitch,
  repoRoot,
  requireElectron,
  requireThat,
  type Profile,
} from '../support/electron/electron-harness';
import { noXTools, viewableStack } from '../support/electron/x-windows';

const spec = 'command-line.spec';

/** What `tokendesk accounts --json` prints of an account (main/cli/accounts.ts). */
interface Listed {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly hasToken: boolean;
}

const openSettings = async (window: Page) => {
  await window.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = window.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
};

const closeSettings = async (window: Page) => {
  const dialog = window.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
};

const promptFor = (window: Page, accountName: string) =>
  window.getByRole('dialog', { name: `A command asks for a token for ${accountName}` });

test.describe('against oidc-provider', () => {
  let oidc: OidcServer | undefined;
  test.afterAll(async () => {
    await oidc?.stop();
  });

  test('turned on in Settings, a command asks, the user allows in the prompt: a live token; once revoked, the next ask is denied', async () => {
    const runtime = requireElectron({ spec, keyring: true });
    const tokendesk = requireBuiltCommand();
    test.setTimeout(180_000);
    oidc = await startLocalIdp(300);
    const issuer = oidc.issuer;
    const profile = createProfile();
    const running = await launchTokendesk({ runtime, profile });
    const { app, window } = running;
    const env = commandEnvironment(profile);
    const pending: { kill: () => void }[] = [];
    const start = (args: readonly string[]) => {
      const command = startCommand(tokendesk, args, { env });
      pending.push(command);
      return command.done;
    };
    try {
      await addLocalProvider(window, issuer);
      await connectEmbedded(app, window, 'alice');

      // The user turns the command line on: the switch saves as it is flipped.
      const settings = await openSettings(window);
      const access = settings.getByRole('switch', {
        name: 'Let the tokendesk command ask for tokens',
      });
      await expect(access).not.toBeChecked();
      await access.check();
      await expect(access).toBeChecked();
      await expect(access).not.toHaveAttribute('aria-busy', 'true');
      await closeSettings(window);

      // `accounts` needs no approval: it names the account as the command takes it.
      const listed = await start(['accounts', '--json']);
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(EXIT_CODES.ok);
      const accounts = JSON.parse(listed.stdout) as Listed[];
      expect(accounts).toEqual([
        expect.objectContaining({
          name: expect.stringMatching(/:alice@example\.test$/),
          status: 'ok',
          hasToken: true,
        }),
      ]);
      const name = accounts[0]!.name;

      // The window is out of sight when the command asks: the prompt brings it forward.
      await withAppWindow(app, 'hide');
      await expect
        .poll(() => appWindows(app))
        .toEqual([expect.objectContaining({ visible: false })]);
      const first = start(['token', name]);
      const prompt = promptFor(window, name);
      await expect(prompt).toBeVisible({ timeout: 30_000 });
      await expect
        .poll(() => appWindows(app))
        .toEqual([expect.objectContaining({ visible: true })]);
      await expect(prompt).toContainText(`tokendesk token ${name}`);
      await prompt.getByRole('button', { name: 'Allow' }).click();
      await expect(prompt).toBeHidden();
      const allowed = await first;
      expect(allowed.stderr).toBe('');
      expect(allowed.code).toBe(EXIT_CODES.ok);
      expect(allowed.stdout).toMatch(/^\S{20,}\n$/);
      const token = allowed.stdout.trim();
      expect(await userinfoStatus(issuer, token)).toBe(200);

      // Approved: the next run gets its token with nobody answering anything.
      const again = await start(['token', name]);
      expect(again.code).toBe(EXIT_CODES.ok);
      expect(again.stderr).toBe('');
      expect(await userinfoStatus(issuer, again.stdout.trim())).toBe(200);
      await expect(window.getByRole('dialog', { name: /^A command asks/ })).toHaveCount(0);

      // Revoked in Settings, the account is asked for again; Deny gives the command nothing.
      const settingsAgain = await openSettings(window);
      await settingsAgain.getByRole('button', { name: `Revoke ${name}` }).click();
      await expect(settingsAgain.getByRole('button', { name: `Revoke ${name}` })).toHaveCount(0);
      await closeSettings(window);
      const denied = start(['token', name]);
      await expect(prompt).toBeVisible({ timeout: 30_000 });
      await prompt.getByRole('button', { name: 'Deny' }).click();
      const refused = await denied;
      expect(refused.code).toBe(EXIT_CODES.denied);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(`tokendesk: ${ERRORS.commandDenied.message}\n`);

      // Escape is Deny too; a denial grants nothing for the next run.
      const escaped = start(['token', name]);
      await expect(prompt).toBeVisible({ timeout: 30_000 });
      await window.keyboard.press('Escape');
      const refusedAgain = await escaped;
      expect(refusedAgain.code).toBe(EXIT_CODES.denied);
      expect(refusedAgain.stdout).toBe('');

      // Nothing the app logged holds the token (the command wrote nothing to stderr).
      expect(running.output()).not.toContain(token);
    } finally {
      for (const command of pending) command.kill();
      await running.close();
      profile.remove();
    }
  });
});

test('with access off (a new profile) the command is refused, and told where to turn it on', async () => {
  const runtime = requireElectron({ spec });
  const tokendesk = requireBuiltCommand();
  const profile = createProfile();
  const running = await launchTokendesk({ runtime, profile, keyring: false });
  try {
    const env = commandEnvironment(profile);
    for (const args of [['token'], ['accounts', '--json']]) {
      const refused = await runCommand(tokendesk, args, { env });
      expect(refused.code, args.join(' ')).toBe(EXIT_CODES.accessOff);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toBe(`tokendesk: ${ERRORS.commandLineOff.message}\n`);
      expect(refused.stderr).toContain('Settings');
    }
  } finally {
    await running.close();
    profile.remove();
  }
});

/** Copies the started app's output to a file from its first byte (electron-harness.ts). */
const teeOutput = fileURLToPath(new URL('../support/electron/tee-output.sh', import.meta.url));

/** The DevTools targets of a Chromium browser, from its DevTools WebSocket URL. */
const devtoolsTargets = async (output: string): Promise<{ type: string; url: string }[]> => {
  const port = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
  if (port === undefined)
    throw new Error(`the app offered no DevTools port; its output:\n${output}`);
  const response = await fetch(`http://127.0.0.1:${port}/json/list`);
  return (await response.json()) as { type: string; url: string }[];
};

test('not running, the app is started by the command, hidden, and answers', async () => {
  const runtime = requireElectron({ spec });
  const tokendesk = requireBuiltCommand();
  requireThat(noXTools(), spec);
  test.setTimeout(90_000);
  const profile = createProfile();
  writeStoreWithCommandLineAccess(profile);
  // Only this start carries it: how the app is found in /proc, and ended, whatever happens.
  const marker = `--tokendesk-e2e-marker=${randomBytes(8).toString('hex')}`;
  // Process group leaders only: the command starts the app detached, in a group of its own (a
  // second start would lead one too), while a child the app forks shows the app's own command
  // line until it execs (CI once saw one at the moment of looking).
  const started = () =>
    processesWhere((words) => words.includes(marker)).filter(
      (process) => process.pid === process.pgid,
    );
  const outputFile = join(profile.dir, 'started-app.log');
  writeFileSync(outputFile, '');
  try {
    // As launchTokendesk starts it (electron <repo>, the keyring switch, its output kept), plus
    // Chromium's DevTools on a free port: its target list shows whether a window was made.
    const appCommand = [
      teeOutput,
      '--no-sandbox',
      repoRoot,
      passwordStoreSwitch(false),
      '--remote-debugging-port=0',
      marker,
    ];
    const env = commandEnvironment(profile, {
      TOKENDESK_APP: JSON.stringify(appCommand),
      TOKENDESK_E2E_ELECTRON_BIN: runtime.executable,
      TOKENDESK_E2E_OUTPUT: outputFile,
    });
    const answered = await runCommand(tokendesk, ['accounts', '--json'], { env });
    expect(answered.stderr).toBe('tokendesk: starting Tokendesk…\n');
    expect(answered.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(answered.stdout)).toEqual([]);

    // One app process, started with the arguments TOKENDESK_APP gave, and --hidden.
    const apps = started();
    expect(apps).toHaveLength(1);
    expect([...apps[0]!.words].sort()).toEqual(
      [runtime.executable, ...appCommand.slice(1), '--hidden'].sort(),
    );
    // No window was made (the window is made before the channel opens, so it would be listed by
    // now), and none is on the display.
    const targets = await devtoolsTargets(readFileSync(outputFile, 'utf8'));
    expect(targets.filter((target) => target.type === 'page')).toEqual([]);
    expect(viewableStack()).not.toContain('Tokendesk');

    // The app it started keeps answering: the next run starts nothing.
    const next = await runCommand(tokendesk, ['accounts', '--json'], { env });
    expect(next.stderr).toBe('');
    expect(next.code).toBe(EXIT_CODES.ok);
    expect(started()).toHaveLength(1);
  } finally {
    // Also whatever runs on the profile without the marker where it was looked for.
    await killProcessGroups([...started(), ...processesOfProfile(profile)]);
    profile.remove();
  }
});

const channelOf = (profile: Profile) => commandChannel(profile.userData, process.platform);

test('an app killed hard leaves its socket and key; the next start replaces them and the command works again', async () => {
  const runtime = requireElectron({ spec });
  const tokendesk = requireBuiltCommand();
  test.setTimeout(90_000);
  const profile = createProfile();
  writeStoreWithCommandLineAccess(profile);
  const channel = channelOf(profile);
  const env = commandEnvironment(profile);
  const first = await launchTokendesk({ runtime, profile, keyring: false });
  let second: Awaited<ReturnType<typeof launchTokendesk>> | undefined;
  try {
    const before = await runCommand(tokendesk, ['accounts', '--json'], { env });
    expect(before.code).toBe(EXIT_CODES.ok);
    const firstKey = readFileSync(channel.keyFile, 'utf8');

    // SIGKILL: no quit, nothing cleaned up. The socket file and the key stay behind.
    const main = first.app.process();
    const gone = new Promise((resolve) => main.once('exit', resolve));
    main.kill('SIGKILL');
    await gone;
    expect(statSync(channel.address).isSocket()).toBe(true);
    expect(readFileSync(channel.keyFile, 'utf8')).toBe(firstKey);

    // Nobody answers there: the command takes it for an app not running (here it can start none).
    const stale = await runCommand(tokendesk, ['accounts', '--json'], {
      env: { ...env, TOKENDESK_APP: JSON.stringify([join(profile.dir, 'no-such-app')]) },
    });
    expect(stale.code).toBe(EXIT_CODES.noApp);
    expect(stale.stdout).toBe('');

    second = await launchTokendesk({ runtime, profile, keyring: false });
    await expect.poll(() => readFileSync(channel.keyFile, 'utf8')).not.toBe(firstKey);
    const after = await runCommand(tokendesk, ['accounts', '--json'], { env });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(EXIT_CODES.ok);
    expect(JSON.parse(after.stdout)).toEqual([]);
    // Its own socket in the stale one's place: listening there would have failed otherwise.
    expect(statSync(channel.address).isSocket()).toBe(true);
    expect(second.output()).not.toMatch(/command line’s channel is not open/);

    // A quit, unlike the kill, takes the key away.
    const quitting = second;
    second = undefined;
    await quitting.close();
    expect(existsSync(channel.keyFile)).toBe(false);
  } finally {
    // Playwright's handle of the killed app: closing it only lets go of it.
    await first.close().catch(() => undefined);
    await second?.close();
    profile.remove();
  }
});
