/**
 * The fetch of a provider that has a client certificate (mTLS). Electron's network stack cannot
 * present one to a server that asks (electron/electron#29984: `net` requests fail with
 * ERR_SSL_CLIENT_AUTH_CERT_NEEDED), so these requests go through Node's TLS instead: undici's
 * fetch with a dispatcher carrying the certificate and its key. The system proxy still applies:
 * `resolveProxy` (Electron's `session.resolveProxy` in the app) answers per URL in PAC form, and
 * a `PROXY`/`HTTPS` answer sends the request through that proxy with an HTTP CONNECT tunnel, the
 * TLS (and the certificate) end to end inside it.
 *
 * One of these per provider configuration; its connections are closed when the configuration
 * changes or is deleted (`close`).
 */
import tls from 'node:tls';
import {
  Agent,
  ProxyAgent,
  buildConnector,
  fetch as undiciFetch,
  type Dispatcher,
  type RequestInit as UndiciRequestInit,
} from 'undici';
import { NetworkFailure, type FetchLike } from './http-client';
import { chooseProxy, type ProxyChoice } from './proxy-answer';

export interface ClientCertificate {
  /** PEM chain, leaf first. */
  readonly certificate: string;
  /** PEM private key of the leaf. */
  readonly privateKey: string;
}

/** The PAC-style answer for a URL: `"PROXY host:port; DIRECT"`, `"DIRECT"`. */
export type ResolveProxy = (url: string) => Promise<string>;

export interface ClientCertificateFetchOptions {
  /** Absent: every request goes directly to the server. */
  readonly resolveProxy?: ResolveProxy;
  /**
   * CA certificates (PEM) to trust beside Node's default ones (its bundled roots, and the OS
   * store where main/shell/system-certificates.ts added it). Tests pass their private CA here
   * rather than changing what the whole process trusts.
   */
  readonly extraCaCertificates?: readonly string[];
}

export interface ClientCertificateFetch {
  readonly fetch: FetchLike;
  /** Closes its connections once the requests under way have their answers; refuses new ones. */
  close(): Promise<void>;
}

/** The part of node:tls that reads what Node trusts now, missing before Node 22.15 / 23.10. */
interface CaCertificateApi {
  getCACertificates?: (type: 'default') => string[];
}

/**
 * What the connection trusts: undefined keeps Node's default (what `ca` left out means);
 * extra certificates must be given with the defaults, since a `ca` option replaces them.
 */
const trustedCas = (extra: readonly string[] | undefined): string[] | undefined => {
  if (extra === undefined || extra.length === 0) return undefined;
  const { getCACertificates } = tls as unknown as CaCertificateApi;
  const defaults = getCACertificates ? getCACertificates('default') : [...tls.rootCertificates];
  return [...defaults, ...extra];
};

/** An alert the server sent during or right after the handshake: it refused the connection. */
const isTlsAlert = (error: unknown): boolean =>
  typeof (error as { code?: unknown }).code === 'string' &&
  /^ERR_SSL_.*ALERT/.test((error as { code: string }).code);

/**
 * Node's connector, keeping the server's TLS alert as the reason a request fails. In TLS 1.3 the
 * client's side of the handshake is done before the server checks the client certificate; its
 * refusal (`certificate required`, `unknown CA`) arrives as a socket error followed by the end of
 * the stream, and undici would report the end ("other side closed", the request maybe
 * processed) in place of the alert. Closing the socket at the alert keeps the alert the reason.
 */
const keepingTlsAlerts =
  (connect: buildConnector.connector): buildConnector.connector =>
  (options, callback) =>
    connect(options, (...args) => {
      const socket = args[1];
      socket?.on('error', (error) => {
        if (isTlsAlert(error)) socket.destroy();
      });
      callback(...args);
    });

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

export const createClientCertificateFetch = (
  credentials: ClientCertificate,
  options: ClientCertificateFetchOptions = {},
): ClientCertificateFetch => createNodeTlsFetch(options, credentials);

/**
 * The same fetch on Node's TLS, with or without a client certificate: without one it stands in
 * for the app's fetch in tests that need their private CA trusted and a server's TLS refusal
 * reported as Electron's network stack reports it.
 */
export const createNodeTlsFetch = (
  options: ClientCertificateFetchOptions = {},
  credentials?: ClientCertificate,
): ClientCertificateFetch => {
  const ca = trustedCas(options.extraCaCertificates);
  const tlsOptions = {
    ...(credentials ? { cert: credentials.certificate, key: credentials.privateKey } : {}),
    ...(ca !== undefined ? { ca } : {}),
  };
  let direct: Agent | undefined;
  const proxies = new Map<string, ProxyAgent>();
  let closed = false;

  const dispatcherFor = (choice: Exclude<ProxyChoice, { kind: 'unsupported' }>): Dispatcher => {
    if (choice.kind === 'direct')
      return (direct ??= new Agent({ connect: keepingTlsAlerts(buildConnector(tlsOptions)) }));
    let agent = proxies.get(choice.uri);
    if (agent === undefined) {
      agent = new ProxyAgent({
        uri: choice.uri,
        // The TLS to the provider, inside the tunnel: this is where the certificate goes.
        requestTls: tlsOptions,
        // An HTTPS proxy's own certificate is checked against the same CAs.
        ...(ca !== undefined ? { proxyTls: { ca } } : {}),
      });
      proxies.set(choice.uri, agent);
    }
    return agent;
  };

  const fetch: FetchLike = async (input, init) => {
    if (closed) throw new NetworkFailure('not-sent', 'the provider’s configuration changed');
    const url = urlOf(input);
    let answer = 'DIRECT';
    if (options.resolveProxy) {
      try {
        answer = await options.resolveProxy(url);
      } catch (error) {
        throw new NetworkFailure(
          'not-sent',
          `the system proxy for ${new URL(url).host} could not be found out (${error instanceof Error ? error.message : String(error)})`,
          { cause: error },
        );
      }
    }
    const choice = chooseProxy(answer);
    if (choice.kind === 'unsupported') {
      throw new NetworkFailure(
        'not-sent',
        `the system proxy for ${new URL(url).host} is "${answer}", and requests with a client certificate can use only an HTTP or HTTPS proxy`,
      );
    }
    const request: UndiciRequestInit =
      input instanceof Request
        ? {
            method: input.method,
            headers: input.headers,
            // A Request's body is a stream, which undici sends only as a half-duplex upload.
            ...(input.body ? { body: input.body, duplex: 'half' as const } : {}),
            ...init,
          }
        : (init ?? {});
    return undiciFetch(url, { ...request, dispatcher: dispatcherFor(choice) });
  };

  return {
    fetch,
    async close() {
      closed = true;
      const agents: Dispatcher[] = [...proxies.values(), ...(direct ? [direct] : [])];
      proxies.clear();
      direct = undefined;
      // close, not destroy: a refresh under way keeps its answer (with rotating refresh tokens
      // an answer lost after the server rotated would cost the grant).
      await Promise.allSettled(agents.map((agent) => agent.close()));
    },
  };
};
