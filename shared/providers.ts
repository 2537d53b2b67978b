/**
 * Providers as data. Everything the core needs to talk to a provider that is not the user's own
 * client registration lives here, so adding a provider is adding a record, not code.
 * Facts behind each preset: docs/PROVIDERS.md.
 */

export type PresetId = 'google' | 'github' | 'microsoft' | 'gitlab' | 'oidc' | 'oauth2';

/**
 * How the client proves itself at the token endpoint. `private_key_jwt` (RFC 7523) signs an
 * assertion with the client's private key, which is kept like a client secret.
 */
export type ClientAuthMethod =
  'none' | 'client_secret_post' | 'client_secret_basic' | 'private_key_jwt';

/** The methods a user may choose for a client with a credential of its own. */
export const CONFIDENTIAL_CLIENT_AUTH = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
] as const;
export type ConfidentialClientAuth = (typeof CONFIDENTIAL_CLIENT_AUTH)[number];

/**
 * How the user signs in. Embedded: a consent window inside the app. System browser: the user's
 * browser + loopback. Device code: the device authorization grant (RFC 8628), the user types a
 * code the app shows on a page of the provider's, on any device; no redirect at all.
 */
export type ConsentMode = 'embedded' | 'system-browser' | 'device-code';

/** The modes that open a consent page and wait for its redirect (the consent port's). */
export type BrowserConsentMode = Exclude<ConsentMode, 'device-code'>;

/** Where the account's stable subject and display name come from. */
export type IdentitySource =
  | { readonly kind: 'id-token' }
  | { readonly kind: 'userinfo' }
  | { readonly kind: 'github-user'; readonly url: string }
  | { readonly kind: 'none' };

export type RevocationMethod =
  | { readonly kind: 'rfc7009' }
  | { readonly kind: 'github-api'; readonly apiBase: string }
  | { readonly kind: 'none' };

export interface Endpoints {
  readonly authorization: string;
  readonly token: string;
  readonly revocation?: string;
  readonly userinfo?: string;
  /** RFC 7662's introspection endpoint: only token inspection (Inspect) sends a token there. */
  readonly introspection?: string;
  /** RFC 8628's device authorization endpoint: sign-in with a code ('device-code' mode). */
  readonly deviceAuthorization?: string;
}

/**
 * How a backend that keeps the client secret exchanges codes and refreshes tokens for the app
 * (a provider's "token exchange through a backend"):
 * - `google-style`: `POST {url}/auth/google/exchange` with `{ code }` and
 *   `POST {url}/auth/google/refresh` with `{ refresh_token }`, answering
 *   `{ success, token, refreshToken, expiresAt }`;
 * - `github-style`: `POST {url}/oauth/token` with `{ provider: "github", code }`, answering
 *   `{ accessToken }`, errors as `{ group, code, message, validationDetail }`; no refresh;
 * - `standard`: `POST {url}` itself, an RFC 6749 token request without the client secret
 *   (the backend adds it and forwards it to the provider), answering the provider's token answer.
 */
export type BackendShape = 'google-style' | 'github-style' | 'standard';
export const BACKEND_SHAPES: readonly BackendShape[] = ['google-style', 'github-style', 'standard'];

export interface BackendShapeFacts {
  readonly label: string;
  /** The paths under the backend URL that are called; absent: the URL itself. */
  readonly exchangePath?: string;
  readonly refreshPath?: string;
  /** Whether it can pass a PKCE verifier on to the provider (only `standard` has a field for it). */
  readonly takesPkce: boolean;
  /** Whether it refreshes tokens at all. */
  readonly refreshes: boolean;
}

export const BACKEND_SHAPE_FACTS: Readonly<Record<BackendShape, BackendShapeFacts>> = {
  'google-style': {
    label: 'Google-style exchange and refresh',
    exchangePath: '/auth/google/exchange',
    refreshPath: '/auth/google/refresh',
    takesPkce: false,
    refreshes: true,
  },
  'github-style': {
    label: 'GitHub-style /oauth/token',
    exchangePath: '/oauth/token',
    takesPkce: false,
    refreshes: false,
  },
  standard: { label: 'Standard token answer', takesPkce: true, refreshes: true },
};

