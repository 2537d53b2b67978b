/**
 * The exchange with the app over its socket, against a tiny server that answers canned lines:
 * what the request carries, answers in pieces, answers too long or missing, a silent app, and
 * what happens when nothing listens (the app is started, or the user told it is not running).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  commandChannel,
  type CommandResponse,
  type TokenRequest,
} from '../../../shared/command-line';
import { askToken, NOT_RUNNING } from '../../../main/cli/ask';
import { runCli } from '../../../main/cli/main';
import { fakeCliHost, handedToken, listing } from '../helpers/fake-cli-host';

let userData: string;
let servers: Server[];
beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'tokendesk-cli-'));
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(userData, { recursive: true, force: true });
});

const channel = () => commandChannel(userData, 'linux');

const writeKey = (key = 'the-key') => {
  mkdirSync(channel().folder, { recursive: true, mode: 0o700 });
  writeFileSync(channel().keyFile, `${key}\n`, { mode: 0o600 });
};

/** The app's side: the key file, and a socket calling `answer` with each request line. */
const serve = async (answer: (socket: Socket, request: string) => void): Promise<string[]> => {
  writeKey();
  const requests: string[] = [];
  const server = createServer((socket) => {
    let text = '';
    socket.on('data', (data) => {
      text += data.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      requests.push(text.slice(0, newline));
      answer(socket, text.slice(0, newline));
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(channel().address, resolve));
  return requests;
};

const line = (response: CommandResponse) => `${JSON.stringify(response)}\n`;
const TOKEN_LINE = line({ ok: true, token: handedToken() });

const host = (argv: string[], extra: Parameters<typeof fakeCliHost>[0] = {}) =>
  fakeCliHost({
    argv,
    env: { TOKENDESK_USER_DATA: userData },
    ppid: 77,
    // The parent's command line as /proc holds it; the key file and the rest are real.
    readFile: (path) =>
      path === '/proc/77/cmdline' ? Promise.resolve('git\0push\0origin\0') : readFile(path, 'utf8'),
    ...extra,
  });

describe('the request', () => {
  it('carries the version, the key, the subcommand and its caller, and the token is printed', async () => {
    const requests = await serve((socket) => socket.end(TOKEN_LINE));
    const cli = host(['token', 'github', '--min-ttl', '5m', '--for', 'https://api.github.com/a b']);
    expect(await runCli(cli)).toBe(0);
    expect(cli.out()).toBe('gho_access-token-1\n');
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]!)).toEqual({
      v: 1,
      key: 'the-key',
      op: 'token',
      subcommand: 'token',
      account: 'github',
      forUrl: 'https://api.github.com/a b',
      minTtlSeconds: 300,
      caller: {
        commandLine: "tokendesk token github --min-ttl 5m --for 'https://api.github.com/a b'",
        pid: 4242,
        parent: 'git push origin',
      },
    } satisfies TokenRequest);
  });

  it('for accounts, asks op accounts and prints the table', async () => {
    const requests = await serve((socket) =>
      socket.end(line({ ok: true, accounts: [listing({ expiresAt: null })] })),
    );
    const cli = host(['accounts']);
    expect(await runCli(cli)).toBe(0);
    expect(JSON.parse(requests[0]!)).toMatchObject({ op: 'accounts', key: 'the-key' });
    expect(JSON.parse(requests[0]!)).not.toHaveProperty('subcommand');
    expect(cli.out()).toContain('github:octocat  acc-1  ok      never');
  });
});

