/**
 * The one error shape every failure reaching the renderer has, and the table of every
 * group/code the app can produce. The shape comes from the token-exchange API Tokendesk grew
 * from, so scripts written against that API keep working.
 */

export interface ValidationDetail {
  /** Dotted path of the offending field, e.g. `endpoints.token`. Empty for the body itself. */
  readonly field: string;
  /**
   * The rule that failed: `required`, `type`, `max`, `min`, `pattern`, `url`, `enum`, `unknown`,
   * `rule`, `unique`, `exists`, `system-browser`, `json` or `secret` (docs/ERRORS.md says what
   * each means).
   */
  readonly expression: string;
  /** The rule's parameter (a limit, the expected type, the allowed values). */
  readonly argument?: unknown;
  /** What was sent, shortened; never shown for secret fields. */
  readonly originalValue?: unknown;
  readonly reason: string;
}

export interface ApiError {
  readonly group: string;
  readonly code: number;
  readonly message: string;
  /** Short technical notes for the "details" view (never secrets). */
  readonly traces?: readonly string[];
  readonly validationDetail?: readonly ValidationDetail[];
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

interface ErrorDefinition {
  readonly group: string;
  readonly code: number;
  /** Used when the failure itself has nothing more specific to say. */
  readonly message: string;
}

const define = <const T extends Record<string, ErrorDefinition>>(table: T): T => table;

/**
 * Every error the API can answer with. docs/ERRORS.md documents each entry, and
 * tests/unit/core/api/error-table.test.ts proves each one can be produced.
 */
export const ERRORS = define({
  invalidField: { group: 'request', code: 0, message: 'Some fields are not valid.' },
  bodyRequired: { group: 'request', code: 1, message: 'This request needs a body.' },

  unsupportedProvider: { group: 'oauth', code: 0, message: 'This provider is not supported.' },
  providerNotConfigured: {
    group: 'oauth',
    code: 1,
    message: 'Add a client ID for this provider before connecting.',
  },
  invalidAuthorizationCode: {
    group: 'oauth',
    code: 2,
    message:
      'The provider rejected the authorization code (expired, already used or for another client).',
  },
  invalidClient: {
    group: 'oauth',
    code: 3,
    message: 'The provider rejected the client credentials: check the client ID and secret.',
  },
  discoveryFailed: {
    group: 'oauth',
    code: 4,
    message: 'The issuer’s OpenID configuration could not be read.',
  },
  providerInUse: {
    group: 'oauth',
    code: 5,
    message: 'Disconnect the accounts of this provider first.',
  },
  exchangeFailed: {
    group: 'oauth',
    code: 1200,
    message: 'The provider did not complete the token exchange.',
  },
  identityFailed: {
    group: 'oauth',
    code: 1201,
    message: 'The provider issued tokens but did not say whose account this is.',
  },
  revocationFailed: {
    group: 'oauth',
    code: 1202,
    message: 'The provider did not confirm the revocation.',
  },
  introspectionFailed: {
    group: 'oauth',
    code: 1203,
    message: 'The provider did not answer the introspection request.',
  },
  introspectionUnavailable: {
    group: 'oauth',
    code: 1204,
    message: 'This provider offers no token introspection (RFC 7662): only it can read the token.',
  },
  clientCertificateInvalid: {
    group: 'oauth',
    code: 1210,
    message:
      'The provider’s client certificate cannot be used: its private key is missing or it has expired.',
  },
  clientCertificateRejected: {
    group: 'oauth',
    code: 1211,
    message:
      'The provider refused the TLS connection: it asks for a client certificate (mTLS) that was not given or that it does not accept.',
  },

  consentDenied: { group: 'consent', code: 0, message: 'Consent was denied at the provider.' },
  consentProviderError: {
    group: 'consent',
    code: 1,
    message: 'The provider returned an error instead of an authorization code.',
  },
  consentStateMismatch: {
    group: 'consent',
    code: 2,
    message:
      'The answer from the provider does not belong to this sign-in (state mismatch); it was ignored.',
  },
  consentIssuerMismatch: {
    group: 'consent',
    code: 3,
    message:
      'The answer came from another authorization server than the one asked (issuer mismatch); it was ignored.',
  },
  consentMalformed: {
    group: 'consent',
    code: 4,
    message: 'The provider redirected back without a code or an error.',
  },
  consentCancelled: { group: 'consent', code: 5, message: 'The sign-in was cancelled.' },
  consentTimedOut: {
    group: 'consent',
    code: 6,
    message: 'The sign-in took too long and was stopped.',
  },
  consentInProgress: {
    group: 'consent',
    code: 7,
    message: 'A sign-in with this provider is already in progress.',
  },
  consentUnavailable: {
    group: 'consent',
    code: 8,
    message: 'The sign-in window or browser could not be opened.',
  },

  deviceCodeExpired: {
    group: 'device',
    code: 0,
    message:
      'The sign-in code expired before the sign-in was finished: connect again for a new code.',
  },
  deviceDenied: {
    group: 'device',
    code: 1,
    message: 'The sign-in with a code was denied.',
  },
  deviceUnsupported: {
    group: 'device',
    code: 2,
    message:
      'This provider offers no sign-in with a code (no device authorization endpoint): choose the embedded window or the system browser.',
  },

  reconnectNeeded: {
    group: 'refresh',
    code: 0,
    message: 'The provider no longer accepts this account’s refresh token: reconnect the account.',
  },
  refreshFailed: {
    group: 'refresh',
    code: 1,
    message: 'The provider could not be reached to refresh the token; it will be retried.',
  },
  noRefreshToken: {
    group: 'refresh',
    code: 2,
    message:
      'The access token has expired and the provider gave no refresh token: reconnect the account.',
  },

  machineTokenRefused: {
    group: 'machine',
    code: 0,
    message:
      'The provider refused to issue a token with the client credentials grant: check what the client may ask for.',
  },
  machineKeyInvalid: {
    group: 'machine',
    code: 1,
    message:
      'The private key for private_key_jwt cannot be used: paste a PKCS#8 PEM private key or a private JWK (RSA, EC P-256 or Ed25519).',
  },

  backendRefused: {
    group: 'backend',
    code: 0,
    message: 'The token backend refused the request Tokendesk sent it.',
  },
  backendCredentialRefused: {
    group: 'backend',
    code: 1,
    message:
      'The token backend refused the backend credential: enter it again in the provider’s settings.',
  },
  backendUnusable: {
    group: 'backend',
    code: 2,
    message: 'The token backend answered with something that is not a token answer.',
  },

  accountNotFound: { group: 'account', code: 0, message: 'No such account.' },
  accountAmbiguous: {
    group: 'account',
    code: 1,
    message: 'More than one account matches: name one of them.',
  },

  storageWriteFailed: { group: 'storage', code: 0, message: 'The change could not be saved.' },
  secretUnreadable: {
    group: 'storage',
    code: 1,
    message: 'A stored secret could not be decrypted on this machine: reconnect the account.',
  },

  commandLineOff: {
    group: 'command',
    code: 0,
    message:
      'Command-line access is off: turn it on in Tokendesk, Settings, "Command line", then run the command again.',
  },
  commandDenied: {
    group: 'command',
    code: 1,
    message: 'The request was denied in Tokendesk.',
  },
  approvalTimedOut: {
    group: 'command',
    code: 2,
    message: 'Nobody answered Tokendesk’s approval prompt in time.',
  },
  commandKeyRejected: {
    group: 'command',
    code: 3,
    message:
      'The key the command presented is not the running Tokendesk’s: only the user who runs the app may ask it for tokens.',
  },
  commandMalformed: {
    group: 'command',
    code: 4,
    message:
      'The app did not understand the request: the command and the app may be of different versions.',
  },
  tokenTooShort: {
    group: 'command',
    code: 5,
    message: 'The provider’s tokens do not stay valid as long as asked (--min-ttl).',
  },
  approvalNotPending: {
    group: 'command',
    code: 6,
    message: 'That approval request has already been answered or has timed out.',
  },

  internal: { group: 'internal', code: 0, message: 'Something went wrong inside Tokendesk.' },
});

export type ErrorName = keyof typeof ERRORS;

export const errorOf = (
  name: ErrorName,
  extra: {
    message?: string;
    traces?: readonly string[];
    validationDetail?: readonly ValidationDetail[];
  } = {},
): ApiError => {
  const def = ERRORS[name];
  return {
    group: def.group,
    code: def.code,
    message: extra.message ?? def.message,
    ...(extra.traces && extra.traces.length > 0 ? { traces: extra.traces } : {}),
    ...(extra.validationDetail ? { validationDetail: extra.validationDetail } : {}),
  };
};

export const isError = (error: ApiError, name: ErrorName): boolean =>
  error.group === ERRORS[name].group && error.code === ERRORS[name].code;

/** What a thrown value says, for a log line or a trace: its message, or the value as text. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);
