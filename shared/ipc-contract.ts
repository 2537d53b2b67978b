/**
 * The IPC contract: every channel the renderer can call, its input schema and its answer type,
 * and the events main pushes. Main validates with these schemas, the preload exposes exactly
 * these names, the renderer derives its types from here (GitHub Desktop's ipc-shared.ts is the
 * model). Inputs are strict: unknown fields are refused, not ignored.
 */
import { z } from 'zod';
import type {
  AccountView,
  AppStatus,
  CommandLineView,
  ConnectionTest,
  ProxySignInRequest,
  IntrospectionView,
  ProviderExport,
  ProviderImportResult,
  TokenInspection,
  ConnectProgress,
  ProviderConfigView,
  RevocationOutcome,
  SettingsView,
  TokenFormat,
} from './model';
import type { ProviderPreset } from './providers';
import {
  BACKEND_SHAPES,
  CONFIDENTIAL_CLIENT_AUTH,
  PRESET_IDS,
  type BackendShape,
  type PresetId,
} from './providers';
import type { Result } from './errors';
import { MAX_IMPORT_CHARS } from './import-limits';
import {
  backendRedirectUriProblem,
  endpointUrlProblem,
  issuerUrlProblem,
  redirectUriProblem,
  resourceIndicatorProblem,
} from './url-rules';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  ipcChannel,
  ipcEvent,
  type ChannelName,
  type EventName,
} from './ipc-channels';

export { CHANNEL_NAMES, EVENT_NAMES, ipcChannel, ipcEvent, type ChannelName, type EventName };

export const LIMITS = {
  id: 64,
  label: 80,
  clientId: 512,
  clientSecret: 1024,
  scope: 200,
  scopes: 50,
  url: 2048,
  tenant: 100,
  code: 4096,
  codeVerifier: 128,
  clipboardClearSeconds: { min: 5, max: 3600 },
  apiHosts: 20,
  /** A backend's bearer credential (an API key or a JWT). */
  backendCredential: 8192,
  /** A PEM certificate chain (a leaf and its intermediates) and a PEM private key. */
  certificatePem: 65_536,
  privateKeyPem: 16_384,
  /** A PEM or JWK private key (an RSA 4096 one is about 3,300 characters). */
  privateKey: 16384,
  keyId: 200,
  machineName: 80,
  audience: 2048,
  resources: 10,
} as const;

const slug = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');

const accountId = z
  .string()
  .min(1)
  .max(LIMITS.id)
  .regex(/^[A-Za-z0-9_-]+$/, 'an account ID');

/**
 * A URL field checked by one of shared/url-rules.ts's rules. A problem is one `validationDetail`
 * entry with expression `url` and the rule's reason ("must not have a #fragment"); the value is
 * kept exactly as sent.
 */
const urlField = (problemOf: (value: string) => string | undefined) =>
  z
    .string()
    .max(LIMITS.url)
    .superRefine((value, ctx) => {
      const problem = problemOf(value);
      if (problem !== undefined)
        ctx.addIssue({ code: 'custom', message: problem, params: { expression: 'url' } });
    });

const endpointUrl = urlField(endpointUrlProblem);
const issuerUrl = urlField(issuerUrlProblem);
const backendRedirectUri = urlField(backendRedirectUriProblem);

const printable = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    // No whitespace or control characters: they are always a paste mistake in an ID or secret.
    .regex(/^[\x21-\x7e]+$/, 'visible ASCII characters without spaces');

const scope = z
  .string()
  .min(1)
  .max(LIMITS.scope)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token (RFC 6749 §3.3)');

/**
 * A host the command line's `--for` matches to a provider: a DNS name, or `*.` and one (any
 * subdomain), lower case, no port.
 */
const hostPattern = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    'a host name in lower case, or *. and one',
  );

/**
 * PEM text holding at least one `-----BEGIN … <label>-----` block (`PRIVATE KEY` also matches
 * `RSA PRIVATE KEY` and `EC PRIVATE KEY`). Whether it parses, and whether key and certificate
 * belong together, main checks with node:crypto when saving.
 */
