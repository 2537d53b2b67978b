/**
 * System-browser consent (RFC 8252 §7.3): a one-shot listener on 127.0.0.1 with a random port
 * and one exact path. The first request on that path ends the attempt; the browser tab gets a
 * short "you can close this tab" page; anything else gets 404. The listener never binds any
 * address but 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
} from '../ports';

const page = (heading: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>Tokendesk</title>
<body style="font-family:system-ui;margin:3rem;text-align:center">
<h1>${heading}</h1><p>${text}</p></body>`;

const SIGNED_IN_PAGE = page('Signed in', 'You can close this tab and return to Tokendesk.');
// The provider sent an error (the user declined, or it refused the request), or the callback
// does not carry the state this attempt sent: Tokendesk shows the reason; this tab must not claim
// a sign-in happened. (The core makes the real state check; this only picks the page.)
const NOT_SIGNED_IN_PAGE = page(
  'Sign-in not completed',
  'You can close this tab: Tokendesk shows what happened.',
);

export type OpenExternal = (url: string) => Promise<void>;

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      resolve((server.address() as AddressInfo).port);
    });
  });

const startSession = async (
  request: ConsentRequest,
  openExternal: OpenExternal,
): Promise<ConsentSession> => {
  let settle: { resolve: (url: URL) => void; reject: (error: Error) => void } | undefined;
  const received = new Promise<URL>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be awaiting yet when an early abort rejects it.
  received.catch(() => undefined);

  let done = false;
  /** The state the authorization URL carries, once authorize() has it. */
  let sentState: string | null = null;
  const server = createServer((req, res) => {
    // A fixed base: the Host header is whatever the client sent, and a malformed one would make
    // URL parsing throw inside the request handler. Only the path and query are used.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request');
      return;
    }
    if (done || req.method !== 'GET' || url.pathname !== request.callbackPath) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    done = true;
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'close',
    });
    const signedIn = url.searchParams.has('code') && url.searchParams.get('state') === sentState;
    res.end(signedIn ? SIGNED_IN_PAGE : NOT_SIGNED_IN_PAGE);
    settle?.resolve(new URL(`${redirectUri}${url.search}`));
  });
  const port = await listen(server);
  const redirectUri = `http://${request.redirectHost}:${port}${request.callbackPath}`;

  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const onAbort = () =>
    settle?.reject(
      new ConsentAborted(request.signal.reason === 'timeout' ? 'timeout' : 'cancelled'),
    );
  request.signal.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri,
    async authorize(authorizationUrl) {
      sentState = authorizationUrl.searchParams.get('state');
      if (request.signal.aborted) onAbort();
      else await openExternal(authorizationUrl.href);
      return received;
    },
    async close() {
      request.signal.removeEventListener('abort', onAbort);
      if (server.listening) await close();
    },
  };
};

/** A consent port whose every attempt uses the user's browser and a loopback listener. */
export const createLoopbackConsent = (openExternal: OpenExternal): ConsentPort => ({
  begin: (request) => startSession(request, openExternal),
});
