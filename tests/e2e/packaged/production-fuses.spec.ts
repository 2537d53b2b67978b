/**
 * The production fuses at work in the packaged app (electron-builder.yml, SECURITY.md): what a
 * program with the user's rights could do to the binary that holds the tokens, tried on the
 * packaged executable. Each probe is tried on the unpackaged runtime first (Electron's default
 * fuses, tests/e2e/support/packaged/control-app.ts), where it works: the package refusing it is
 * then the package, not a probe that could not have worked.
 *
 * The wire itself (RunAsNode, EnableNodeOptionsEnvironmentVariable, EnableNodeCliInspectArguments
 * off) is read from the binary by package-contents.spec.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { appEnvironment, createProfile, type Profile } from '../support/electron/electron-harness';
import type { AppProcess } from '../support/packaged/app-process';
import { startControlApp } from '../support/packaged/control-app';
import { launchPackaged, type PackagedLaunch } from '../support/packaged/launch-packaged';
import { requirePackagedApp } from '../support/packaged/run-package';

const spec = 'production-fuses.spec';
// Each test starts two apps, one after the other; a busy machine takes a while.
test.describe.configure({ timeout: 120_000 });
const DEBUGGER = /Debugger listening on/;

/** A script that leaves a marker file when it runs, in whatever process runs it. */
const markerScript = (profile: Profile, name: string): { script: string; marker: string } => {
  const marker = join(profile.dir, `${name}.ran`);
  const script = join(profile.dir, `${name}.cjs`);
  writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
  return { script, marker };
};

/** The packaged app's window shows Tokendesk: main has run, past any point a probe acts at. */
const expectTokendeskUp = async (launched: PackagedLaunch): Promise<void> => {
  await expect(launched.page.getByRole('heading', { name: /Tokendesk/ }).first()).toBeVisible();
};

/** A port nobody listens on right now (the kernel's pick). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The promise's value, or "timeout" after `ms`: a bound on waiting for a process to end. */
const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  Promise.race([
    promise,
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref()),
  ]);

/** How long a control app may take to start on a busy machine. */
const START = { timeout: 60_000 };

interface Running {
  control?: AppProcess;
  launched?: PackagedLaunch;
}

/** Each test starts at most one control and one packaged app; both are ended whatever happens. */
const cleanUp = async (running: Running, profile: Profile): Promise<void> => {
  await running.control?.stop();
  await running.launched?.close();
  profile.remove();
};

