/**
 * The command line's local channel, on real sockets: private folder, key file rewritten at each
 * start, a crashed app's socket replaced and a live one left alone, and a client that sends
 * garbage, too much, half a line or nothing at all gets an answer or a closed connection,
 * never a crashed or blocked app. Another user cannot even reach the socket.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCommandServer, type CommandServer } from '../../../../main/core/api/command-server';
import { silentLogger } from '../../../../main/core/ports';
import {
  MAX_REQUEST_BYTES,
  commandChannel,
  type CommandResponse,
} from '../../../../shared/command-line';

let home: string;
let userData: string;
let servers: CommandServer[];

/** An answer that echoes the line back (as an error message), so a test sees what arrived. */
const echo = (line: string, key: string): Promise<CommandResponse> =>
  Promise.resolve(
    line.includes(key)
      ? { ok: true, accounts: [] }
      : {
          ok: false,
          error: { group: 'test', code: 0, message: `got ${line.length} bytes` },
          exitCode: 1,
        },
  );

const start = async (options: Partial<Parameters<typeof startCommandServer>[0]> = {}) => {
  const server = await startCommandServer({
    userData,
    answer: echo,
    logger: silentLogger,
    ...options,
  });
  servers.push(server);
  return server;
};

/** Sends bytes, half-closes, and reads everything the app answers until it closes. */
const exchange = (address: string, bytes: Buffer | string, endAfter = true): Promise<string> =>
  new Promise((resolve, reject) => {
    const socket = net.connect(address);
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? resolve(answer) : reject(error),
    );
    socket.write(bytes, () => {
      if (endAfter) socket.end();
    });
  });

const parsed = (line: string) => JSON.parse(line) as CommandResponse;

/** The message of a refusal the app answered with. */
const messageIn = (line: string): string => {
  const answer = parsed(line);
  if (answer.ok) throw new Error(`expected a refusal, got ${line}`);
  return answer.error.message;
};

const keyOf = (server: CommandServer) => readFileSync(server.channel.keyFile, 'utf8').trim();

const goodLine = (server: CommandServer) => `${JSON.stringify({ key: keyOf(server) })}\n`;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'tokendesk-channel-'));
  userData = join(home, 'Tokendesk');
  servers = [];
});

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(home, { recursive: true, force: true });
});