/** The URL a backend shape calls for `what`, from the backend URL the user typed. */
export const backendCallUrl = (url: string, shape: BackendShape, what: 'exchange' | 'refresh') => {
  const facts = BACKEND_SHAPE_FACTS[shape];
  const path = what === 'exchange' ? facts.exchangePath : (facts.refreshPath ?? facts.exchangePath);
  return path === undefined ? url : `${url.replace(/\/+$/, '')}${path}`;
};

export interface ProviderQuirks {
  /**
   * Sign-in refuses embedded browsers (Google: `disallowed_useragent`), so the system browser is
   * the only consent mode that works; main refuses to save the other.
   */
  readonly blocksEmbeddedSignIn?: boolean;
  /** GitHub answers token errors with HTTP 200 and may answer form-encoded bodies. */
  readonly tokenErrorsWithHttp200?: boolean;
  /** Scopes in token responses are separated by commas instead of spaces (GitHub). */
  readonly commaSeparatedScopes?: boolean;
  /**
   * Entra multi-tenant authorities (common, organizations, consumers) issue ID tokens whose `iss`
   * names the user's own tenant, not the authority asked.
   */
  readonly tenantIndependentIssuer?: boolean;
  /**
   * ID tokens may name the issuer without its scheme: Google documents their `iss` as
   * `https://accounts.google.com` or `accounts.google.com`.
   */
  readonly issuerWithoutScheme?: boolean;
}

export interface ProviderPreset {
  readonly id: PresetId;
  readonly name: string;
  /** `oidc`: ID tokens and nonce; `oauth2`: plain OAuth 2.0. */
  readonly protocol: 'oidc' | 'oauth2';
  /** Discovery issuer; `{tenant}` is replaced by the configuration's tenant. */
  readonly issuer?: string;
  /** Static endpoints, used when there is no discovery (or to skip it). */
  readonly endpoints?: Endpoints;
  /**
   * The product also runs self-managed: a configuration's issuer names the instance, and the
   * endpoints move from the preset's issuer to it (shared/provider-instance.ts).
   */
  readonly selfManaged?: boolean;
  readonly defaultScopes: readonly string[];
  /** Extra authorization request parameters, e.g. what makes the provider issue a refresh token. */
  readonly authorizationParams: Readonly<Record<string, string>>;
  /**
   * Extra parameters of the device authorization request (RFC 8628 §3.1), where the provider needs
   * one there too; most take only `scope` and some refuse any other (Google).
   */
  readonly deviceAuthorizationParams?: Readonly<Record<string, string>>;
  readonly clientAuth: ClientAuthMethod;
  /** Whether the token endpoint needs a client secret even with PKCE. */
  readonly secret: 'required' | 'optional';
  /** A browser mode: no preset signs in with a code unless the user chooses it. */
  readonly defaultConsentMode: BrowserConsentMode;
  /** Host the redirect URI uses; Entra registers `http://localhost` for desktop clients. */
  readonly redirectHost: '127.0.0.1' | 'localhost';
  readonly identity: IdentitySource;
  readonly revocation: RevocationMethod;
  readonly quirks: ProviderQuirks;
  /** An endpoint that answers with the token's owner, used in the curl copy format. */
  readonly exampleApiUrl?: string;
  /**
   * The hosts whose APIs take this provider's tokens: how a request for "a token for this URL"
   * finds its account. `*.` matches any subdomain (not the bare domain).
   */
  readonly apiHosts?: readonly string[];
  /**
   * Its tokens also open APIs of the user's own (Entra: a token for `api://…/.default` is for
   * the API that scope names), so the form offers API hosts beside the preset's.
   */
  readonly ownApis?: true;
  /** How the `tokendesk` command hands this provider's tokens to other tools. */
  readonly commandLine?: {
    /** The variable `tokendesk run` sets, as the provider's own tools read it. */
    readonly envName: string;
    /** The user name git sends with the token as password over HTTPS. */
    readonly gitUsername?: string;
    /** Container registries that take the token (`docker-credential`), `*.` as in apiHosts. */
    readonly registryHosts?: readonly string[];
    /** The user name such a registry wants with the token; the account's login when absent. */
    readonly registryUsername?: string;
  };
  readonly setup: {
    readonly consoleUrl?: string;
    readonly steps: readonly string[];
    /**
     * False where the provider takes any loopback redirect without registration (Google's
     * desktop clients): the form then says there is nothing to enter instead of offering a URI.
     */
    readonly registersRedirectUri?: boolean;
  };
  /** Which configuration fields the user must / may fill in for this preset. */
  readonly needs: {
    readonly issuer: boolean;
    readonly endpoints: boolean;
    readonly tenant: boolean;
  };
}

