/**
 * The limited fetch every provider call goes through, against a real local HTTP server: each
 * failure lands in the class the refresh logic acts on (not sent / lost / too large), and a
 * normal answer passes unchanged.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLimitedFetch,
  markTimeLimiting,
  NetworkFailure,
  peekJson,
  TimedOut,
  type NetworkFailureKind,
} from '../../../../main/core/http/http-client';
import { closedPort } from '../../helpers/tiny-http-server';

const LIMITS = { timeoutMs: 300, maxBodyBytes: 1_000 };

let server: Server;
let base: string;

const routes: Record<string, (res: ServerResponse) => void> = {
  '/json': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'r-1' });
    res.end(JSON.stringify({ access_token: 'at', token_type: 'Bearer' }));
  },
  '/json-with-bom': (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`\uFEFF${JSON.stringify({ access_token: 'at-bom' })}`);
  },
  '/slow': (res) => {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 150);
  },
  '/error-json': (res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'invalid_grant' }));
  },
  '/no-content': (res) => {
    res.writeHead(204);
    res.end();
  },
  '/reset-content': (res) => {
    res.writeHead(205);
    res.end();
  },
  '/never': () => {
    // Accepts the request and never answers.
  },
  '/stalls-mid-body': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"access_token":"');
  },
  '/big-declared': (res) => {
    const body = 'x'.repeat(LIMITS.maxBodyBytes + 1);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) });
    res.end(body);
  },
  '/big-chunked': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 20; i++) res.write('y'.repeat(100));
    res.end();
  },
  '/exactly-at-cap': (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('z'.repeat(LIMITS.maxBodyBytes));
  },
  '/truncated': (res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
    res.write('{"access_token":"partial');
    setTimeout(() => res.socket?.destroy(), 20);
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failureOf = async (promise: Promise<unknown>): Promise<NetworkFailure> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NetworkFailure);
    return error as NetworkFailure;
  }
  throw new Error('expected the request to fail');
};

const expectKind = async (
  promise: Promise<unknown>,
  kind: NetworkFailureKind,
): Promise<NetworkFailure> => {
  const failure = await failureOf(promise);
  expect(failure.kind).toBe(kind);
  expect(failure.message).not.toBe('');
  return failure;
};

describe('createLimitedFetch', () => {
  const limited = createLimitedFetch(LIMITS);

  it('passes a normal JSON answer with its status and headers', async () => {
    const response = await limited(`${base}/json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('r-1');
    expect(await response.json()).toEqual({ access_token: 'at', token_type: 'Bearer' });
  });

  it('passes an HTTP error answer as an answer, not as a network failure', async () => {
    const response = await limited(`${base}/error-json`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant' });
  });

  it('passes a 204 answer without a body', async () => {
    const response = await limited(`${base}/no-content`);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('passes a 205 answer (another status that has no body) instead of calling it a lost connection', async () => {
    const response = await limited(`${base}/reset-content`);
    expect(response.status).toBe(205);
  });

  it('accepts a body exactly at the cap', async () => {
    const response = await limited(`${base}/exactly-at-cap`);
    expect((await response.text()).length).toBe(LIMITS.maxBodyBytes);
  });

  it('reports a provider that never answers as lost, within the time limit', async () => {
    const started = Date.now();
    const failure = await expectKind(limited(`${base}/never`), 'lost');
    // The message says how long it waited (the user's error says it, docs/ERRORS.md).
    expect(failure.message).toBe('the provider did not answer within 0.3 s');
    expect(failure).toBeInstanceOf(TimedOut);
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutMs + 1_500);
  });

  it('reports a body that stops half-way as lost, within the time limit', async () => {
    await expectKind(limited(`${base}/stalls-mid-body`), 'lost');
  });

  it('reports a refused connection as not sent (the provider never saw it)', async () => {
    const port = await closedPort();
    const failure = await expectKind(
      limited(`http://127.0.0.1:${port}/token`, { method: 'POST', body: 'x=1' }),
      'not-sent',
    );
    expect(failure.message).toContain('ECONNREFUSED');
  });

  it('refuses a body declared larger than the cap as too large', async () => {
    await expectKind(limited(`${base}/big-declared`), 'too-large');
  });

  it('refuses a body that grows past the cap without a content-length as too large', async () => {
    await expectKind(limited(`${base}/big-chunked`), 'too-large');
  });

  it('reports a body cut short (socket closed before content-length bytes) as lost', async () => {
    await expectKind(limited(`${base}/truncated`), 'lost');
  });

  it('still honours the caller’s own abort signal', async () => {
    // A time limit far beyond the test's own: only the caller's abort can end this request.
    const patient = createLimitedFetch({ ...LIMITS, timeoutMs: 60_000 });
    const controller = new AbortController();
    const reason = new Error('the user cancelled');
    const pending = patient(`${base}/never`, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 20);
    const failure = await failureOf(pending);
    expect(failure.cause).toBe(reason);
    expect(failure).not.toBeInstanceOf(TimedOut);
  });
});

describe('peekJson', () => {
  it('reads the body of a limited fetch and leaves it for the next reader, BOM and all', async () => {
    const response = await createLimitedFetch(LIMITS)(`${base}/json-with-bom`);

    expect(await peekJson(response)).toEqual({ access_token: 'at-bom' });
    expect(await peekJson(response)).toEqual({ access_token: 'at-bom' });
    expect(await response.json()).toEqual({ access_token: 'at-bom' });
  });

  it('reads any other Response through a clone, leaving the body unread', async () => {
    const response = new Response('{"a":1}', { headers: { 'content-type': 'application/json' } });

    expect(await peekJson(response)).toEqual({ a: 1 });
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ a: 1 });
  });

  it('rejects a body that is not JSON', async () => {
    await expect(peekJson(new Response('<html>'))).rejects.toThrow(SyntaxError);
  });
});

describe('a signal that limits its requests itself (a refresh budget)', () => {
  it('is the only limit: the fetch’s own shorter one does not cut the request', async () => {
    const budget = markTimeLimiting(new AbortController().signal);
    const response = await createLimitedFetch({ ...LIMITS, timeoutMs: 50 })(`${base}/slow`, {
      signal: budget,
    });
    expect(response.status).toBe(200);
  });

  it('still ends the request when it aborts', async () => {
    const controller = new AbortController();
    const signal = markTimeLimiting(controller.signal);
    setTimeout(() => controller.abort(new TimedOut(40)), 40);
    const failure = await expectKind(
      createLimitedFetch(LIMITS)(`${base}/never`, { signal }),
      'lost',
    );
    expect(failure).toBeInstanceOf(TimedOut);
  });

  it('leaves an unmarked signal and the fetch’s own limit both in force', async () => {
    const failure = await expectKind(
      createLimitedFetch({ ...LIMITS, timeoutMs: 50 })(`${base}/slow`, {
        signal: new AbortController().signal,
      }),
      'lost',
    );
    expect(failure).toBeInstanceOf(TimedOut);
  });
});
