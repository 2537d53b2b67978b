/**
 * System-browser consent (RFC 8252 §7.3): a listener on the loopback interface with a port of
 * its own and one exact path (loopback-listener.ts says where it listens). Only the callback
 * that carries the `state` this attempt sent ends it; the browser tab gets a short "you can
 * close this tab" page. Anything else is answered and ignored, and the listener keeps waiting
 * until the sign-in ends or times out: any local program can send a request, and before, the
 * first one ended the attempt, so a forged request made a real sign-in fail.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
} from '../ports';
import { listenOnLoopback, type LoopbackOptions } from './loopback-listener';

const page = (heading: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>Tokendesk</title>
<body style="font-family:system-ui;margin:3rem;text-align:center">
<h1>${heading}</h1><p>${text}</p></body>`;

const SIGNED_IN_PAGE = page('Signed in', 'You can close this tab and return to Tokendesk.');
// The provider sent an error (the user declined, or it refused the request): Tokendesk shows
// the reason; this tab must not claim a sign-in happened.
const NOT_SIGNED_IN_PAGE = page(
  'Sign-in not completed',
  'You can close this tab: Tokendesk shows what happened.',
);
// A callback without this attempt's state: forged, or from another (older, altered) sign-in.
// Tokendesk ignores it and goes on waiting for its own.
const NOT_THIS_SIGN_IN_PAGE = page(
  'Sign-in not completed',
  'This answer does not belong to the sign-in Tokendesk is waiting for, and was ignored. You can close this tab.',
);

export type OpenExternal = (url: string) => Promise<void>;

/**
 * Equal without leaking how much matched through timing: a local program could otherwise learn
 * the state a character at a time. Digests make the lengths equal, as timingSafeEqual needs.
 */
const sameState = (received: string, sent: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(received).digest(),
    createHash('sha256').update(sent).digest(),
  );

/**
 * The Host headers a browser sends to this listener. Anything else is refused: a web page whose
 * host name an attacker rebinds to 127.0.0.1 (DNS rebinding) sends its own name.
 */
const allowedHosts = (port: number): ReadonlySet<string> =>
  new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);

const answer = (res: ServerResponse, status: number, body: string, html = false): void => {
  res
    .writeHead(status, {
      'content-type': html ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
    })
    .end(body);
};

const startSession = async (
  request: ConsentRequest,
  openExternal: OpenExternal,
  options: LoopbackOptions,
): Promise<ConsentSession> => {
  // A redirect URI registered with its port (a token backend's client): listened on exactly.
  // The provider directory lets only loopback http with a port come here (backend-setting.ts).
  const registered = request.redirectUri !== undefined ? new URL(request.redirectUri) : undefined;
  const redirectHost: ConsentRequest['redirectHost'] =
    registered?.hostname === 'localhost'
      ? 'localhost'
      : registered
        ? '127.0.0.1'
        : request.redirectHost;
  const callbackPath = registered?.pathname ?? request.callbackPath;
  let settle: { resolve: (url: URL) => void; reject: (error: Error) => void } | undefined;
  const received = new Promise<URL>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Nobody may be awaiting yet when an early abort rejects it.
  received.catch(() => undefined);

  let done = false;
  /** The state the authorization URL carries, once authorize() has it. */
  let sentState: string | null = null;
  let hosts: ReadonlySet<string> = new Set();
  let redirectUri = '';

  const handle: RequestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (!hosts.has(req.headers.host?.toLowerCase() ?? '')) {
      answer(res, 400, 'Bad request');
      return;
    }
    // A fixed base, never the Host header: only the path and query are used.
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1');
    } catch {
      answer(res, 400, 'Bad request');
      return;
    }
    if (done || req.method !== 'GET' || url.pathname !== callbackPath) {
      answer(res, 404, 'Not found');
      return;
    }
    const states = url.searchParams.getAll('state');
    if (sentState === null || states.length !== 1 || !sameState(states[0] ?? '', sentState)) {
      answer(res, 400, NOT_THIS_SIGN_IN_PAGE, true);
      return;
    }
    done = true;
    res.setHeader('connection', 'close');
    answer(res, 200, url.searchParams.has('code') ? SIGNED_IN_PAGE : NOT_SIGNED_IN_PAGE, true);
    // Built from the listener's own redirect URI, not from anything the request said.
    settle?.resolve(new URL(`${redirectUri}${url.search}`));
  };

  const listener = await listenOnLoopback(handle, {
    ...options,
    ...(registered !== undefined ? { ports: [Number(registered.port)] } : {}),
    dualStack: redirectHost === 'localhost',
  });
  hosts = allowedHosts(listener.port);
  redirectUri =
    request.redirectUri ?? `http://${redirectHost}:${listener.port}${request.callbackPath}`;

  const onAbort = () => settle?.reject(ConsentAborted.of(request.signal));
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
      if (listener.listening) await listener.close();
    },
  };
};

/** A consent port whose every attempt uses the user's browser and a loopback listener. */
export const createLoopbackConsent = (
  openExternal: OpenExternal,
  options: LoopbackOptions = {},
): ConsentPort => ({
  begin: (request) => startSession(request, openExternal, options),
});