const pemBlock = (label: string, max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(new RegExp(`-----BEGIN [A-Z0-9 ]*${label}-----`), `PEM text (-----BEGIN ${label}-----)`);

export const providerIdInput = z.strictObject({ providerId: slug });
export const accountIdInput = z.strictObject({ accountId });

export const saveProviderInput = z
  .strictObject({
    /** Defaults to the preset ID; choose another to configure a preset twice. */
    id: slug.optional(),
    /**
     * `add` refuses an ID already in use (the Add form must never replace a provider), `edit`
     * one that does not exist. Absent: either.
     */
    intent: z.enum(['add', 'edit']).optional(),
    presetId: z.enum(PRESET_IDS as [PresetId, ...PresetId[]]),
    label: z.string().min(1).max(LIMITS.label).optional(),
    clientId: printable(LIMITS.clientId),
    /** A string sets it, `null` removes it, absent keeps the stored one. */
    clientSecret: printable(LIMITS.clientSecret).nullable().optional(),
    /**
     * How the client authenticates when it has a credential of its own. Absent: as stored, or
     * as the preset says (client_secret_basic for a public preset given a secret).
     */
    clientAuth: z.enum(CONFIDENTIAL_CLIENT_AUTH).optional(),
    /**
     * For private_key_jwt: the private key, PKCS#8 PEM or a private JWK. Write-only like the
     * secret: a string sets it, `null` removes it, absent keeps the stored one.
     */
    privateKey: z.string().min(1).max(LIMITS.privateKey).nullable().optional(),
    /** For private_key_jwt: the `kid` the provider registered the key under; `null` removes it. */
    keyId: printable(LIMITS.keyId).nullable().optional(),
    scopes: z.array(scope).max(LIMITS.scopes).optional(),
    consentMode: z.enum(['embedded', 'system-browser', 'device-code']).optional(),
    issuer: issuerUrl.optional(),
    tenant: z
      .string()
      .min(1)
      .max(LIMITS.tenant)
      .regex(/^[A-Za-z0-9.-]+$/, 'a tenant name or ID')
      .optional(),
    endpoints: z
      .strictObject({
        authorization: endpointUrl,
        token: endpointUrl,
        revocation: endpointUrl.optional(),
        userinfo: endpointUrl.optional(),
        introspection: endpointUrl.optional(),
        deviceAuthorization: endpointUrl.optional(),
      })
      .optional(),
    /**
     * The hosts whose APIs take this provider's tokens, beside its preset's: how the command
     * line's `--for <url>` finds the account (a custom provider's own APIs).
     */
    apiHosts: z.array(hostPattern).max(LIMITS.apiHosts).optional(),
    /**
     * The client certificate (mTLS) every request of this provider presents: a PEM chain, leaf
     * first. A string sets it, `null` removes it and its key, absent keeps the stored one.
     */
    clientCertificate: pemBlock('CERTIFICATE', LIMITS.certificatePem).nullable().optional(),
    /** Its private key (PEM, unencrypted): write-only like the client secret; absent keeps it. */
    clientPrivateKey: pemBlock('PRIVATE KEY', LIMITS.privateKeyPem).optional(),
    /**
     * Token exchange through a backend that keeps the client secret (null: direct again; absent:
     * as stored). Such a provider takes no client secret.
     */
    backend: z
      .strictObject({
        /** The backend's base URL (the exchange URL itself for the `standard` shape). */
        url: issuerUrl,
        shape: z.enum(BACKEND_SHAPES as [BackendShape, ...BackendShape[]]),
        /** The redirect URI the backend's OAuth client registered with the provider. */
        redirectUri: backendRedirectUri,
        /**
         * A bearer token the backend wants from the user: write-only like the client secret; a
         * string sets it, null removes it, absent keeps the stored one.
         */
        credential: printable(LIMITS.backendCredential).nullable().optional(),
      })
      .nullable()
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (value.presetId === 'oidc' && value.issuer === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: 'required for a custom OpenID Connect provider',
      });
    }
    if (value.presetId === 'oauth2' && value.endpoints === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoints'],
        message: 'required for a custom OAuth 2.0 provider',
      });
    }
    // Through a backend the backend holds the client's credential, and the provider's token
    // endpoint (which a code sign-in polls) is only the backend's to call.
    if (value.backend) {
      const through = 'a provider whose token exchange goes through a backend';
      if (typeof value.clientSecret === 'string')
        ctx.addIssue({
          code: 'custom',
          path: ['clientSecret'],
          message: `${through} takes no client secret: the backend keeps it`,
        });
      if (value.clientAuth !== undefined || typeof value.privateKey === 'string')
        ctx.addIssue({
          code: 'custom',
          path: [value.clientAuth !== undefined ? 'clientAuth' : 'privateKey'],
          message: `${through} does not authenticate to the provider: the backend does`,
        });
      if (value.consentMode === 'device-code')
        ctx.addIssue({
          code: 'custom',
          path: ['consentMode'],
          message: `sign-in with a code polls the provider's token endpoint, which only the backend calls: choose the embedded window or the system browser`,
        });
    }
  });

