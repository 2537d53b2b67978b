/**
 * A private desktop for the real-Electron specs on Linux: an X display (Xvfb), a D-Bus session
 * and an unlocked GNOME keyring of their own, so tests neither need the developer's desktop nor
 * touch it (windows on their screen, items in their keyring). Started once per Playwright run by
 * the global setup; what it could not start becomes a reason the specs print when they skip.
 *
 * Only what is missing is started: an X server when Xvfb exists (else the caller's DISPLAY), and
 * the bus and keyring always where the tools exist, since a developer's own keyring may be locked
 * or may prompt.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export interface DesktopSession {
  /** Variables the specs' processes need (DISPLAY, DBUS_SESSION_BUS_ADDRESS). */
  readonly env: Record<string, string>;
  /** Why there is no display, or undefined when there is one. */
  readonly noDisplay?: string;
  /** Why there is no unlocked keyring, or undefined when there is one. */
  readonly noKeyring?: string;
  stop(): Promise<void>;
}

const onPath = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** The first line a child writes to `stream`, or undefined after `ms`. */
const firstLine = (stream: Readable, ms: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => resolve(undefined), ms);
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    stream.on('end', () => {
      clearTimeout(timer);
      resolve(text.trim() || undefined);
    });
  });

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 3_000).unref();
  });

/** Xvfb on a free display number (it picks one and writes it to fd 3). */
const startXvfb = async (): Promise<{ display: string; child: ChildProcess } | undefined> => {
  const child = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1280x900x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  const number = await firstLine(child.stdio[3] as Readable, 10_000);
  if (number === undefined || !/^\d+$/.test(number)) {
    await stopChild(child);
    return undefined;
  }
  return { display: `:${number}`, child };
};

/** A session bus of our own (it writes its address to fd 3). */
const startBus = async (
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ address: string; child: ChildProcess } | undefined> => {
  const child = spawn('dbus-daemon', ['--session', '--nofork', '--nosyslog', '--print-address=3'], {
    env,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const address = await firstLine(child.stdio[3] as Readable, 10_000);
  if (!address) {
    await stopChild(child);
    return undefined;
  }
  return { address, child };
};

const secretServiceOwned = (env: NodeJS.ProcessEnv): boolean => {
  const reply = spawnSync(
    'dbus-send',
    [
      '--session',
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.secrets',
    ],
    { env, encoding: 'utf8' },
  );
  return reply.status === 0 && /boolean true/.test(reply.stdout);
};

/**
 * gnome-keyring-daemon with a fresh "login" keyring in a temporary data folder, unlocked with a
 * password on stdin. It serves org.freedesktop.secrets on the bus, which Chromium's libsecret
 * backend (and so safeStorage) uses. `locked`: started without the password, as after a login
 * that did not unlock it; with no prompt to answer, every use of it fails.
 */
const startKeyring = async (
  env: NodeJS.ProcessEnv,
  dataHome: string,
  { locked = false }: { readonly locked?: boolean } = {},
): Promise<{ child: ChildProcess } | undefined> => {
  const child = spawn(
    'gnome-keyring-daemon',
    ['--foreground', ...(locked ? [] : ['--unlock']), '--components=secrets'],
    { env: { ...env, XDG_DATA_HOME: dataHome }, stdio: ['pipe', 'ignore', 'ignore'] },
  );
  child.stdin?.end(locked ? '' : 'tokendesk-test-keyring');
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (secretServiceOwned(env)) return { child };
    if (child.exitCode !== null) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopChild(child);
  return undefined;
};

/** A bus and a keyring of their own, apart from the session's (for a keyring fault). */
export interface PrivateKeyring {
  /** DBUS_SESSION_BUS_ADDRESS of the bus the keyring serves. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts a bus with a keyring on it, locked or not; `reason` when it cannot. */
export const startPrivateKeyring = async ({
  locked,
}: {
  readonly locked: boolean;
}): Promise<PrivateKeyring | { readonly reason: string }> => {
  if (!onPath('dbus-daemon') || !onPath('gnome-keyring-daemon') || !onPath('dbus-send')) {
    return { reason: 'no keyring tools: apt-get install dbus gnome-keyring' };
  }
  // Services the bus starts on demand get no display: the keyring's unlock prompt then fails at
  // once, as for a user who dismissed it, instead of waiting on a screen nobody looks at.
  const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...headless } = process.env;
  const bus = await startBus(headless);
  if (!bus) return { reason: 'dbus-daemon did not start a session bus' };
  const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-keyring-'));
  const env = { DBUS_SESSION_BUS_ADDRESS: bus.address };
  const stopAll = async (children: readonly ChildProcess[]): Promise<void> => {
    for (const child of children) await stopChild(child);
    rmSync(scratch, { recursive: true, force: true });
  };
  const keyring = await startKeyring({ ...process.env, ...env }, join(scratch, 'data'), {
    locked,
  });
  if (!keyring) {
    await stopAll([bus.child]);
    return { reason: 'gnome-keyring-daemon did not offer org.freedesktop.secrets' };
  }
  return { env, stop: () => stopAll([keyring.child, bus.child]) };
};

export const startDesktopSession = async (): Promise<DesktopSession> => {
  const children: ChildProcess[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-desktop-'));
  const env: Record<string, string> = {};
  let noDisplay: string | undefined;
  let noKeyring: string | undefined;

  if (process.platform !== 'linux') {
    // macOS and Windows have their own display and keystore; nothing to start.
    return { env, stop: () => Promise.resolve() };
  }

  if (onPath('Xvfb')) {
    const xvfb = await startXvfb();
    if (xvfb) {
      children.push(xvfb.child);
      env.DISPLAY = xvfb.display;
    } else noDisplay = 'Xvfb is installed but did not start a display';
  } else if (process.env.DISPLAY) {
    env.DISPLAY = process.env.DISPLAY;
  } else {
    noDisplay =
      'no display: DISPLAY is not set and Xvfb is not installed (Debian: apt-get install xvfb xauth)';
  }

  if (!onPath('dbus-daemon') || !onPath('gnome-keyring-daemon') || !onPath('dbus-send')) {
    noKeyring =
      'no keyring: the tests start their own D-Bus session and GNOME keyring, and need dbus and gnome-keyring (Debian: apt-get install dbus gnome-keyring)';
  } else {
    const bus = await startBus();
    if (!bus) noKeyring = 'no keyring: dbus-daemon did not start a session bus';
    else {
      children.push(bus.child);
      env.DBUS_SESSION_BUS_ADDRESS = bus.address;
      const keyring = await startKeyring({ ...process.env, ...env }, join(scratch, 'data'));
      if (keyring) children.push(keyring.child);
      else
        noKeyring =
          'no keyring: gnome-keyring-daemon did not offer org.freedesktop.secrets on the test bus';
    }
  }

  return {
    env,
    noDisplay,
    noKeyring,
    stop: async () => {
      for (const child of children.reverse()) await stopChild(child);
      rmSync(scratch, { recursive: true, force: true });
    },
  };
};
