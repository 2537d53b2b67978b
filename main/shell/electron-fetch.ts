/**
 * main's requests on Chromium's network stack, behind the core's fetch port: the system's proxy
 * settings and PAC file, proxy authentication, and the system's certificate store, as the
 * consent window has them. Node's fetch has none of these: on a network where only the proxy
 * reaches the internet, sign-in would succeed in the window and the code exchange in main would
 * then fail.
 *
 * Built on Electron's `net.request` rather than `net.fetch`: net.fetch answers every proxy's
 * password request with "cancel" (it listens to no `login` event: electron's
 * lib/browser/api/net-fetch.ts), so behind an authenticating proxy nothing would get through.
 * This is the part of net.fetch the core needs (method, headers, a body, an abort signal, the
 * answer as a web Response), plus the `login` event, answered by the user (proxy-sign-in).
 *
 * The core's limited fetch (main/core/http/http-client.ts) wraps this one: time limits, body
 * caps and failure classes hold over both stacks. Failures are handed on with Chromium's code
 * (`ERR_NAME_NOT_RESOLVED`) and, for a certificate, which one (certificate-failures.ts).
 */
import { net, type AuthInfo, type IncomingMessage, type Session } from 'electron';
import { Readable } from 'node:stream';
import type { FetchLike } from '../core/http/http-client';
import { firstProxy } from '../core/http/proxy-answer';
import type { ProxyCredentials } from '../core/services/proxy-sign-in';
import type { CertificateFailures } from './certificate-failures';

export interface ElectronFetchOptions {
  /** main's own session (in memory: main/index.ts). */
  readonly session: Session;
  readonly certificates: CertificateFailures;
  /**
   * A proxy asks for a user name and password: the answer, or undefined (cancel). `again`: this
   * request asked before, so the proxy refused what it was given.
   */
  readonly proxyLogin: (
    authInfo: AuthInfo,
    again: boolean,
  ) => Promise<ProxyCredentials | undefined>;
}

/** What net.request says when a redirect meets `redirect: 'error'`. */
const REDIRECT_REFUSED = /redirect policy was 'error'/i;

/** Statuses the Fetch standard forbids a body on: `new Response(body, { status })` throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** The request's failure as an error the core classifies: Chromium's code, the certificate. */
const transportError = (
  error: Error,
  url: string,
  certificates: CertificateFailures,
  proxy: string | undefined,
): Error => {
  const chromium = /net::(ERR_[A-Z0-9_]+)/.exec(error.message)?.[1];
  const code =
    chromium ?? (REDIRECT_REFUSED.test(error.message) ? 'ERR_REDIRECT_REFUSED' : undefined);
  if (code === undefined) return error;
  const certificate = code.startsWith('ERR_CERT_')
    ? certificates.about(new URL(url).hostname)
    : undefined;
  return Object.assign(new Error(error.message, { cause: error }), {
    code,
    ...(certificate ? { certificate } : {}),
    ...(proxy ? { proxy } : {}),
  });
};

const responseOf = (message: IncomingMessage, method: string): Response => {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const body =
    NULL_BODY_STATUSES.has(message.statusCode) || method === 'HEAD'
      ? null
      : (Readable.toWeb(message as unknown as Readable) as ReadableStream<Uint8Array>);
  if (body === null) (message as unknown as Readable).resume();
  return new Response(body, {
    status: message.statusCode,
    statusText: message.statusMessage,
    headers,
  });
};

export const createElectronFetch =
  ({ session, certificates, proxyLogin }: ElectronFetchOptions): FetchLike =>
  async (input, init) => {
    // Normalises what fetch accepts (URLSearchParams bodies, header forms, a signal).
    const request = new Request(input, init);
    const signal = request.signal;
    signal.throwIfAborted();
    const body = request.body === null ? undefined : Buffer.from(await request.arrayBuffer());
    return new Promise<Response>((resolve, reject) => {
      const client = net.request({
        session,
        method: request.method,
        url: request.url,
        // oauth4webapi asks for 'manual' (a redirect is an error to it, and is never followed
        // with the request's secrets); 'error' refuses one at once, which is what it would do.
        redirect: 'error',
        // 'include' lets Chromium ask for a proxy's password (`login`); the session's cookies
        // stay out (useSessionCookies is off): token requests carry none.
        credentials: 'include',
        useSessionCookies: false,
        // The app's own scheme handler (app://) must never answer a provider request.
        bypassCustomProtocolHandlers: true,
      });
      for (const [name, value] of request.headers) client.setHeader(name, value);
      const onAbort = () => {
        client.abort();
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      let asked = false;
      client.on('login', (authInfo, callback) => {
        // A provider's own HTTP authentication is not the user's to answer here.
        if (!authInfo.isProxy) {
          callback();
          return;
        }
        const again = asked;
        asked = true;
        proxyLogin(authInfo, again).then(
          (credentials) =>
            credentials ? callback(credentials.username, credentials.password) : callback(),
          () => callback(),
        );
      });
      client.on('response', (message) => {
        // The signal still governs the body: the limited fetch's time limit must stop a body
        // that stalls half-way, so the listener stays until the body has ended or failed.
        const body = message as unknown as Readable;
        body.once('end', done);
        body.once('error', done);
        message.once('aborted', done);
        resolve(responseOf(message, request.method));
      });
      client.on('error', (error) => {
        done();
        // Which proxy the request went through: a failure there is named with it.
        void session
          .resolveProxy(request.url)
          .catch(() => 'DIRECT')
          .then((route) =>
            reject(transportError(error, request.url, certificates, firstProxy(route)?.hostPort)),
          );
      });
      if (body !== undefined && body.byteLength > 0) client.write(body);
      client.end();
    });
  };