/**
 * A machine account: a token of the provider's own client, by the client credentials grant,
 * asking for these scopes, this `audience` and these RFC 8707 `resource` indicators.
 */
export const addMachineAccountInput = z.strictObject({
  providerId: slug,
  /** What the user calls it; shown as "<name> (client <client ID>)". */
  name: z
    .string()
    .min(1)
    .max(LIMITS.machineName)
    .regex(/^(?=.*\S)\P{Cc}+$/u, 'text without control characters, not only spaces'),
  scopes: z.array(scope).max(LIMITS.scopes).optional(),
  audience: printable(LIMITS.audience).optional(),
  resources: z.array(urlField(resourceIndicatorProblem)).max(LIMITS.resources).optional(),
});

export const copyTokenInput = z.strictObject({
  accountId,
  format: z.enum(['bare', 'header', 'curl', 'json']),
});

export const exchangeInput = z.strictObject({
  provider: slug,
  code: printable(LIMITS.code),
  /** The redirect URI the code was issued for; defaults to the provider's registered one. */
  redirectUri: urlField(redirectUriProblem).optional(),
  /** The PKCE verifier used when the code was requested, if any (RFC 7636: 43–128 chars). */
  codeVerifier: z
    .string()
    .min(43)
    .max(LIMITS.codeVerifier)
    .regex(/^[A-Za-z0-9._~-]+$/, 'RFC 7636 unreserved characters')
    .optional(),
});

/** Seconds after a copy to clear the clipboard (if it still holds the token); null = never. */
export const clipboardClearSeconds = z
  .number()
  .int()
  .min(LIMITS.clipboardClearSeconds.min)
  .max(LIMITS.clipboardClearSeconds.max)
  .nullable();

export const saveSettingsInput = z.strictObject({
  persistWeakSecrets: z.boolean().optional(),
  clipboardClearSeconds: clipboardClearSeconds.optional(),
  commandLineAccess: z.boolean().optional(),
});

/** The longest an approval of the command may be given for: a week. */
export const MAX_APPROVAL_SECONDS = 7 * 24 * 3600;

export const answerApprovalInput = z.strictObject({
  requestId: z.string().min(1).max(LIMITS.id),
  decision: z.enum(['allow', 'deny']),
  /** How long an allow holds; null: until Tokendesk quits. Ignored for deny. */
  allowForSeconds: z.number().int().min(60).max(MAX_APPROVAL_SECONDS).nullable().optional(),
});

/** Which redirect URI to copy: the preset's, for the configuration ID chosen (default: the preset ID). */
export const copyRedirectUriInput = z.strictObject({
  presetId: z.enum(PRESET_IDS as [PresetId, ...PresetId[]]),
  id: slug.optional(),
});

export const inspectTokenInput = z.strictObject({
  accountId,
  which: z.enum(['access', 'id']),
});

export { MAX_IMPORT_CHARS };

export const exportProvidersInput = z.strictObject({
  /** Absent: every configured provider. */
  providerIds: z.array(slug).max(200).optional(),
});

export const importProvidersInput = z.strictObject({
  /** The file's text, or pasted text. */
  text: z.string().min(1).max(MAX_IMPORT_CHARS),
  /** Existing configuration IDs the user agreed to replace (under the usual move rules). */
  replace: z.array(slug).max(200).optional(),
});

/** The user's answer to the proxy's sign-in prompt; no credentials: Cancel. */
export const answerProxySignInInput = z.strictObject({
  id: z.string().min(1).max(LIMITS.id),
  credentials: z
    .strictObject({
      username: z.string().min(1).max(256),
      password: z.string().max(1024),
    })
    .optional(),
});

export const noInput = z.strictObject({}).optional();

export interface ProvidersListing {
  readonly presets: readonly ProviderPreset[];
  readonly configured: readonly ProviderConfigView[];
}

export interface ConnectResult {
  readonly account: AccountView;
  /** False when this person was already connected and the account was updated. */
  readonly created: boolean;
}

export interface CopyResult {
  readonly format: TokenFormat;
  readonly accountId: string;
  readonly expiresAt: number | null;
  /** Whether the clipboard will be cleared, and when (epoch ms). */
  readonly clearsAt?: number;
}

