/**
 * What the renderer may know about providers and accounts. None of these types has a field for a
 * refresh token or a client secret: the untrusted side cannot receive what it cannot name.
 */
import type { BackendShape, ClientAuthMethod, ConsentMode, PresetId } from './providers';

export type AccountStatus =
  /** Has a token that works or can be refreshed. */
  | 'ok'
  /** The provider refused the refresh token (`invalid_grant`) or there is none: sign in again. */
  | 'reconnect-needed'
  /** The last refresh failed for a reason that may pass (network, 5xx); retried with backoff. */
  | 'error';

export interface AccountView {
  readonly id: string;
  readonly providerId: string;
  readonly presetId: PresetId;
  readonly subject: string;
  /** Email, login or name; what the user recognises the account by. */
  readonly displayName: string;
  readonly email?: string;
  readonly scopes: readonly string[];
  /** Epoch milliseconds; `null` means the token does not expire. */
  readonly expiresAt: number | null;
  readonly obtainedAt: number;
  readonly status: AccountStatus;
  /**
   * False when this session holds no token for the account (kept in memory only before a
   * restart, or written by another keyring): nothing can be copied or refreshed until it is
   * reconnected, and `expiresAt` describes a token that is not there.
   */
  readonly hasToken: boolean;
  readonly canRefresh: boolean;
  readonly refreshing: boolean;
  readonly lastError?: { readonly group: string; readonly code: number; readonly message: string };
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * Set for a machine account: a token of the provider's own client (client credentials grant),
   * re-requested rather than refreshed; `displayName` is "<name> (client <client ID>)".
   */
  readonly machine?: MachineAccountView;
}

/** What a machine account asks for. */
export interface MachineAccountView {
  readonly name: string;
  readonly audience?: string;
  readonly resources: readonly string[];
}

export interface ProviderConfigView {
  readonly id: string;
  readonly presetId: PresetId;
  readonly label: string;
  readonly clientId: string;
  /** Whether a secret is stored; the secret itself is write-only. */
  readonly hasClientSecret: boolean;
  /** For private_key_jwt: whether a private key is stored (write-only like the secret). */
  readonly hasPrivateKey?: boolean;
  /** For private_key_jwt: the key ID (`kid`) its assertions name. */
  readonly keyId?: string;
  readonly scopes: readonly string[];
  readonly consentMode: ConsentMode;
  readonly clientAuth: ClientAuthMethod;
  readonly issuer?: string;
  readonly tenant?: string;
  readonly endpoints?: {
    readonly authorization: string;
    readonly token: string;
    readonly revocation?: string;
    readonly userinfo?: string;
    readonly introspection?: string;
    readonly deviceAuthorization?: string;
  };
  /** The exact redirect URI to register with the provider. */
  readonly redirectUri: string;
  /** Hosts of its own whose APIs take its tokens (`tokendesk token --for`), beside the preset's. */
  readonly apiHosts?: readonly string[];
  /** The client certificate (mTLS) its requests present, described; its private key is write-only. */
  readonly clientCertificate?: ClientCertificateView;
  /**
   * Set when its token exchange goes through a backend that keeps the client secret: codes and
   * refresh tokens go to the backend, never to the provider's token endpoint.
   */
  readonly backend?: BackendView;
}

/** A provider's token backend as the window may know it: never its credential. */
export interface BackendView {
  readonly url: string;
  readonly shape: BackendShape;
  /** The redirect URI the backend's OAuth client registered, used exactly as it is. */
  readonly redirectUri: string;
  /** Whether a backend credential (bearer token) is stored; the credential is write-only. */
  readonly hasCredential: boolean;
}

/** A provider's client certificate as main read it (node:crypto), never its private key. */
export interface ClientCertificateView {
  /** The first certificate's subject and issuer, one `name=value` per line as X509Certificate gives them. */
  readonly subject: string;
  readonly issuer: string;
  /** Epoch milliseconds. */
  readonly validFrom: number;
  readonly validTo: number;
  /** SHA-256 fingerprint, colon-separated hex. */
  readonly fingerprint: string;
  /**
   * Whether this session holds its private key: false after a restart when secrets were kept in
   * memory only (no keyring); the key must then be chosen again before connecting.
   */
  readonly hasPrivateKey: boolean;
}

