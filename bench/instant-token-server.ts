/**
 * The cheapest token endpoint that still speaks RFC 6749: node:http on 127.0.0.1, a form body
 * read and parsed, a JSON answer with a new access token, nothing stored, nothing signed. Against
 * it the core's own work is most of a refresh, so the ratio is the worst case and the difference
 * in milliseconds is the core's absolute overhead.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface InstantTokenServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  /** Token requests that reached the server, by grant type. */
  readonly counts: { refreshRequests: number; codeRequests: number };
  resetCounts(): void;
  stop(): Promise<void>;
}

/** Opaque tokens of a common size (Google's access tokens are ~220 characters; ours ~40). */
const token = (kind: string, serial: number): string =>
  `${kind}-${serial.toString(36).padStart(8, '0')}-${'x'.repeat(24)}`;

export const startInstantTokenServer = async (): Promise<InstantTokenServer> => {
  const counts = { refreshRequests: 0, codeRequests: 0 };
  let serial = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const grant = form.get('grant_type');
      let status = 200;
      let body: Record<string, unknown>;
      if (req.method === 'POST' && req.url === '/token' && grant === 'refresh_token') {
        counts.refreshRequests += 1;
        serial += 1;
        body = { access_token: token('at', serial), token_type: 'Bearer', expires_in: 3600 };
      } else if (req.method === 'POST' && req.url === '/token' && grant === 'authorization_code') {
        counts.codeRequests += 1;
        serial += 1;
        body = {
          access_token: token('at', serial),
          refresh_token: token('rt', serial),
          token_type: 'Bearer',
          expires_in: 3600,
        };
      } else {
        status = 400;
        body = { error: 'unsupported_grant_type' };
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    tokenEndpoint: `${url}/token`,
    authorizationEndpoint: `${url}/authorize`,
    counts,
    resetCounts: () => Object.assign(counts, { refreshRequests: 0, codeRequests: 0 }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // fetch keeps connections alive; they would hold close() open.
        server.closeAllConnections();
      }),
  };
};
