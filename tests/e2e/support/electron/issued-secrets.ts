/**
 * Every secret oidc-provider hands out while a spec runs, recorded from the provider's own
 * events, so the spec can search the app's files and logs for each one. Recorded at the source
 * rather than read back from the app: a token the app never showed (a rotated refresh token, the
 * ID token) is searched for too.
 *
 * - `access_token.saved`, `refresh_token.saved`, `authorization_code.saved`: every opaque token
 *   the provider stores, rotated refresh tokens included (an opaque token's value is its `jti`).
 * - `grant.success`: emitted after the token endpoint has built its answer, so `ctx.body` is the
 *   JSON the app received — the only place the ID token (a JWT, never stored) can be seen.
 */
import type { OidcServer } from '../../../support/oidc-server';

export type SecretKind =
  | 'access token'
  | 'refresh token'
  | 'ID token'
  | 'authorization code'
  | 'client secret'
  | 'backend credential';

export interface IssuedSecret {
  readonly kind: SecretKind;
  readonly value: string;
}

export interface IssuedSecrets {
  /** Everything recorded so far, each value once, plus the secrets the spec typed itself. */
  all(): readonly IssuedSecret[];
  /** The distinct values of `kind` recorded, in the order they were issued. */
  values(kind: SecretKind): string[];
  /** Stops listening (the provider outlives a test when a spec shares it). */
  stop(): void;
}

/** oidc-provider is an EventEmitter; tests/support/oidc-provider.d.ts types its error events only. */
interface ProviderEmitter {
  on(event: string, listener: (subject: unknown) => void): unknown;
  off(event: string, listener: (subject: unknown) => void): unknown;
}

const TOKEN_EVENTS: Readonly<Record<string, SecretKind>> = {
  'access_token.saved': 'access token',
  'refresh_token.saved': 'refresh token',
  'authorization_code.saved': 'authorization code',
};

const RESPONSE_FIELDS: Readonly<Record<string, SecretKind>> = {
  access_token: 'access token',
  refresh_token: 'refresh token',
  id_token: 'ID token',
};

const field = (subject: unknown, name: string): unknown =>
  typeof subject === 'object' && subject !== null
    ? (subject as Record<string, unknown>)[name]
    : undefined;

export const recordIssuedSecrets = (
  oidc: OidcServer,
  typed: Readonly<Partial<Record<SecretKind, string>>> = {},
): IssuedSecrets => {
  const recorded = new Map<string, SecretKind>();
  const add = (kind: SecretKind, value: unknown) => {
    if (typeof value === 'string' && value.length > 0) recorded.set(value, kind);
  };
  for (const [kind, value] of Object.entries(typed)) add(kind as SecretKind, value);

  const emitter = oidc.provider as unknown as ProviderEmitter;
  const listeners: Array<[string, (subject: unknown) => void]> = [];
  for (const [event, kind] of Object.entries(TOKEN_EVENTS))
    listeners.push([event, (token) => add(kind, field(token, 'jti'))]);
  listeners.push([
    'grant.success',
    (ctx) => {
      const body = field(ctx, 'body');
      for (const [name, kind] of Object.entries(RESPONSE_FIELDS)) add(kind, field(body, name));
    },
  ]);
  for (const [event, listener] of listeners) emitter.on(event, listener);

  return {
    all: () => [...recorded].map(([value, kind]) => ({ kind, value })),
    values: (kind) => [...recorded].filter(([, k]) => k === kind).map(([value]) => value),
    stop: () => {
      for (const [event, listener] of listeners) emitter.off(event, listener);
    },
  };
};