export type TokenFormat = 'bare' | 'header' | 'curl' | 'json';
export const TOKEN_FORMATS: readonly TokenFormat[] = ['bare', 'header', 'curl', 'json'];

export type ConnectStage =
  | 'starting'
  | 'waiting-for-consent'
  | 'waiting-for-device'
  | 'exchanging'
  | 'identifying'
  | 'done'
  | 'failed';

/**
 * What the user needs to finish a sign-in with a code (RFC 8628): the code to type and where.
 * Never the device code itself, which is the secret the app polls with and stays in main.
 */
export interface DeviceSignIn {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The page with the code already filled in, when the provider offers one. */
  readonly verificationUriComplete?: string;
  /** Epoch ms when the code runs out; the app stops waiting then. */
  readonly expiresAt: number;
}

export interface ConnectProgress {
  readonly providerId: string;
  readonly stage: ConnectStage;
  /** With stage 'waiting-for-device' only. */
  readonly device?: DeviceSignIn;
}

export type RevocationOutcome =
  | { readonly status: 'revoked' }
  | { readonly status: 'unsupported'; readonly message: string }
  | {
      readonly status: 'failed';
      readonly error: { readonly group: string; readonly code: number; readonly message: string };
    };

/** The store file was corrupt at start (did not parse or validate). */
export interface StorageRecovery {
  /** Where the corrupt file was moved, with its bytes intact. */
  readonly movedTo: string;
  readonly reason: string;
  /**
   * The copy the data came back from (the last good one, or one kept before a migration), and
   * when that copy was written; absent when there was none and the app started empty.
   */
  readonly restoredFrom?: { readonly path: string; readonly savedAt: number };
}

/** The store file was not opened for writing: the app shows no data and saves nothing. */
export interface StorageReadOnly {
  /** 'newer-version': a newer Tokendesk wrote it; 'file-error': it could not be read or copied. */
  readonly cause: 'newer-version' | 'file-error';
  readonly file: string;
  /** Which version wrote it, or the system's error. */
  readonly reason: string;
}

export interface AppStatus {
  readonly storage: {
    /** Set when the store file was corrupt at start: moved aside, and restored from a copy if any. */
    readonly recoveredFrom?: StorageRecovery;
    /** Set when the store file was left alone at start and nothing is saved this session. */
    readonly readOnly?: StorageReadOnly;
    /** Set when a change (a rotated token) is held in memory because the disk refused it. */
    readonly unsavedSince?: number;
  };
  readonly secrets: SecretsStatus;
}

/** Where secrets live and what protects them, for the warning banner. */
export interface SecretsStatus {
  /** False when secrets are kept in memory only (they are lost when the app quits). */
  readonly persistent: boolean;
  /** What protects them: 'keychain', 'dpapi', or safeStorage's Linux backend. */
  readonly protection: string;
  /** True when that protection is none in practice (Linux `basic_text`) or unavailable. */
  readonly weak: boolean;
  /** Whether the user chose to store secrets on disk anyway with weak protection. */
  readonly weakStorageOptIn: boolean;
  /**
   * Whether storing on disk with weak protection is possible at all: false when the system
   * cannot encrypt (no keyring and no fallback), where the opt-in would change nothing.
   */
  readonly weakStorageAvailable: boolean;
  /** Set when the stored secrets were written under another protection (keyring changed). */
  readonly previousProtection?: string;
}

/** What the user can change in Settings. */
export interface SettingsView {
  /** Store secrets on disk even when the OS offers no real protection. */
  readonly persistWeakSecrets: boolean;
  /** Clear the clipboard this many seconds after a copy (if unchanged); null = never. */
  readonly clipboardClearSeconds: number | null;
  /** Whether the `tokendesk` command may ask for tokens (off until the user turns it on). */
  readonly commandLineAccess: boolean;
}

/** A request of the `tokendesk` command waiting for the user's answer in the app. */
export interface ApprovalRequestView {
  readonly id: string;
  readonly accountId: string;
  /** `provider:login`. */
  readonly accountName: string;
  readonly subcommand: string;
  /** The `tokendesk` command line that asked, and the one of the process that ran it. */
  readonly commandLine: string;
  readonly parent?: string;
  readonly askedAt: number;
  /** When it is refused unanswered (epoch ms). */
  readonly expiresAt: number;
}