export interface DisconnectResult {
  readonly accountId: string;
  readonly revocation: RevocationOutcome;
}

/** The answer of the token-exchange API the project grew from (without the refresh token). */
export interface ExchangeResult {
  readonly success: true;
  readonly token: string;
  readonly expiresAt: number | null;
  readonly accountId: string;
}

/** Every channel: name → [input schema, answer]. */
export const CHANNELS = {
  listProviders: noInput,
  saveProvider: saveProviderInput,
  deleteProvider: providerIdInput,
  connect: providerIdInput,
  cancelConnect: providerIdInput,
  listAccounts: noInput,
  refreshAccount: accountIdInput,
  copyToken: copyTokenInput,
  copyRedirectUri: copyRedirectUriInput,
  disconnect: accountIdInput,
  exchange: exchangeInput,
  getStatus: noInput,
  getSettings: noInput,
  saveSettings: saveSettingsInput,
  getCommandLine: noInput,
  answerApproval: answerApprovalInput,
  revokeApproval: accountIdInput,
  clearCommandLog: noInput,
  inspectToken: inspectTokenInput,
  introspectToken: accountIdInput,
  exportProviders: exportProvidersInput,
  importProviders: importProvidersInput,
  testConnection: saveProviderInput,
  listProxySignIns: noInput,
  answerProxySignIn: answerProxySignInInput,
  addMachineAccount: addMachineAccountInput,
  copyDeviceCode: providerIdInput,
  openDevicePage: providerIdInput,
} as const satisfies Record<ChannelName, z.ZodType>;

// Every schema has a name in CHANNEL_NAMES (the `satisfies` above holds the converse).
type ChannelsWithoutName = Exclude<keyof typeof CHANNELS, ChannelName>;
const everySchemaIsNamed: [ChannelsWithoutName] extends [never] ? true : ChannelsWithoutName = true;
void everySchemaIsNamed;

export interface ChannelAnswers {
  listProviders: ProvidersListing;
  saveProvider: ProviderConfigView;
  deleteProvider: { readonly providerId: string; readonly deleted: true };
  connect: ConnectResult;
  cancelConnect: { readonly cancelled: boolean };
  listAccounts: readonly AccountView[];
  refreshAccount: AccountView;
  copyToken: CopyResult;
  copyRedirectUri: { readonly redirectUri: string };
  disconnect: DisconnectResult;
  exchange: ExchangeResult;
  getStatus: AppStatus;
  getSettings: SettingsView;
  saveSettings: SettingsView;
  getCommandLine: CommandLineView;
  answerApproval: CommandLineView;
  revokeApproval: CommandLineView;
  clearCommandLog: CommandLineView;
  inspectToken: TokenInspection;
  introspectToken: IntrospectionView;
  exportProviders: ProviderExport;
  importProviders: ProviderImportResult;
  testConnection: ConnectionTest;
  listProxySignIns: readonly ProxySignInRequest[];
  answerProxySignIn: { readonly answered: boolean };
  addMachineAccount: ConnectResult;
  /** False when no sign-in with a code waits at that provider. */
  copyDeviceCode: { readonly copied: boolean };
  /** False when none waits, or its page could not be opened. */
  openDevicePage: { readonly opened: boolean };
}

export type ChannelInput<C extends ChannelName> = z.input<(typeof CHANNELS)[C]>;
export type ParsedInput<C extends ChannelName> = z.output<(typeof CHANNELS)[C]>;

/**
 * The API surface: one async function per channel, answering a result union because an
 * exception thrown across `ipcMain.handle` loses its structure.
 */
export type TokendeskApi = {
  readonly [C in ChannelName]: (input?: ChannelInput<C>) => Promise<Result<ChannelAnswers[C]>>;
};

/** Events main pushes to the renderer, by name (shared/ipc-channels.ts lists the names). */
export interface EventPayloads extends Record<EventName, unknown> {
  accountsChanged: readonly AccountView[];
  connectProgress: ConnectProgress;
  commandLineChanged: CommandLineView;
  /** The proxy sign-in prompts open now (empty when none is). */
  proxySignIn: readonly ProxySignInRequest[];
}

/**
 * What the preload exposes as `window.tokendesk` (main/preload/index.ts builds it, the renderer
 * uses it through renderer/src/bridge.ts): the API and the events, nothing else.
 */
export interface TokendeskBridge {
  readonly api: TokendeskApi;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void;
}
