/**
 * oidc-provider ships no type declarations and @types/oidc-provider lags behind version 9, so the
 * test harness declares the small part of its API it uses. Only tests/support imports it.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { JsonWebKey } from 'node:crypto';

  /** The parts of oidc-provider's per-request context (ctx.oidc) the harness reads. */
  export interface OidcContextView {
    readonly route?: string;
    readonly body?: Readonly<Record<string, string | readonly string[] | undefined>>;
    readonly params?: Readonly<Record<string, unknown>>;
  }

  /** The parts of the Koa context the harness reads. */
  export interface ProviderContext {
    readonly path: string;
    readonly method: string;
    readonly status: number;
    readonly oidc?: OidcContextView;
    /** The answer's body once the provider has set it (the device answer gets an `interval`). */
    body?: unknown;
  }

  export type ProviderMiddleware = (
    ctx: ProviderContext,
    next: () => Promise<void>,
  ) => Promise<void>;

  /** What oidc-provider passes to its *.error events. */
  export interface ProviderError extends Error {
    readonly error?: string;
    readonly error_description?: string;
    readonly status?: number;
  }

  export interface StoredToken {
    readonly isValid: boolean;
    readonly grantId?: string;
    readonly clientId?: string;
    readonly accountId?: string;
    readonly scope?: string;
  }

  export interface StoredGrant {
    readonly isValid: boolean;
  }

  export interface ModelFinder<T> {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<T | undefined>;
  }

  export interface ClientMetadata {
    readonly client_id: string;
    readonly client_secret?: string;
    readonly redirect_uris: readonly string[];
    readonly application_type?: 'native' | 'web';
    readonly token_endpoint_auth_method?: string;
    readonly grant_types?: readonly string[];
    readonly response_types?: readonly string[];
  }

  export interface ClientView {
    readonly clientId: string;
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface RefreshTokenSource {
    readonly scopes: ReadonlySet<string>;
  }

  export interface Account {
    readonly accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Configuration {
    readonly clients?: readonly ClientMetadata[];
    readonly jwks?: { readonly keys: readonly JsonWebKey[] };
    readonly features?: Readonly<
      Record<string, { readonly enabled: boolean } & Readonly<Record<string, unknown>>>
    >;
    readonly pkce?: { readonly required: (ctx: unknown, client: ClientView) => boolean };
    readonly scopes?: readonly string[];
    readonly claims?: Readonly<Record<string, readonly string[]>>;
    readonly findAccount?: (
      ctx: unknown,
      id: string,
    ) => Promise<Account | undefined> | Account | undefined;
    readonly issueRefreshToken?: (
      ctx: unknown,
      client: ClientView,
      code: RefreshTokenSource,
    ) => Promise<boolean> | boolean;
    readonly rotateRefreshToken?: (ctx: unknown) => Promise<boolean> | boolean;
    readonly ttl?: Readonly<Record<string, number | ((...args: readonly unknown[]) => number)>>;
    readonly cookies?: {
      readonly keys?: readonly string[];
      readonly names?: {
        readonly session?: string;
        readonly interaction?: string;
        readonly resume?: string;
      };
    };
    readonly routes?: Readonly<Record<string, string>>;
  }

  export type ProviderEvent =
    | 'grant.error'
    | 'server_error'
    | 'authorization.error'
    | 'revocation.error'
    | 'userinfo.error'
    | 'introspection.error'
    | 'interaction.error'
    | 'end_session.error';

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly AccessToken: ModelFinder<StoredToken>;
    readonly RefreshToken: ModelFinder<StoredToken>;
    readonly Grant: ModelFinder<StoredGrant>;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: ProviderMiddleware): this;
    on(event: ProviderEvent, listener: (ctx: ProviderContext, error: ProviderError) => void): this;
  }

  export default Provider;
}