/** The command may have this account's tokens until `until` (null: until Tokendesk quits). */
export interface ApprovalView {
  readonly accountId: string;
  readonly accountName: string;
  readonly until: number | null;
}

export type HandOutOutcome = 'handed-out' | 'denied' | 'timed-out' | 'access-off' | 'failed';

/** One line of the hand-out log: what the command asked for and what it got. Never a token. */
export interface HandOutEntry {
  readonly at: number;
  readonly accountId?: string;
  readonly accountName?: string;
  readonly subcommand: string;
  readonly commandLine: string;
  readonly outcome: HandOutOutcome;
  /** For a failure: its message. */
  readonly detail?: string;
}

/** The command line's state for Settings: access, approvals, prompts, the hand-out log. */
export interface CommandLineView {
  readonly enabled: boolean;
  readonly approvals: readonly ApprovalView[];
  readonly pending: readonly ApprovalRequestView[];
  /** Newest first. */
  readonly log: readonly HandOutEntry[];
}

/**
 * What is inside an account's access token or ID token, decoded in main: the window gets the
 * header and claims, never the token or its signature.
 */
export interface TokenInspection {
  readonly accountId: string;
  readonly which: 'access' | 'id';
  /** `jwt`: decoded below; `opaque`: not a JWT (most access tokens); `absent`: none held. */
  readonly kind: 'jwt' | 'opaque' | 'absent';
  readonly header?: Readonly<Record<string, unknown>>;
  readonly claims?: Readonly<Record<string, unknown>>;
  /** From `iat`, `exp`, `nbf`, epoch milliseconds. */
  readonly issuedAt?: number;
  readonly expiresAt?: number;
  readonly notBefore?: number;
  readonly issuer?: string;
  readonly subject?: string;
  readonly audience?: readonly string[];
  /** From `scope` or `scp`. */
  readonly scopes?: readonly string[];
  /** Why a token that looks like a JWT could not be decoded ("not a JWT: …"). */
  readonly problem?: string;
  /** Whether the provider has an introspection endpoint (RFC 7662) to ask. */
  readonly canIntrospect: boolean;
}

/** The provider's introspection answer (RFC 7662) for an account's access token. */
export interface IntrospectionView {
  readonly accountId: string;
  readonly active: boolean;
  /** The answer's members, without the token. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** A provider setup shared between people: no secret and no account (`exportProviders`). */
export interface ProviderExport {
  /** The file's JSON text. */
  readonly json: string;
  readonly count: number;
}

/** What an import did, or would do. */
export interface ProviderImportResult {
  /** Saved by this import. */
  readonly imported: readonly ProviderConfigView[];
  /**
   * Configuration IDs that exist already and were not named in `replace`: nothing was saved;
   * ask the user, then import again naming those to replace.
   */
  readonly conflicts: readonly string[];
}

/** Where a request failed, as the user can act on it (main/core/http/network-failure.ts). */
export type FailurePlace = 'dns' | 'proxy' | 'tls' | 'connection' | 'time' | 'redirect' | 'size';

/** One step of "Test connection": what was asked of which URL, and how it went. */
export interface ConnectionCheck {
  /** `backend`: the token backend's exchange URL, in place of the token endpoint. */
  readonly step: 'discovery' | 'token-endpoint' | 'backend';
  readonly url: string;
  readonly ok: boolean;
  /** Where it failed: the network (`FailurePlace`), the HTTP answer, or what the answer said. */
  readonly place?: FailurePlace | 'http' | 'metadata';
  /** What happened, in plain words. */
  readonly message: string;
}

export interface ConnectionTest {
  /** Whether every step passed. */
  readonly ok: boolean;
  readonly checks: readonly ConnectionCheck[];
  /**
   * How the app reaches the provider: `direct`, or the proxy the system's settings (or PAC file)
   * chose for it (`PROXY host:port`); absent where that cannot be known (plain Node).
   */
  readonly route?: string;
}

/** The proxy asks for a user name and password (app.on('login')); never stored by the app. */
export interface ProxySignInRequest {
  readonly id: string;
  /** host:port of the proxy. */
  readonly proxy: string;
  readonly realm?: string;
  /** `basic`, `digest`, `ntlm`, `negotiate`. */
  readonly scheme: string;
  /** The last user name and password given for this proxy were refused. */
  readonly refused: boolean;
}
