/**
 * The one way the core talks HTTP: every request has a time limit, every body a size cap, and
 * every failure a class the refresh logic can act on (was the request possibly processed?).
 */
import type { NetworkFailureKind } from '../core-failure';

export interface HttpLimits {
  /** Abort a request that has not fully answered after this long. */
  readonly timeoutMs: number;
  /** Refuse bodies larger than this; token responses are a few kB. */
  readonly maxBodyBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { timeoutMs: 15_000, maxBodyBytes: 1_048_576 };

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Why a request failed before an HTTP answer was read (declared with the error class). */
export type { NetworkFailureKind };

export class NetworkFailure extends Error {
  constructor(
    readonly kind: NetworkFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NetworkFailure';
  }
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
    super('lost', `the provider did not answer within ${formatSeconds(limitMs)}`, options);
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
    super('not-sent', clientCertificateRefusal(code), options);
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

const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

const errorCode = (error: unknown): string | undefined => {
  let current: unknown = error;
  // fetch wraps the socket error: TypeError('fetch failed') → cause → (AggregateError) → code.
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) {
      current = candidate.errors[0];
      continue;
    }
    current = candidate.cause;
  }
  return undefined;
};

/**
 * Classifies what `fetch` threw, by the error's type and code rather than one code.
 * `timedOutAfterMs`: set when the request's own time limit (of that many ms) aborted it.
 */
export const classifyFetchError = (error: unknown, timedOutAfterMs?: number): NetworkFailure => {
  if (error instanceof NetworkFailure) return error;
  if (timedOutAfterMs !== undefined) return new TimedOut(timedOutAfterMs, { cause: error });
  const code = errorCode(error);
  // Electron's net module says it in the message only: "net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED".
  const netCode = /\bnet::(ERR_[A-Z_]+)/.exec(error instanceof Error ? error.message : '')?.[1];
  const certificateCode = [code, netCode].find(
    (candidate) => candidate !== undefined && Object.hasOwn(CLIENT_CERTIFICATE_CODES, candidate),
  );
  if (certificateCode !== undefined)
    return new ClientCertificateRefused(certificateCode, { cause: error });
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new NetworkFailure('not-sent', `the provider could not be reached (${code})`, {
      cause: error,
    });
  }
  return new NetworkFailure(
    'lost',
    `the connection to the provider failed (${code ?? 'network error'})`,
    {
      cause: error,
    },
  );
};

/** Statuses the Fetch standard forbids a body on: `new Response(body, { status })` throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const readCapped = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new NetworkFailure('too-large', `the provider's answer is larger than ${maxBytes} bytes`);
  }
  if (response.body === null) return new Uint8Array(0);
  // Typed explicitly: the DOM and Node stream typings disagree on the chunk type.
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new NetworkFailure(
        'too-large',
        `the provider's answer is larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
};

/** Signals that abort a request within a time limit of their own (a TimeBudget's). */
const limitingSignals = new WeakSet<AbortSignal>();

/**
 * Marks `signal` as one that aborts its requests within a time limit (with a `TimedOut`): a
 * limited fetch given it needs no timer of its own. A refresh's budget arms one timer for all
 * its requests instead of one more per request.
 */
export const markTimeLimiting = (signal: AbortSignal): AbortSignal => {
  limitingSignals.add(signal);
  return signal;
};

const utf8 = new TextDecoder();

/** The bytes each limited fetch's Response was built from (read by `peekJson`). */
const buffered = new WeakMap<Response, Uint8Array>();

/**
 * The body parsed as JSON, without consuming the Response, for a layer above the fetch that must
 * look at it first (provider quirks, ID-token peeks): from the bytes a limited fetch read where it
 * can (a `clone()` tees the stream and reads it again), else from a clone. Rejects on a body that
 * is not JSON.
 */
export const peekJson = async (response: Response): Promise<unknown> => {
  const bytes = buffered.get(response);
  if (bytes === undefined) return response.clone().json();
  // As response.json() decodes: UTF-8, a leading byte-order mark dropped.
  return JSON.parse(utf8.decode(bytes));
};

/**
 * A fetch that enforces the limits and answers with a fully read (buffered) Response, so a body
 * cut short surfaces here as a `lost` failure and not later inside a JSON parser.
 */
export const createLimitedFetch =
  (limits: HttpLimits = DEFAULT_HTTP_LIMITS, baseFetch: FetchLike = fetch): FetchLike =>
  async (input, init) => {
    const given = init?.signal ?? undefined;
    const timeout =
      given !== undefined && limitingSignals.has(given)
        ? undefined
        : AbortSignal.timeout(limits.timeoutMs);
    const signal =
      timeout === undefined ? given : given ? AbortSignal.any([given, timeout]) : timeout;
    try {
      const response = await baseFetch(input, { ...init, signal });
      const body = await readCapped(response, limits.maxBodyBytes);
      const nullBody = NULL_BODY_STATUSES.has(response.status);
      const read = new Response(nullBody ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      if (!nullBody) buffered.set(read, body);
      return read;
    } catch (error) {
      throw classifyFetchError(error, timeout?.aborted === true ? limits.timeoutMs : undefined);
    }
  };
