/**
 * The shape of the store file, validated on load. Only non-secret metadata appears in clear;
 * secrets are ciphertext strings from the secret box, under `secrets`.
 */
import { z } from 'zod';
import { clipboardClearSeconds } from '../../../shared/ipc-contract';
import {
  BACKEND_SHAPES,
  PRESET_IDS,
  type BackendShape,
  type PresetId,
} from '../../../shared/providers';

export const SCHEMA_VERSION = 5;

/** Clearing a copied token after 90 s, as password managers do, unless the user chose otherwise. */
export const DEFAULT_CLIPBOARD_CLEAR_SECONDS = 90;

const presetId = z.enum(PRESET_IDS as [PresetId, ...PresetId[]]);

const endpoints = z.object({
  authorization: z.string(),
  token: z.string(),
  revocation: z.string().optional(),
  userinfo: z.string().optional(),
  /** An optional field: no schema step; an older Tokendesk reading it drops it (zod strips it). */
  introspection: z.string().optional(),
  deviceAuthorization: z.string().optional(),
});

export const storedProviderConfig = z.object({
  id: z.string(),
  presetId,
  label: z.string(),
  clientId: z.string(),
  /**
   * Since schema 4 also `private_key_jwt`: the client's private key (PEM or JWK text) is then
   * the secret kept under `client:<id>`, where the others keep the client secret.
   */
  clientAuth: z.enum(['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt']),
  /** The `kid` a private_key_jwt assertion names, when the provider registered the key with one. */
  keyId: z.string().optional(),
  scopes: z.array(z.string()),
  /** The browser sign-in; with `signIn` set, the one an older Tokendesk falls back to. */
  consentMode: z.enum(['embedded', 'system-browser']),
  /**
   * 'device-code': signs in with a code (RFC 8628) instead. A key of its own rather than a third
   * `consentMode`, so that an older Tokendesk reading the file drops it (zod strips unknown keys)
   * and signs in with `consentMode`, instead of finding the file invalid (no schema step). Read
   * through `signInMode`.
   */
  signIn: z.literal('device-code').optional(),
  issuer: z.string().optional(),
  tenant: z.string().optional(),
  endpoints: endpoints.optional(),
  /** Hosts of its own for the command line's `--for` (an optional field: no schema step). */
  apiHosts: z.array(z.string()).optional(),
  /**
   * The client certificate (mTLS) as a PEM chain, in clear: it is public. Its private key is a
   * secret (`secrets`, `client-key:<id>`). An optional field: no schema step, and an older
   * Tokendesk reading a newer file drops it (zod strips it) and keeps working without mTLS.
   */
  clientCertificate: z.string().optional(),
  /**
   * Since schema 5: the token exchange goes through a backend that keeps the client secret. Its
   * credential, if any, is a secret (`secrets`, `backend:<id>`).
   */
  backend: z
    .object({
      url: z.string(),
      shape: z.enum(BACKEND_SHAPES as [BackendShape, ...BackendShape[]]),
      redirectUri: z.string(),
    })
    .optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type StoredProviderConfig = z.infer<typeof storedProviderConfig>;

/** What a machine account asks the token endpoint for (client credentials grant). */
export const machineGrant = z.object({
  name: z.string(),
  scopes: z.array(z.string()),
  audience: z.string().optional(),
  /** RFC 8707 resource indicators, in the order given. */
  resources: z.array(z.string()),
});
export type MachineGrant = z.infer<typeof machineGrant>;
/** How a stored provider signs in: its `consentMode`, unless it signs in with a code. */
export const signInMode = (config: Pick<StoredProviderConfig, 'consentMode' | 'signIn'>) =>
  config.signIn ?? config.consentMode;

const apiErrorSummary = z.object({ group: z.string(), code: z.number(), message: z.string() });

export const storedAccount = z.object({
  id: z.string(),
  providerId: z.string(),
  presetId,
  subject: z.string(),
  displayName: z.string(),
  email: z.string().optional(),
  scopes: z.array(z.string()),
  tokenType: z.string(),
  /** Epoch ms; null = the token does not expire. */
  expiresAt: z.number().nullable(),
  obtainedAt: z.number(),
  hasRefreshToken: z.boolean(),
  status: z.enum(['ok', 'reconnect-needed', 'error']),
  lastError: apiErrorSummary.optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /**
   * Since schema 4: a machine account (client credentials grant) keeps what it asks for, and is
   * re-requested with it instead of refreshed. Absent: a person's account.
   */
  machine: machineGrant.optional(),
});
export type StoredAccount = z.infer<typeof storedAccount>;

export const storedSettings = z.object({
  /**
   * Write secrets to disk even when the secret box gives no real protection (Linux
   * `basic_text`). Off by default: secrets then live in memory for the session only.
   */
  persistWeakSecrets: z.boolean().default(false),
  /**
   * Clear the clipboard this many seconds after a copy if it still holds the token; null = never.
   * Since schema 3 null is always the user's choice (before, it was also the default).
   */
  clipboardClearSeconds: clipboardClearSeconds.default(DEFAULT_CLIPBOARD_CLEAR_SECONDS),
  /**
   * Whether the `tokendesk` command may ask for tokens. Off until the user turns it on. A
   * default rather than a schema step: older files read as off, and an older Tokendesk reading
   * a newer file drops the key (zod strips it) and keeps working.
   */
  commandLineAccess: z.boolean().default(false),
  /** docker registry host → account ID, for docker's credential helper (`tokendesk docker-credential map`). */
  registryAccounts: z.record(z.string(), z.string()).default({}),
});
export type StoredSettings = z.infer<typeof storedSettings>;

export const defaultSettings = (): StoredSettings => ({
  persistWeakSecrets: false,
  clipboardClearSeconds: DEFAULT_CLIPBOARD_CLEAR_SECONDS,
  commandLineAccess: false,
  registryAccounts: {},
});

export const storeDocument = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  providers: z.record(z.string(), storedProviderConfig),
  accounts: z.record(z.string(), storedAccount),
  /**
   * `account:<id>`, `client:<providerId>`, `client-key:<providerId>` and `backend:<providerId>`
   * → ciphertext.
   */
  secrets: z.record(z.string(), z.string()),
  /** What protected the secrets when they were written (e.g. safeStorage's backend). */
  secretProtection: z.string().optional(),
  /** Since schema 2. */
  settings: storedSettings,
  /**
   * The Tokendesk version that last saved the file (since schema 3), so an older one that finds
   * a file it cannot read can say which version wrote it.
   */
  writtenBy: z.string().max(100).optional(),
});
export type StoreDocument = z.infer<typeof storeDocument>;

