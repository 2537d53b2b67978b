/**
 * An HTTPS front that demands a client certificate (mTLS), as a company's gateway before its
 * identity provider does: node:https with `requestCert` and `rejectUnauthorized` against the
 * test CA, forwarding every request it lets through to a plain-http server behind it (a real
 * oidc-provider). It records which client certificate each request came with; a connection
 * without one, or with one the CA did not sign, never gets a request through.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TestPki } from './test-pki';

export interface FrontRequest {
  readonly method: string;
  readonly path: string;
  /** The client certificate's subject CN. */
  readonly clientCertificate: string;
}

export interface MtlsFront {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request forwarded, in order. */
  readonly requests: FrontRequest[];
  /** TLS connections it refused (no certificate, or one it does not trust). */
  readonly refusedHandshakes: string[];
  stop(): Promise<void>;
}

export const startMtlsFront = async (pki: TestPki, backend: string): Promise<MtlsFront> => {
  const target = new URL(backend);
  const requests: FrontRequest[] = [];
  const refusedHandshakes: string[] = [];
  const server = createServer(
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: true,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      requests.push({
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0] ?? '',
        clientCertificate: String(peer.subject?.CN ?? ''),
      });
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  server.on('tlsClientError', (error: NodeJS.ErrnoException) => {
    refusedHandshakes.push(error.code ?? error.message);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    refusedHandshakes,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
