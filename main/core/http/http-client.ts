/**
 * The one way the core talks HTTP: every request has a time limit, every body a size cap, and
 * every failure a class the refresh logic can act on (was the request possibly processed?).
 */
import type { NetworkFailureKind } from '../core-failure';
import { classifyFetchError, NetworkFailure } from './network-failure';

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
export {
  ClientCertificateRefused,
  classifyFetchError,
  formatSeconds,
  NetworkFailure,
  TimedOut,
  type FailurePlace,
} from './network-failure';

/** Statuses the Fetch standard forbids a body on: `new Response(body, { status })` throws. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

const readCapped = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new NetworkFailure(
      'too-large',
      `the provider's answer is larger than ${maxBytes} bytes`,
      {
        place: 'size',
      },
    );
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
        { place: 'size' },
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
      throw classifyFetchError(
        error,
        timeout?.aborted === true ? limits.timeoutMs : undefined,
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
    }
  };
