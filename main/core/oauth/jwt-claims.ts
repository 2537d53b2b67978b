/**
 * Reads what a compact JWT (RFC 7519, a JWS in compact form) says: its header and its claims.
 * Nothing here verifies a signature: the claims are decoded for the user to look at, not for
 * Tokendesk to trust (an ID token was verified when it was received; an access token is for its
 * API to verify). The signature, the third part, is never returned.
 *
 * What is not a JWT says so: most access tokens are opaque strings; an encrypted token (JWE,
 * five parts) can be read only with its recipient's key; a token with a JWT's shape that does not
 * decode gets a `problem` beginning "not a JWT: ".
 */
import type { TokenInspection } from '../../../shared/model';

/** Above this a token is not decoded: its claims would not fit a dialog anyway. */
export const MAX_DECODED_CHARS = 256 * 1024;

/** Deeper header or claims are not shown: the window's JSON view and IPC have their limits. */
export const MAX_JSON_DEPTH = 32;

export type JsonObject = Readonly<Record<string, unknown>>;

export type DecodedToken =
  | { readonly kind: 'jwt'; readonly header: JsonObject; readonly claims: JsonObject }
  | {
      readonly kind: 'opaque';
      /** A JWE's protected header, which is readable. */
      readonly header?: JsonObject;
      /** Why a token that looks like a JWT was not decoded. */
      readonly problem?: string;
    };

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** How deep a parsed JSON value nests, counted up to `limit + 1` and no further. */
const depthOf = (value: unknown, limit: number): number => {
  if (typeof value !== 'object' || value === null) return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const member of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(member, limit - 1));
    if (deepest > limit) break;
  }
  return deepest + 1;
};

const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
};

type Segment = { readonly value: JsonObject } | { readonly problem: string };