describe('the answer', () => {
  it('is read whole when it arrives in pieces, even split inside a character', async () => {
    const answer = Buffer.from(
      line({
        ok: false,
        error: { group: 'command', code: 2, message: 'Nobody answered Tokendesk’s prompt.' },
        exitCode: 9,
      }),
    );
    const cut = answer.indexOf(Buffer.from('’')) + 1; // inside the three bytes of ’
    await serve((socket) => {
      socket.write(answer.subarray(0, 10));
      setTimeout(() => socket.write(answer.subarray(10, cut)), 20);
      setTimeout(() => socket.end(answer.subarray(cut)), 40);
    });
    const cli = host(['token']);
    expect(await runCli(cli)).toBe(9);
    expect(cli.err()).toBe('tokendesk: Nobody answered Tokendesk’s prompt.\n');
  });

  it('takes the exit code from the error when the app gives none', async () => {
    await serve((socket) =>
      socket.end(
        `${JSON.stringify({ ok: false, error: { group: 'account', code: 1, message: 'Several.' } })}\n`,
      ),
    );
    expect(await runCli(host(['token']))).toBe(5);
  });

  it('longer than 1 MiB is refused, not buffered without end', async () => {
    await serve((socket) => socket.end('x'.repeat(1024 * 1024 + 10)));
    const cli = host(['token']);
    expect(await runCli(cli)).toBe(1);
    expect(cli.err()).toMatch(/^tokendesk: The answer from Tokendesk is too long/);
    expect(cli.out()).toBe('');
  });

  it('missing because the app closed the connection is exit 1 with a clear message', async () => {
    await serve((socket) => socket.end());
    const cli = host(['token']);
    expect(await runCli(cli)).toBe(1);
    expect(cli.err()).toBe('tokendesk: Tokendesk closed the connection without answering.\n');
  });

  it('that is not the protocol is exit 1, and nothing of it is printed', async () => {
    await serve((socket) => socket.end('{"ok":true,"token":{"accessToken":"leak"}}\n'));
    const cli = host(['token']);
    expect(await runCli(cli)).toBe(1);
    expect(cli.err()).toMatch(/^tokendesk: The answer from Tokendesk could not be read/);
    expect(cli.err() + cli.out()).not.toContain('leak');
  });

  it('that never comes ends at the time limit with exit 9', async () => {
    await serve(() => {});
    const started = Date.now();
    const outcome = await askToken(
      host(['token']),
      { subcommand: 'token' },
      { limits: { timeoutMs: 300, maxAnswerBytes: 1024 } },
    );
    expect(outcome).toEqual({
      ok: false,
      failure: {
        message: expect.stringMatching(/^Tokendesk did not answer within/) as unknown,
        exitCode: 9,
      },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });
});

describe('when nothing listens', () => {
  it('starts the app TOKENDESK_APP names, hidden, once, and asks it when its channel opens', async () => {
    const starts: Array<{ file: string; args: readonly string[] }> = [];
    const cli = host(['token'], {
      env: { TOKENDESK_USER_DATA: userData, TOKENDESK_APP: '["/dev/electron","/dev/app"]' },
      startDetached: (file, args) => {
        starts.push({ file, args });
        // The app takes a moment to come up, then writes its key and listens.
        setTimeout(() => void serve((socket) => socket.end(TOKEN_LINE)), 250);
        return { failed: () => false };
      },
    });
    expect(await runCli(cli)).toBe(0);
    expect(starts).toEqual([{ file: '/dev/electron', args: ['/dev/app', '--hidden'] }]);
    expect(cli.err()).toBe('tokendesk: starting Tokendesk…\n');
    expect(cli.out()).toBe('gho_access-token-1\n');
  });

  it('with a stale socket (refused), starts the app beside a packaged command', async () => {
    writeKey();
    writeFileSync(channel().address, ''); // not a socket: connecting is refused
    const install = join(userData, 'Tokendesk');
    mkdirSync(join(install, 'resources', 'bin'), { recursive: true });
    writeFileSync(join(install, 'tokendesk'), '');
    const starts: string[][] = [];
    const cli = host(['token'], {
      execPath: join(install, 'resources', 'bin', 'tokendesk'),
      startDetached: (file, args) => {
        starts.push([file, ...args]);
        return { failed: () => true }; // e.g. not executable
      },
    });
    expect(await runCli(cli)).toBe(3);
    expect(starts).toEqual([[join(install, 'tokendesk'), '--hidden']]);
    expect(cli.err()).toBe(`tokendesk: starting Tokendesk…\ntokendesk: ${NOT_RUNNING}\n`);
  });

  it('without an app to start, says it is not running and exits 3 at once', async () => {
    const cli = host(['token']); // startDetached throws if called
    expect(await runCli(cli)).toBe(3);
    expect(cli.err()).toBe(
      'tokendesk: Tokendesk is not running. Start it, turn on Settings → Command line, and run the command again.\n',
    );
  });

  it('gives up when the started app does not open its channel in time', async () => {
    writeKey(); // a key from an earlier run, but no socket (ENOENT)
    const cli = host(['token'], {
      env: { TOKENDESK_USER_DATA: userData, TOKENDESK_APP: '["/dev/electron"]' },
      startDetached: () => ({ failed: () => false }),
    });
    const started = Date.now();
    const outcome = await askToken(cli, { subcommand: 'token' }, { startWaitMs: 400, pollMs: 50 });
    expect(outcome).toEqual({ ok: false, failure: { message: NOT_RUNNING, exitCode: 3 } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('says what is wrong with TOKENDESK_APP rather than starting nothing silently', async () => {
    const cli = host(['token'], {
      env: { TOKENDESK_USER_DATA: userData, TOKENDESK_APP: 'electron .' },
    });
    expect(await runCli(cli)).toBe(3);
    expect(cli.err()).toMatch(/^tokendesk: TOKENDESK_APP must be a JSON array/);
  });
});

it('help and --version never start the app', async () => {
  for (const argv of [['help'], ['--version'], ['token', '--help']]) {
    const cli = host(argv); // startDetached and the channel would throw or fail
    expect(await runCli(cli)).toBe(0);
    expect(cli.err()).toBe('');
  }
});
