/**
 * The app's network adapter (main/shell/electron-fetch.ts: main's requests on Chromium's stack,
 * through net.request) under the core's limited fetch, in real Electron: a token request arrives
 * whole (method, form body, headers), an answer comes back whole, a redirect is refused rather
 * than followed, a body that stalls half-way ends at the time limit (the signal still governs
 * the body after the headers), and a body over the cap is refused. The company-network spec
 * covers the proxy and the certificate store; this one the request and answer themselves.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { requireElectron } from '../support/electron/electron-harness';

const spec = 'network-adapter.spec';
const received: { method?: string; body: string; headers: Record<string, unknown> }[] = [];

const startServer = async (): Promise<{ server: Server; base: string }> => {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method, body, headers: request.headers });
      switch (request.url) {
        case '/token':
          response
            .writeHead(200, { 'content-type': 'application/json', 'x-answer': 'yes' })
            .end(JSON.stringify({ access_token: 'at-1', token_type: 'Bearer' }));
          return;
        case '/redirect':
          response.writeHead(302, { location: '/token' }).end();
          return;
        case '/stall':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          response.write('{"access_token":"');
          return;
        case '/big':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ access_token: 'x'.repeat(10_000) }));
          return;
        default:
          response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

test('token requests and answers pass whole; redirects, stalled and oversized bodies are refused in time', async () => {
  const runtime = requireElectron({ spec });
  test.setTimeout(60_000);
  const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-adapter-'));
  const { server, base } = await startServer();
  try {
    const bundle = join(scratch, 'main.cjs');
    await build({
      entryPoints: [
        fileURLToPath(new URL('../support/electron/network-adapter-main.ts', import.meta.url)),
      ],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      outfile: bundle,
      logLevel: 'silent',
    });
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(runtime.executable, [bundle, '--no-sandbox'], {
        env: {
          ...process.env,
          XDG_CONFIG_HOME: join(scratch, 'config'),
          TOKENDESK_BASE: base,
          TOKENDESK_CASES: 'token,redirect,stall,big',
        },
        stdio: ['ignore', 'pipe', 'ignore'],
        // A request that hangs (the bug this guards against) must not keep Electron running.
        timeout: 30_000,
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', () => resolve(text));
    });
    const cases = Object.fromEntries(
      output
        .split('\n')
        .filter((line) => line.startsWith('CASE '))
        .map((line) => {
          const result = JSON.parse(line.slice('CASE '.length)) as Record<string, unknown>;
          return [result.name as string, result];
        }),
    );

    expect(cases.token).toMatchObject({
      ok: true,
      status: 200,
      header: 'yes',
      body: JSON.stringify({ access_token: 'at-1', token_type: 'Bearer' }),
    });
    const token = received.find((request) => request.body.includes('rt-1'))!;
    expect(token.method).toBe('POST');
    expect(new URLSearchParams(token.body).get('grant_type')).toBe('refresh_token');
    expect(token.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(token.headers.authorization).toBe('Basic YTpi');
    // No cookie of the session rides along.
    expect(token.headers.cookie).toBeUndefined();

    // A redirect is not followed (the secrets would go where it points): refused at once.
    expect(cases.redirect).toMatchObject({ ok: false, place: 'redirect' });
    // One request per case: following the redirect would have made a fifth.
    expect(received).toHaveLength(4);

    // Headers, then nothing: the time limit ends it, it does not hang.
    expect(cases.stall).toMatchObject({ ok: false, error: 'TimedOut', kind: 'lost' });
    expect(cases.stall!.ms as number).toBeLessThan(5_000);

    expect(cases.big).toMatchObject({ ok: false, kind: 'too-large' });
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
});