test('ELECTRON_RUN_AS_NODE=1 runs no script as Node: the app starts instead', async () => {
  const { executable, runtime } = requirePackagedApp({ spec, launches: true });
  const profile = createProfile();
  const running: Running = {};
  try {
    // Control: the unpackaged runtime (RunAsNode on) runs the script as Node, and exits.
    const control = markerScript(profile, 'control');
    const ran = spawnSync(runtime.executable, [control.script], {
      env: appEnvironment(profile, { ELECTRON_RUN_AS_NODE: '1' }),
      timeout: 60_000,
    });
    expect(ran.status).toBe(0);
    expect(existsSync(control.marker), 'the control ran the script').toBe(true);

    // The package, asked the same: the script is the first argument, where Node takes it. The
    // app starts instead (so the test closes it).
    const probe = markerScript(profile, 'packaged');
    const launched = await launchPackaged({
      executable,
      profile,
      keyring: false,
      env: { ELECTRON_RUN_AS_NODE: '1' },
      args: [probe.script],
    }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    // Checked first: a binary in Node mode runs the script and exits, and opens no window.
    expect(existsSync(probe.marker), 'the packaged binary ran the script as Node').toBe(false);
    if (launched instanceof Error) throw launched;
    running.launched = launched;
    await expectTokendeskUp(launched);
    expect(existsSync(probe.marker)).toBe(false);
  } finally {
    await cleanUp(running, profile);
  }
});

test('--inspect=<port> opens no debugger', async () => {
  const { executable, runtime } = requirePackagedApp({ spec, launches: true });
  const profile = createProfile();
  const running: Running = {};
  try {
    const port = await freePort();
    // Control: the unpackaged runtime listens on the port, and says so.
    running.control = await startControlApp({
      runtime,
      dir: profile.dir,
      env: appEnvironment(profile),
      args: [`--inspect=${port}`],
    });
    await expect.poll(() => running.control?.output(), START).toMatch(DEBUGGER);
    expect(await accepts(port)).toBe(true);
    await running.control.stop();

    // The package: by the time its window shows, a debugger asked for on the command line would
    // have been listening since before main ran.
    running.launched = await launchPackaged({
      executable,
      profile,
      keyring: false,
      args: [`--inspect=${port}`],
    });
    await expectTokendeskUp(running.launched);
    expect(running.launched.app.output()).not.toMatch(DEBUGGER);
    expect(await accepts(port)).toBe(false);
  } finally {
    await cleanUp(running, profile);
  }
});

test('SIGUSR1 opens no debugger', async () => {
  if (process.platform === 'win32') {
    const reason = 'Windows has no SIGUSR1 (the --inspect test above covers the debugger there)';
    console.log(`[${spec}] skipped: ${reason}`);
    test.skip(true, reason);
  }
  const { executable, runtime } = requirePackagedApp({ spec, launches: true });
  const profile = createProfile();
  const running: Running = {};
  // Node's signal to start the inspector; --inspect-port=0 gives it a free port.
  const args = ['--inspect-port=0'];
  try {
    // Control: the unpackaged runtime starts its debugger on the signal.
    running.control = await startControlApp({
      runtime,
      dir: profile.dir,
      env: appEnvironment(profile),
      args,
    });
    await expect.poll(() => running.control?.output(), START).toMatch(/CONTROL-APP-READY/);
    process.kill(running.control.pid, 'SIGUSR1');
    await expect.poll(() => running.control?.output(), START).toMatch(DEBUGGER);
    await running.control.stop();

    // The package has no handler for the signal (no inspector), so the signal's default action
    // ends the process, as SIGTERM would; it never starts a debugger.
    running.launched = await launchPackaged({ executable, profile, keyring: false, args });
    await expectTokendeskUp(running.launched);
    process.kill(running.launched.app.pid, 'SIGUSR1');
    expect(await within(running.launched.app.exited, 30_000)).toEqual({
      code: null,
      signal: 'SIGUSR1',
    });
    expect(running.launched.app.output()).not.toMatch(DEBUGGER);
  } finally {
    await cleanUp(running, profile);
  }
});

test('NODE_OPTIONS=--require <file> does not run the file', async () => {
  const { executable, runtime } = requirePackagedApp({ spec, launches: true });
  const profile = createProfile();
  const running: Running = {};
  try {
    // Control: the unpackaged runtime's main process requires the file before the app.
    const control = markerScript(profile, 'control');
    running.control = await startControlApp({
      runtime,
      dir: profile.dir,
      env: appEnvironment(profile, { NODE_OPTIONS: `--require ${control.script}` }),
    });
    await expect.poll(() => existsSync(control.marker), START).toBe(true);
    await running.control.stop();

    // The package: --require would run before main, so before the window shows. (Electron also
    // drops most NODE_OPTIONS in any packaged app, fuse or not: on Electron 33 a copy of this
    // package with the fuse on logs "Most NODE_OPTIONs are not supported in packaged apps" and
    // does not run the file either. This test guards the outcome; the fuse itself is read from
    // the binary in package-contents.spec.ts.)
    const probe = markerScript(profile, 'packaged');
    running.launched = await launchPackaged({
      executable,
      profile,
      keyring: false,
      env: { NODE_OPTIONS: `--require ${probe.script}` },
    });
    await expectTokendeskUp(running.launched);
    expect(existsSync(probe.marker)).toBe(false);
  } finally {
    await cleanUp(running, profile);
  }
});