const noNeeds = { issuer: false, endpoints: false, tenant: false } as const;

export const PRESETS: readonly ProviderPreset[] = [
  {
    id: 'google',
    name: 'Google',
    protocol: 'oidc',
    issuer: 'https://accounts.google.com',
    endpoints: {
      authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      revocation: 'https://oauth2.googleapis.com/revoke',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
      // Only for clients of type "TVs and Limited Input devices" (setup steps below).
      deviceAuthorization: 'https://oauth2.googleapis.com/device/code',
    },
    defaultScopes: ['openid', 'email', 'profile'],
    // Desktop clients get a refresh token anyway (web clients cannot be used at all: they need
    // an exact registered port). `prompt=consent` makes Google ask on every connect, so a
    // reconnect always comes back with a new refresh token; `access_type=offline` costs nothing.
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    clientAuth: 'client_secret_post',
    secret: 'required',
    // Google blocks sign-in inside embedded browsers (disallowed_useragent).
    defaultConsentMode: 'system-browser',
    redirectHost: '127.0.0.1',
    identity: { kind: 'id-token' },
    revocation: { kind: 'rfc7009' },
    quirks: { blocksEmbeddedSignIn: true, issuerWithoutScheme: true },
    exampleApiUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
    apiHosts: ['*.googleapis.com'],
    commandLine: {
      // What Google's client libraries and Terraform's google provider read.
      envName: 'GOOGLE_OAUTH_ACCESS_TOKEN',
      gitUsername: 'oauth2accesstoken',
      // Container Registry and Artifact Registry (LOCATION-docker.pkg.dev).
      registryHosts: ['gcr.io', '*.gcr.io', '*.pkg.dev'],
      registryUsername: 'oauth2accesstoken',
    },
    setup: {
      consoleUrl: 'https://console.cloud.google.com/apis/credentials',
      registersRedirectUri: false,
      steps: [
        'First configure the OAuth consent screen (Google Auth Platform → Branding, Audience), and add yourself under Audience → Test users while the app is in "Testing".',
        'In "Testing", refresh tokens for scopes beyond openid, email and profile stop working after 7 days (invalid_grant): publish the app ("In production") to keep them.',
        'Create credentials → OAuth client ID → Application type "Desktop app" (a "Web application" client cannot be used: it needs an exact registered port).',
        'Desktop clients accept any loopback port: nothing to register as redirect URI.',
        'Copy the client ID and client secret into Tokendesk (Google requires the secret even with PKCE).',
        'To sign in with a code instead, create a client of type "TVs and Limited Input devices" and choose "Device code": Google offers it to no other client type.',
      ],
    },
    needs: noNeeds,
  },
  {
    id: 'github',
    name: 'GitHub',
    protocol: 'oauth2',
    endpoints: {
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      deviceAuthorization: 'https://github.com/login/device/code',
    },
    defaultScopes: ['read:user'],
    // GitHub shows its account picker for every http loopback callback, which Tokendesk's all
    // are; `prompt=select_account` asks for it for any callback, so a second account can still be
    // added should that change (docs/PROVIDERS.md, GitHub).
    authorizationParams: { prompt: 'select_account' },
    clientAuth: 'client_secret_post',
    secret: 'required',
    defaultConsentMode: 'embedded',
    redirectHost: '127.0.0.1',
    identity: { kind: 'github-user', url: 'https://api.github.com/user' },
    revocation: { kind: 'github-api', apiBase: 'https://api.github.com' },
    quirks: { tokenErrorsWithHttp200: true, commaSeparatedScopes: true },
    exampleApiUrl: 'https://api.github.com/user',
    // github.com too: git over HTTPS asks for a credential for that host.
    apiHosts: ['api.github.com', 'github.com'],
    // gh and most GitHub tooling read GITHUB_TOKEN; git over HTTPS takes any user name with a
    // token, and x-access-token is the one GitHub's own docs use.
    commandLine: {
      envName: 'GITHUB_TOKEN',
      gitUsername: 'x-access-token',
      registryHosts: ['ghcr.io'],
    },
    setup: {
      consoleUrl: 'https://github.com/settings/developers',
      steps: [
        'New OAuth App (or GitHub App) → set "Authorization callback URL" to the redirect URI below.',
        'OAuth Apps ignore the port of a loopback callback, so the one URI covers both consent modes. A GitHub App is not documented to: keep the embedded window (its callback has no port) for one.',
        'OAuth App tokens expire only if the app opts in to expiring user tokens; GitHub App user tokens expire (8 hours) unless it opts out. Tokendesk refreshes either.',
        'Generate a client secret and copy it with the client ID into Tokendesk.',
        'To sign in with a code ("Device code"), tick "Enable Device Flow" in the app\'s settings.',
      ],
    },
    needs: noNeeds,
  },
  {
    id: 'microsoft',
    name: 'Microsoft Entra ID',
    protocol: 'oidc',
    issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
    endpoints: {
      authorization: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
      token: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      userinfo: 'https://graph.microsoft.com/oidc/userinfo',
      deviceAuthorization: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode',
    },
    // offline_access is what makes Entra issue a refresh token.
    defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
    authorizationParams: {},
    clientAuth: 'none',
    secret: 'optional',
    defaultConsentMode: 'embedded',
    redirectHost: 'localhost',
    identity: { kind: 'id-token' },
    // Entra has no revocation endpoint for delegated tokens, and no per-app revocation at all:
    // signing out of all sessions revokes the refresh tokens of every app.
    revocation: { kind: 'none' },
    quirks: { tenantIndependentIssuer: true },
    exampleApiUrl: 'https://graph.microsoft.com/v1.0/me',
    apiHosts: ['graph.microsoft.com'],
    ownApis: true,
    commandLine: { envName: 'AZURE_ACCESS_TOKEN' },
    setup: {
      consoleUrl: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps',
      steps: [
        'App registrations → New registration → platform "Mobile and desktop applications".',
        'Add the redirect URI below (Entra ignores the port of http://localhost; the portal refuses http://127.0.0.1 unless the manifest is edited, so Tokendesk uses localhost).',
        'Use the tenant "common", "organizations", "consumers" or your tenant ID.',
        'To sign in with a code ("Device code"), set Authentication → "Allow public client flows" to Yes.',
      ],
    },
    needs: { issuer: false, endpoints: false, tenant: true },
  },
  {
    id: 'gitlab',
    name: 'GitLab',
    protocol: 'oidc',
    issuer: 'https://gitlab.com',
    selfManaged: true,
    endpoints: {
      authorization: 'https://gitlab.com/oauth/authorize',
      token: 'https://gitlab.com/oauth/token',
      revocation: 'https://gitlab.com/oauth/revoke',
      userinfo: 'https://gitlab.com/oauth/userinfo',
    },
    defaultScopes: ['openid', 'profile', 'email', 'read_user'],
    authorizationParams: {},
    clientAuth: 'none',
    secret: 'optional',
    defaultConsentMode: 'embedded',
    redirectHost: '127.0.0.1',
    identity: { kind: 'id-token' },
    revocation: { kind: 'rfc7009' },
    quirks: {},
    exampleApiUrl: 'https://gitlab.com/api/v4/user',
    // gitlab.com itself too: git over HTTPS asks for a credential for that host.
    apiHosts: ['gitlab.com'],
    // glab reads GITLAB_TOKEN; GitLab takes an OAuth token over HTTPS with the user name oauth2.
    commandLine: {
      envName: 'GITLAB_TOKEN',
      gitUsername: 'oauth2',
      registryHosts: ['registry.gitlab.com'],
      registryUsername: 'oauth2',
    },
    setup: {
      consoleUrl: 'https://gitlab.com/-/user_settings/applications',
      steps: [
        'Add new application → untick "Confidential" for a public desktop client.',
        'Enter the redirect URI below and the scopes openid, profile, email, read_user.',
        'A self-managed GitLab: enter its address as Instance URL, and register the application there (User settings → Applications).',
      ],
    },
    needs: noNeeds,
  },
  {
    id: 'oidc',
    name: 'Custom OpenID Connect',
    protocol: 'oidc',
    defaultScopes: ['openid', 'profile', 'email', 'offline_access'],
    // Several servers (oidc-provider among them) issue a refresh token only after explicit consent.
    authorizationParams: { prompt: 'consent' },
    // The same reason in the device grant (oidc-provider drops offline_access without it).
    deviceAuthorizationParams: { prompt: 'consent' },
    clientAuth: 'none',
    secret: 'optional',
    defaultConsentMode: 'embedded',
    redirectHost: '127.0.0.1',
    identity: { kind: 'id-token' },
    revocation: { kind: 'rfc7009' },
    quirks: {},
    setup: {
      steps: [
        'Register a native/public client with PKCE (S256) at your identity provider.',
        'Enter the redirect URI below; loopback redirects should accept any port (RFC 8252 §7.3).',
        'Tokendesk reads the endpoints from the issuer’s /.well-known/openid-configuration.',
      ],
    },
    needs: { issuer: true, endpoints: false, tenant: false },
  },
  {
    id: 'oauth2',
    name: 'Custom OAuth 2.0',
    protocol: 'oauth2',
    defaultScopes: [],
    authorizationParams: {},
    clientAuth: 'client_secret_post',
    secret: 'optional',
    defaultConsentMode: 'embedded',
    redirectHost: '127.0.0.1',
    identity: { kind: 'userinfo' },
    revocation: { kind: 'rfc7009' },
    quirks: {},
    setup: {
      steps: [
        'Register a client at the authorization server and enter the redirect URI below.',
        'Type the authorization and token endpoints; revocation, user-info and introspection endpoints are optional.',
      ],
    },
    needs: { issuer: false, endpoints: true, tenant: false },
  },
];