/** One base64url part as a JSON object, or why it is not one. */
const decodeSegment = (segment: string, name: string): Segment => {
  if (segment === '') return { problem: `the ${name} is empty` };
  // A base64 string never leaves one character over in its last group of four.
  if (!BASE64URL.test(segment) || segment.length % 4 === 1)
    return { problem: `the ${name} is not base64url` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url'));
  } catch {
    return { problem: `the ${name} is not UTF-8 text` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: `the ${name} is not JSON` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: `the ${name} is ${kindOf(value)}, not a JSON object` };
  if (depthOf(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { problem: `the ${name} nests deeper than ${MAX_JSON_DEPTH} levels` };
  return { value: value as JsonObject };
};

const notAJwt = (reason: string): DecodedToken => ({
  kind: 'opaque',
  problem: `not a JWT: ${reason}`,
});

/** A JOSE header begins `{"`, which base64url writes `eyJ`. */
const looksLikeJose = (part: string | undefined): boolean => part?.startsWith('eyJ') === true;

const decodeJwe = (parts: readonly string[]): DecodedToken => {
  const header = decodeSegment(parts[0] ?? '', 'header');
  if ('value' in header && typeof header.value.enc === 'string') {
    return {
      kind: 'opaque',
      header: header.value,
      problem:
        'encrypted (JWE): its claims can be read only with the key of the party it is encrypted for',
    };
  }
  return looksLikeJose(parts[0])
    ? notAJwt('it has 5 parts, as an encrypted token (JWE) does, but its header names no "enc"')
    : { kind: 'opaque' };
};

/** The header and claims of a compact JWT, or why it is opaque. Never verifies, never throws. */
export const decodeJwt = (token: string): DecodedToken => {
  if (!token.includes('.')) return { kind: 'opaque' };
  if (token.length > MAX_DECODED_CHARS) {
    const kib = (chars: number) => Math.ceil(chars / 1024).toLocaleString('en');
    return {
      kind: 'opaque',
      problem: `not decoded: the token is ${kib(token.length)} KiB, more than the ${kib(MAX_DECODED_CHARS)} KiB Tokendesk reads`,
    };
  }
  const parts = token.split('.');
  if (parts.length === 5) return decodeJwe(parts);
  if (parts.length !== 3) {
    // Google's `ya29.…` has one dot and is simply opaque; a JOSE header with the wrong number of
    // parts is a broken JWT.
    return looksLikeJose(parts[0])
      ? notAJwt(`it has ${parts.length} parts separated by dots, not 3`)
      : { kind: 'opaque' };
  }
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeSegment(headerPart, 'header');
  if ('problem' in header) return notAJwt(header.problem);
  if (typeof header.value.alg !== 'string') return notAJwt('the header names no "alg"');
  const claims = decodeSegment(payloadPart, 'payload');
  if ('problem' in claims) return notAJwt(claims.problem);
  // Read for its form only: what it signs is for the token's audience to check.
  if (!BASE64URL.test(signaturePart) || signaturePart.length % 4 === 1)
    return notAJwt('the signature is not base64url');
  return { kind: 'jwt', header: header.value, claims: claims.value };
};

/** A NumericDate (seconds since the epoch, RFC 7519 §2) in epoch milliseconds. */
const dateOf = (value: unknown): number | undefined => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const ms = Math.round(value * 1000);
  // What a JavaScript Date can hold.
  return Math.abs(ms) <= 8.64e15 ? ms : undefined;
};

const stringsOf = (value: unknown): string[] | undefined => {
  if (typeof value === 'string') return value === '' ? undefined : [value];
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string' && item !== '');
  return strings.length > 0 ? strings : undefined;
};

/** `scope` (RFC 8693, RFC 9068: space-separated) or Entra's and Okta's `scp` (string or list). */
const scopesOf = (claims: JsonObject): string[] | undefined => {
  for (const name of ['scope', 'scp']) {
    const value = claims[name];
    const list = typeof value === 'string' ? value.split(/\s+/) : stringsOf(value);
    const scopes = list?.filter((scope) => scope !== '');
    if (scopes !== undefined && scopes.length > 0) return scopes;
  }
  return undefined;
};

/** The registered claims as the inspection view carries them. */
export type ClaimSummary = Pick<
  TokenInspection,
  'issuedAt' | 'expiresAt' | 'notBefore' | 'issuer' | 'subject' | 'audience' | 'scopes'
>;

/** The registered claims a reader looks for first, where they have their registered form. */
export const summarizeClaims = (claims: JsonObject): ClaimSummary => {
  const issuedAt = dateOf(claims.iat);
  const expiresAt = dateOf(claims.exp);
  const notBefore = dateOf(claims.nbf);
  const issuer = typeof claims.iss === 'string' ? claims.iss : undefined;
  const subject = typeof claims.sub === 'string' ? claims.sub : undefined;
  const audience = stringsOf(claims.aud);
  const scopes = scopesOf(claims);
  return {
    ...(issuedAt !== undefined ? { issuedAt } : {}),
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(notBefore !== undefined ? { notBefore } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(audience !== undefined ? { audience } : {}),
    ...(scopes !== undefined ? { scopes } : {}),
  };
};

/**
 * `value` without any string that contains one of `secrets` (members of an object, items of a
 * list), at any depth; what nests deeper than `MAX_JSON_DEPTH` is left out too. For what a
 * provider answers about a token (introspection echoes it under some servers), and, as a second
 * net, for a token's own claims.
 */
export const withoutSecrets = <T>(value: T, secrets: readonly string[]): T => {
  const held = secrets.filter((secret) => secret !== '');
  const leaks = (item: unknown) =>
    typeof item === 'string' && held.some((secret) => item.includes(secret));
  const clean = (item: unknown, depth: number): unknown => {
    if (typeof item !== 'object' || item === null) return item;
    if (depth >= MAX_JSON_DEPTH) return '…';
    if (Array.isArray(item))
      return item.filter((member) => !leaks(member)).map((member) => clean(member, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [name, member] of Object.entries(item)) {
      if (leaks(member)) continue;
      // Defined as data: a member named "__proto__" stays a member.
      Object.defineProperty(out, name, {
        value: clean(member, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return clean(value, 0) as T;
};
