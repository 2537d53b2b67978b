/**
 * A tiny node:http server on 127.0.0.1 with a replaceable handler, every request recorded with
 * its form fields. Enough to play a token endpoint, a user-info endpoint and a revocation
 * endpoint for unit tests; the full fakes live in tests/support.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TinyRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly form: Readonly<Record<string, string>>;
}

export interface TinyReply {
  readonly status: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** No answer at all: the request stays open until close() (a provider that hangs). */
  readonly hang?: true;
  /** The connection is reset without an answer (a lost answer). */
  readonly drop?: true;
}

/** A provider that never answers, and one that resets the connection. */
export const HANG: TinyReply = { status: 0, hang: true };
export const DROP: TinyReply = { status: 0, drop: true };

export type TinyHandler = (request: TinyRequest) => TinyReply;

export interface TinyServer {
  readonly url: string;
  readonly requests: TinyRequest[];
  handler: TinyHandler;
  close(): Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });

export const startTinyServer = async (handler: TinyHandler): Promise<TinyServer> => {
  const requests: TinyRequest[] = [];
  const state: { handler: TinyHandler } = { handler };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: TinyRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        headers: req.headers,
        body,
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      requests.push(request);
      let reply: TinyReply;
      try {
        reply = state.handler(request);
      } catch (error) {
        reply = { status: 599, text: `test handler threw: ${String(error)}` };
      }
      if (reply.hang) return;
      if (reply.drop) {
        res.socket?.destroy();
        return;
      }
      if (reply.json !== undefined) {
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        res.end(JSON.stringify(reply.json));
      } else {
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
        res.end(reply.text ?? '');
      }
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(next: TinyHandler) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** A 127.0.0.1 port nothing listens on (bound once, then released). */
export const closedPort = async (): Promise<number> => {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};
