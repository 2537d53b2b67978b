/**
 * `tokendesk run`: real child processes (this Node running a one-line script), started as the
 * command would start them but with their output piped to the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import type { Host } from '../../../main/cli/host';
import { runCli } from '../../../main/cli/main';
import { fakeCliHost, handedToken, scriptedServices } from '../helpers/fake-cli-host';

const node = process.execPath;

// A child a failing test left running is ended with it.
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts children like the real host, except that their stdout comes back to the test. */
const piping = () => {
  const outputs: string[] = [];
  const startChild: Host['startChild'] = (file, args, env) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    let text = '';
    child.stdout.on('data', (data: Buffer) => {
      text += data.toString();
      outputs.push(text);
    });
    return child;
  };
  return { startChild, outputs };
};

const answering = () => scriptedServices({ ok: true, value: handedToken() });

describe('tokendesk run', () => {
  it("sets the provider's variable, leaves the rest of the environment, and exits with the command's code", async () => {
    const { startChild } = piping();
    const script =
      "process.exit(process.env.GITHUB_TOKEN === 'gho_access-token-1' && process.env.KEEP === 'me' ? 23 : 1)";
    const host = fakeCliHost({
      argv: ['run', '--', node, '-e', script],
      env: { KEEP: 'me' },
      startChild,
    });
    const services = answering();
    expect(await runCli(host, services)).toBe(23);
    expect(services.queries).toEqual([{ subcommand: 'run' }]);
  });

  it('sets the variable --env names instead', async () => {
    const { startChild } = piping();
    const script =
      "process.exit(process.env.MY_TOKEN === 'gho_access-token-1' && !process.env.GITHUB_TOKEN ? 0 : 1)";
    const host = fakeCliHost({
      argv: ['run', '--env', 'MY_TOKEN', '--', node, '-e', script],
      startChild,
    });
    expect(await runCli(host, answering())).toBe(0);
  });

  it('passes arguments as typed, without a shell', async () => {
    const { startChild, outputs } = piping();
    const host = fakeCliHost({
      argv: [
        'run',
        '--',
        node,
        '-e',
        'console.log(JSON.stringify(process.argv.slice(1)))',
        '$HOME',
        'a b',
        '*',
      ],
      startChild,
    });
    expect(await runCli(host, answering())).toBe(0);
    expect(JSON.parse(outputs.at(-1)!)).toEqual(['$HOME', 'a b', '*']);
  });

  it('passes SIGTERM on to the command and stops listening once it ends', async () => {
    const { startChild, outputs } = piping();
    const script =
      "process.on('SIGTERM', () => process.exit(42)); console.log('ready'); setInterval(() => {}, 1000)";
    const host = fakeCliHost({ argv: ['run', '--', node, '-e', script], startChild });
    const ran = runCli(host, answering());
    await expect.poll(() => outputs.at(-1), { timeout: 5000 }).toBe('ready\n');
    expect(host.signalListeners.get('SIGINT')?.size).toBe(1);
    expect(host.signalListeners.get('SIGHUP')?.size).toBe(1);
    for (const listener of host.signalListeners.get('SIGTERM') ?? []) listener();
    const code = await Promise.race([
      ran,
      new Promise((resolve) => setTimeout(resolve, 5000, 'still running')),
    ]);
    expect(code).toBe(42);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
      expect(host.signalListeners.get(signal)?.size).toBe(0);
  });

  it('a command killed by a signal gives 128 + its number, as shells report it', async () => {
    const { startChild } = piping();
    const host = fakeCliHost({
      argv: ['run', '--', node, '-e', "process.kill(process.pid, 'SIGKILL')"],
      startChild,
    });
    expect(await runCli(host, answering())).toBe(137);
  });

  it('a command that does not exist is 127 with a message, like a shell', async () => {
    const { startChild } = piping();
    const host = fakeCliHost({ argv: ['run', '--', 'tokendesk-no-such-command-xyz'], startChild });
    expect(await runCli(host, answering())).toBe(127);
    expect(host.err()).toBe('tokendesk: tokendesk-no-such-command-xyz: command not found\n');
  });

  it('runs nothing when no token can be had, and exits with the reason', async () => {
    const host = fakeCliHost({ argv: ['run', '--', node, '-e', '0'] }); // startChild throws if called
    const services = scriptedServices({
      ok: false,
      failure: { message: 'Reconnect the account.', exitCode: EXIT_CODES.reconnectNeeded },
    });
    expect(await runCli(host, services)).toBe(6);
    expect(host.err()).toBe('tokendesk: Reconnect the account.\n');
  });

  it('a missing command is a usage error, exit 2', async () => {
    const host = fakeCliHost({ argv: ['run', 'github'] });
    expect(await runCli(host, answering())).toBe(2);
  });
});