export const emptyDocument = (): StoreDocument => ({
  schemaVersion: SCHEMA_VERSION,
  providers: {},
  accounts: {},
  secrets: {},
  settings: defaultSettings(),
});

const withClearDefault = (settings: unknown): unknown =>
  typeof settings === 'object' &&
  settings !== null &&
  (settings as { clipboardClearSeconds?: unknown }).clipboardClearSeconds === null
    ? { ...settings, clipboardClearSeconds: DEFAULT_CLIPBOARD_CLEAR_SECONDS }
    : settings;

/**
 * Migrations, one per version step: `MIGRATIONS[n]` turns a version-n document into version n+1.
 * Version 0 is a file without `schemaVersion` (a fresh electron-store file, or one written
 * before versioning): its known top-level keys are kept, the rest left for validation.
 */
export const MIGRATIONS: ReadonlyArray<(doc: Record<string, unknown>) => Record<string, unknown>> =
  [
    (doc) => ({
      ...doc,
      schemaVersion: 1,
      providers: doc.providers ?? {},
      accounts: doc.accounts ?? {},
      secrets: doc.secrets ?? {},
    }),
    // 2: user settings, with the defaults a version-1 user had (nothing stored on weak
    // protection, clipboard never cleared).
    (doc) => ({
      ...doc,
      schemaVersion: 2,
      settings: doc.settings ?? { persistWeakSecrets: false, clipboardClearSeconds: null },
    }),
    // 3: clearing the clipboard is on by default. In a version-2 file null meant both "never
    // chose" (the default then) and "chose never"; the two cannot be told apart, so null becomes
    // the new default: a copied token left on the clipboard for good is the risk the default is
    // for, while a user who had turned clearing off loses at most a copy and can turn it off
    // again (from now on null is only ever a choice). A delay the user set is kept.
    (doc) => ({
      ...doc,
      schemaVersion: 3,
      settings: withClearDefault(doc.settings),
    }),
    // 4: machine accounts and private_key_jwt. Nothing of a version-3 file changes; the step is
    // there so that a Tokendesk that knows neither leaves a file holding them alone (a newer
    // version's file) instead of finding it invalid and moving it aside as corrupt.
    (doc) => ({ ...doc, schemaVersion: 4 }),
    // 5: providers whose token exchange goes through a backend. Nothing of a version-4 file
    // changes. A Tokendesk that does not know backends would drop the key (zod strips it) and
    // send such a provider's codes and refresh tokens to the provider's token endpoint without
    // the secret the backend keeps; with the step it leaves the file alone instead (a newer
    // version's file: read-only, saying which version wrote it).
    (doc) => ({ ...doc, schemaVersion: 5 }),
  ];
