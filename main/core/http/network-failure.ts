/**
 * What went wrong with a request before an HTTP answer was read, in two ways: for the refresh
 * logic, whether the provider may have processed it (`kind`); for the user, where it failed
 * (`place`: name resolution, the proxy, TLS, the connection), in words that say what to fix.
 *
 * Both network stacks the app uses land here: Node's fetch (tests, the command line, providers
 * with a client certificate) throws errors carrying a code (`ECONNREFUSED`,
 * `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), and Electron's `net.fetch` throws `net::ERR_…` messages,
 * which the shell's adapter turns into a code (main/shell/electron-fetch.ts).
 */
import type { FailurePlace } from '../../../shared/model';
import type { NetworkFailureKind } from '../core-failure';

export type { FailurePlace };

/** The certificate a TLS failure was about, as the network stack reported it. */
export interface FailedCertificate {
  readonly subject: string;
  readonly issuer: string;
}

export class NetworkFailure extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
    options?: { cause?: unknown; place?: FailurePlace },
  ) {
    super(message, options);
    this.name = 'NetworkFailure';
    this.place = options?.place;
  }

  readonly place: FailurePlace | undefined;
}

/** `15 s`, `0.8 s`: a time limit as the user reads it in an error message. */
export const formatSeconds = (ms: number): string =>
  `${ms >= 10_000 ? Math.round(ms / 1000) : Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;

/**
 * A time limit ran out: the request's own (`HttpLimits.timeoutMs`) or the one budget of a whole
 * refresh (time-budget.ts). Lost, not not-sent: the provider may have processed the request.
 */
export class TimedOut extends NetworkFailure {
  constructor(
    readonly limitMs: number,
    options?: { cause?: unknown },
  ) {
    super('lost', `the provider did not answer within ${formatSeconds(limitMs)}`, {
      ...options,
      place: 'time',
    });
    this.name = 'TimedOut';
  }
}

/**
 * The server refused the TLS connection over the client certificate (mTLS): it asked for one
 * and none was presented, or it does not accept the one presented. Not sent: a handshake the
 * server refused carries no request it processed.
 */
export class ClientCertificateRefused extends NetworkFailure {
  constructor(
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super('not-sent', clientCertificateRefusal(code), { ...options, place: 'tls' });
    this.name = 'ClientCertificateRefused';
  }
}

/** TLS alerts (Node's OpenSSL codes) and Chromium's net errors that mean "the client certificate". */
const CLIENT_CERTIFICATE_CODES: Readonly<Record<string, 'missing' | 'handshake' | 'refused'>> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'missing',
  // TLS 1.2 servers answer a missing certificate with a plain handshake failure (which other
  // disagreements end with too).
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'handshake',
  ERR_SSL_CLIENT_AUTH_CERT_NEEDED: 'missing',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'refused',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'refused',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'refused',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'refused',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'refused',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'refused',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'refused',
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: 'refused',
  ERR_BAD_SSL_CLIENT_AUTH_CERT: 'refused',
};

const clientCertificateRefusal = (code: string): string => {
  switch (CLIENT_CERTIFICATE_CODES[code]) {
    case 'missing':
      return `the provider refused the TLS connection: it asks for a client certificate (mTLS), and none was presented (${code}); add one to the provider (Edit, Client certificate)`;
    case 'handshake':
      return `the provider refused the TLS handshake (${code}): it may ask for a client certificate (mTLS) that was not presented`;
    default:
      return `the provider refused the TLS connection over the client certificate presented (${code}): it does not accept that certificate`;
  }
};

interface CodeMeaning {
  readonly kind: NetworkFailureKind;
  readonly place: FailurePlace;
  /** What happened, for "… (CODE)"; `{host}` is the request's host:port, `{hostname}` its name. */
  readonly says: string;
}

const notSent = (place: FailurePlace, says: string): CodeMeaning => ({
  kind: 'not-sent',
  place,
  says,
});
const lost = (place: FailurePlace, says: string): CodeMeaning => ({ kind: 'lost', place, says });

const UNTRUSTED = 'the certificate of {host} is not trusted';

/** Node's (libuv, undici, OpenSSL) and Chromium's (`net::ERR_…` without the prefix) codes. */
const CODES: Readonly<Record<string, CodeMeaning>> = {
  ENOTFOUND: notSent('dns', 'the name {hostname} could not be resolved'),
  EAI_AGAIN: notSent('dns', 'the name {hostname} could not be resolved (try again)'),
  ERR_NAME_NOT_RESOLVED: notSent('dns', 'the name {hostname} could not be resolved'),
  ERR_NAME_RESOLUTION_FAILED: notSent('dns', 'the name {hostname} could not be resolved'),
  ECONNREFUSED: notSent('connection', '{host} refused the connection'),
  ERR_CONNECTION_REFUSED: notSent('connection', '{host} refused the connection'),
  EHOSTUNREACH: notSent('connection', '{host} cannot be reached from this network'),
  ENETUNREACH: notSent('connection', '{host} cannot be reached from this network'),
  ERR_ADDRESS_UNREACHABLE: notSent('connection', '{host} cannot be reached from this network'),
  ERR_INTERNET_DISCONNECTED: notSent('connection', 'this computer is not connected'),
  ERR_NETWORK_CHANGED: notSent('connection', 'the network changed during the request'),
  ERR_UNSAFE_PORT: notSent('connection', 'the port of {host} is one browsers refuse'),
  UND_ERR_CONNECT_TIMEOUT: notSent('connection', '{host} did not accept the connection in time'),
  ERR_CONNECTION_TIMED_OUT: notSent('connection', '{host} did not accept the connection in time'),
  ERR_PROXY_CONNECTION_FAILED: notSent('proxy', 'the proxy server could not be reached'),
  ERR_TUNNEL_CONNECTION_FAILED: notSent('proxy', 'the proxy did not open a connection to {host}'),
  ERR_PROXY_AUTH_UNSUPPORTED: notSent('proxy', 'the proxy asks for a sign-in this app cannot do'),
  ERR_PROXY_AUTH_REQUESTED: notSent('proxy', 'the proxy asks for a user name and password'),
  ERR_PROXY_CERTIFICATE_INVALID: notSent('proxy', 'the proxy’s certificate is not valid'),
  ERR_MANDATORY_PROXY_CONFIGURATION_FAILED: notSent(
    'proxy',
    'the proxy configuration (PAC file) could not be used',
  ),
  ERR_PAC_SCRIPT_FAILED: notSent('proxy', 'the proxy configuration (PAC file) failed'),
  ERR_PAC_NOT_IN_DHCP: notSent('proxy', 'no proxy configuration (PAC file) was found'),
  ERR_SOCKS_CONNECTION_FAILED: notSent('proxy', 'the SOCKS proxy could not connect to {host}'),
  ERR_PROXY_HTTP_1_1_REQUIRED: notSent('proxy', 'the proxy failed'),
  CERT_HAS_EXPIRED: notSent('tls', 'the certificate of {host} has expired'),
  ERR_CERT_DATE_INVALID: notSent(
    'tls',
    'the certificate of {host} has expired or is not yet valid',
  ),
  DEPTH_ZERO_SELF_SIGNED_CERT: notSent('tls', 'the certificate of {host} is self-signed'),
  SELF_SIGNED_CERT_IN_CHAIN: notSent('tls', UNTRUSTED),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: notSent('tls', UNTRUSTED),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: notSent('tls', UNTRUSTED),
  ERR_CERT_AUTHORITY_INVALID: notSent('tls', UNTRUSTED),
  ERR_TLS_CERT_ALTNAME_INVALID: notSent('tls', 'the certificate of {host} is for another name'),
  ERR_CERT_COMMON_NAME_INVALID: notSent('tls', 'the certificate of {host} is for another name'),
  ERR_CERT_REVOKED: notSent('tls', 'the certificate of {host} has been revoked'),
  ERR_CERT_WEAK_KEY: notSent('tls', 'the certificate of {host} has a weak key'),
  ERR_SSL_PROTOCOL_ERROR: notSent('tls', 'the TLS handshake with {host} failed'),
  ERR_SSL_VERSION_OR_CIPHER_MISMATCH: notSent(
    'tls',
    '{host} offers no TLS version or cipher in common',
  ),
  ECONNRESET: lost('connection', 'the connection to {host} was reset'),
  UND_ERR_SOCKET: lost('connection', 'the connection to {host} was closed'),
  ERR_CONNECTION_RESET: lost('connection', 'the connection to {host} was reset'),
  ERR_CONNECTION_CLOSED: lost('connection', 'the connection to {host} was closed'),
  ERR_EMPTY_RESPONSE: lost('connection', '{host} closed the connection without answering'),
  ERR_TIMED_OUT: lost('time', 'the request to {host} timed out'),
  ERR_CONTENT_LENGTH_MISMATCH: lost('connection', 'the answer from {host} was cut short'),
  ERR_INCOMPLETE_CHUNKED_ENCODING: lost('connection', 'the answer from {host} was cut short'),
  // The shell's adapter: Electron's net.fetch cannot hand a redirect back (see electron-fetch).
  ERR_REDIRECT_REFUSED: lost('redirect', '{host} answered with a redirect, which is not followed'),
};

/** Chromium codes not listed: every ERR_CERT_… and ERR_SSL_… is a TLS failure before sending. */
const meaningOf = (code: string): CodeMeaning | undefined =>
  CODES[code] ??
  (code.startsWith('ERR_CERT_')
    ? notSent('tls', `the certificate of {host} is not valid`)
    : code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')
      ? notSent('tls', 'the TLS connection to {host} failed')
      : undefined);

interface Found {
  readonly code?: string;
  readonly certificate?: FailedCertificate;
  /** host:port of the proxy the request went through, when the network stack said. */
  readonly proxy?: string;
}

/** The code (and certificate) under what fetch threw: it wraps the socket's error in causes. */
const findCode = (error: unknown): Found => {
  let current: unknown = error;
  let certificate: FailedCertificate | undefined;
  let proxy: string | undefined;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as {
      code?: unknown;
      cause?: unknown;
      errors?: unknown;
      certificate?: FailedCertificate;
      proxy?: unknown;
    };
    certificate ??= candidate.certificate;
    if (typeof candidate.proxy === 'string') proxy ??= candidate.proxy;
    if (typeof candidate.code === 'string') {
      return {
        code: candidate.code,
        ...(certificate ? { certificate } : {}),
        ...(proxy ? { proxy } : {}),
      };
    }
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) {
      current = candidate.errors[0];
      continue;
    }
    current = candidate.cause;
  }
  return { ...(certificate ? { certificate } : {}), ...(proxy ? { proxy } : {}) };
};

const hostOf = (url: string | undefined): { host: string; hostname: string } => {
  try {
    const parsed = new URL(url ?? '');
    return { host: parsed.host, hostname: parsed.hostname };
  } catch {
    return { host: 'the provider', hostname: 'the provider' };
  }
};

/**
 * Classifies what a fetch threw. `timedOutAfterMs`: set when the request's own time limit (of
 * that many ms) aborted it; `url`: the request's, named in the message.
 */
export const classifyFetchError = (
  error: unknown,
  timedOutAfterMs?: number,
  url?: string,
): NetworkFailure => {
  if (error instanceof NetworkFailure) return error;
  if (timedOutAfterMs !== undefined) return new TimedOut(timedOutAfterMs, { cause: error });
  const { code, certificate, proxy } = findCode(error);
  // Electron's net module may say it in the message only: "net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED".
  const netCode = /\bnet::(ERR_[A-Z0-9_]+)/.exec(error instanceof Error ? error.message : '')?.[1];
  const certificateCode = [code, netCode].find(
    (candidate) => candidate !== undefined && Object.hasOwn(CLIENT_CERTIFICATE_CODES, candidate),
  );
  if (certificateCode !== undefined)
    return new ClientCertificateRefused(certificateCode, { cause: error });
  const { host, hostname } = hostOf(url);
  const meaning = code === undefined ? undefined : meaningOf(code);
  if (meaning === undefined) {
    return new NetworkFailure(
      'lost',
      `the connection to ${host} failed (${code ?? 'network error'})`,
      { cause: error, place: 'connection' },
    );
  }
  const said = meaning.says.replaceAll('{hostname}', hostname).replaceAll('{host}', host);
  const which =
    certificate && meaning.place === 'tls'
      ? `: “${certificate.subject}”, issued by “${certificate.issuer}”`
      : '';
  // Through a proxy, the end that closed or refused may be the proxy: the user is told which.
  const via = proxy && meaning.place !== 'proxy' ? `, through the proxy ${proxy}` : '';
  return new NetworkFailure(meaning.kind, `${said}${which}${via} (${code})`, {
    cause: error,
    place: meaning.place,
  });
};