export const PRESET_IDS = PRESETS.map((p) => p.id);

export const findPreset = (id: string, presets: readonly ProviderPreset[] = PRESETS) =>
  presets.find((p) => p.id === id);

/** Each provider configuration gets its own callback path: the RFC 9700 mix-up defence. */
export const callbackPath = (providerId: string): string => `/callback/${providerId}`;

/**
 * The redirect URI to register with the provider. Loopback redirects match on any port
 * (RFC 8252 §7.3), so the registered form carries none; the app adds the listener's port in
 * system-browser mode.
 */
export const registeredRedirectUri = (
  preset: Pick<ProviderPreset, 'redirectHost'>,
  providerId: string,
): string => `http://${preset.redirectHost}${callbackPath(providerId)}`;

/**
 * Whether "device code" can be offered for a provider before asking it: the preset or the typed
 * endpoints name a device authorization endpoint, or discovery may (an issuer-only custom OpenID
 * Connect provider: its configuration says at connect time, `device/2` when it does not).
 */
export const mayOfferDeviceCode = (
  preset: Pick<ProviderPreset, 'endpoints' | 'needs'>,
  endpoints?: Pick<Endpoints, 'deviceAuthorization'>,
): boolean =>
  (endpoints ?? preset.endpoints)?.deviceAuthorization !== undefined || preset.needs.issuer;

/** Whether the preset's sign-in works only in the system browser. */
export const needsSystemBrowser = (preset: Pick<ProviderPreset, 'quirks'> | undefined): boolean =>
  preset?.quirks.blocksEmbeddedSignIn === true;