describe('the channel', () => {
  it('lives in a folder only the user may enter; socket and key file are the user’s alone', async () => {
    const server = await start();
    expect(server.channel).toEqual(commandChannel(userData, process.platform));
    expect(statSync(server.channel.folder).mode & 0o777).toBe(0o700);
    expect(statSync(server.channel.keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(server.channel.address).mode & 0o777).toBe(0o600);
    expect(keyOf(server)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('records how to start the app beside the key, for a command installed away from it', async () => {
    const server = await start({ appCommand: ['/opt/Tokendesk/tokendesk', '--flag'] });
    const record = server.channel.appFile;
    expect(record).toBe(join(server.channel.folder, 'app.json'));
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual([
      '/opt/Tokendesk/tokendesk',
      '--flag',
    ]);
    expect(statSync(record).mode & 0o777).toBe(0o600);
    // The same command at the next start leaves the file as it is; another one replaces it.
    const written = statSync(record).ino;
    await server.close();
    servers = [];
    const again = await start({ appCommand: ['/opt/Tokendesk/tokendesk', '--flag'] });
    expect(statSync(record).ino).toBe(written);
    await again.close();
    servers = [];
    await start({ appCommand: ['/home/ada/Tokendesk.AppImage'] });
    expect(JSON.parse(readFileSync(record, 'utf8'))).toEqual(['/home/ada/Tokendesk.AppImage']);
  });

  it('writes a new key at each start, and removes it when it closes', async () => {
    const first = await start();
    const firstKey = keyOf(first);
    await first.close();
    servers = [];
    expect(existsSync(first.channel.keyFile)).toBe(false);
    const second = await start();
    expect(keyOf(second)).not.toBe(firstKey);
  });

  it('answers one request line with one answer line, then closes', async () => {
    const server = await start();
    expect(JSON.parse(await exchange(server.channel.address, goodLine(server)))).toEqual({
      ok: true,
      accounts: [],
    });
  });

  it('serves fifty clients at once', async () => {
    const server = await start();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => exchange(server.channel.address, goodLine(server))),
    );
    expect(answers.every((a) => a === '{"ok":true,"accounts":[]}\n')).toBe(true);
  });

  it('replaces the socket a crashed app left behind', async () => {
    const { address, folder } = commandChannel(userData, process.platform);
    // A process that listens and is killed: its socket file stays.
    const crashed = spawnSync(process.execPath, [
      '-e',
      `require('fs').mkdirSync(${JSON.stringify(folder)},{recursive:true,mode:0o700});require('net').createServer().listen(${JSON.stringify(address)},()=>process.kill(process.pid,'SIGKILL'))`,
    ]);
    expect(crashed.signal).toBe('SIGKILL');
    expect(statSync(address).isSocket()).toBe(true);
    const server = await start();
    expect(await exchange(address, goodLine(server))).toContain('"ok":true');
  });

  it('does not take over a channel another running app answers on', async () => {
    await start();
    await expect(start()).rejects.toThrow(/already answers/);
  });

  it('replaces a plain file at the socket’s place, and tightens a folder left open', async () => {
    const { address, folder } = commandChannel(userData, process.platform);
    await start().then((server) => server.close());
    servers = [];
    writeFileSync(address, 'not a socket');
    chmodSync(folder, 0o755);
    const server = await start();
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(await exchange(address, goodLine(server))).toContain('"ok":true');
  });
});

describe('what a client cannot do to the app', () => {
  it('send more than the limit: refused with a message, connection closed', async () => {
    const server = await start();
    const answer = await exchange(
      server.channel.address,
      'x'.repeat(MAX_REQUEST_BYTES + 10),
      false,
    );
    const refused = parsed(answer);
    expect(refused).toMatchObject({ ok: false, error: { group: 'command', code: 4 } });
    expect(refused.ok ? '' : refused.error.message).toContain('longer than');
    expect(await exchange(server.channel.address, goodLine(server))).toContain('"ok":true');
  });

  it('send half a line and stop: an answer that says so', async () => {
    const server = await start();
    const answer = await exchange(server.channel.address, '{"key":"abc"');
    expect(messageIn(answer)).toMatch(/before its end of line/);
  });

  it('write slowly or not at all: closed after the time limit, others still served', async () => {
    const server = await start({ requestTimeoutMs: 200 });
    const started = Date.now();
    const slow = exchange(server.channel.address, '{"key":', false);
    expect(await exchange(server.channel.address, goodLine(server))).toContain('"ok":true');
    expect(messageIn(await slow)).toMatch(/in time/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('send any bytes at all: the app answers or closes, and then still serves', async () => {
    const server = await start({ requestTimeoutMs: 30 });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.boolean(), async (bytes, end) => {
        const answer = await exchange(server.channel.address, Buffer.from(bytes), end);
        // Whatever came back is one JSON line (or nothing, when the client left first).
        if (answer !== '') expect(() => JSON.parse(answer) as unknown).not.toThrow();
      }),
      { numRuns: 60 },
    );
    expect(await exchange(server.channel.address, goodLine(server))).toContain('"ok":true');
  }, 20_000);

  it('a client that leaves before its answer: the app carries on', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = await start({
      answer: async (line, key) => {
        await held;
        return echo(line, key);
      },
    });
    const socket = net.connect(server.channel.address);
    socket.write(goodLine(server));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    release();
    expect(await exchange(server.channel.address, goodLine(server))).toContain('"ok":true');
  });
});

describe('another user', () => {
  const NOBODY = 65534;
  const runAs =
    process.getuid?.() === 0
      ? undefined
      : 'the tests do not run as root, so they cannot start a process as another user';

  it.skipIf(runAs !== undefined)('cannot reach the socket or read the key file', async () => {
    // Everything up to the channel's folder is open to all, so only that folder keeps them out.
    chmodSync(home, 0o755);
    const server = await start();
    chmodSync(userData, 0o755);
    const attempt = spawnSync(
      '/usr/bin/env',
      [
        'node',
        '-e',
        `const net=require('net');const fs=require('fs');
         let key='none';try{key=fs.readFileSync(${JSON.stringify(server.channel.keyFile)},'utf8')}catch(e){console.log('key:'+e.code)}
         const s=net.connect(${JSON.stringify(server.channel.address)});
         s.on('error',e=>{console.log('socket:'+e.code);process.exit(0)});
         s.on('connect',()=>{console.log('socket:connected');process.exit(0)});`,
      ],
      { uid: NOBODY, gid: NOBODY, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } },
    );
    expect(attempt.stdout).toContain('key:EACCES');
    expect(attempt.stdout).toContain('socket:EACCES');
  });
  if (runAs !== undefined) console.log(`[command-server.test] another-user test skipped: ${runAs}`);
});
