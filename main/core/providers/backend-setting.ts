/**
 * The "token exchange through a backend" part of a provider save: which backend the saved
 * configuration names, what happens to the backend credential, and the rules that make such a
 * sign-in possible at all. The backend keeps the client secret, so the provider's own client
 * credential is never stored for it (a stored one is removed).
 */
import type { ParsedInput } from '../../../shared/ipc-contract';
import type { BackendView } from '../../../shared/model';
import {
  needsSystemBrowser,
  type BrowserConsentMode,
  type ProviderPreset,
} from '../../../shared/providers';
import { serverOf, systemBrowserCanCatch } from '../../../shared/url-rules';
import type { StoredProviderConfig } from '../storage/store-schema';
import { ConfigRejected } from './config-rejected';

export type StoredBackend = NonNullable<StoredProviderConfig['backend']>;

export interface BackendChange {
  /** The backend the saved configuration names; undefined: direct. */
  readonly backend: StoredBackend | undefined;
  /** A string sets the stored credential, null removes it, undefined keeps it. */
  readonly credential: string | null | undefined;
}

/**
 * Whether a backend change sends the account's codes and refresh tokens somewhere else: to a
 * backend after the provider itself, back to the provider, to another backend server, or with
 * another redirect URI (another OAuth client of the backend's).
 */
export const backendMoved = (
  before: StoredBackend | undefined,
  after: StoredBackend | undefined,
): boolean => {
  if (before === undefined || after === undefined) return before !== after;
  return (
    before.url !== after.url ||
    before.shape !== after.shape ||
    before.redirectUri !== after.redirectUri
  );
};

const rejected = (field: string, expression: string, reason: string): ConfigRejected =>
  new ConfigRejected([{ field, expression, reason }]);

/**
 * The backend a save leaves the configuration with, and its credential. `mode` is the sign-in
 * mode the save leaves it with; `hasStoredCredential` whether a credential is stored now.
 */
export const backendChange = (
  input: ParsedInput<'saveProvider'>,
  existing: StoredProviderConfig | undefined,
  preset: ProviderPreset,
  mode: BrowserConsentMode | 'device-code',
  hasStoredCredential: boolean,
): BackendChange => {
  const typed = input.backend;
  const backend: StoredBackend | undefined =
    typed === undefined
      ? existing?.backend
      : typed === null
        ? undefined
        : { url: typed.url, shape: typed.shape, redirectUri: typed.redirectUri };
  const given = typed === undefined || typed === null ? undefined : typed.credential;

  if (backend === undefined) {
    // Direct again: the credential was the backend's, and no other server may get it.
    return { backend, credential: hasStoredCredential ? null : undefined };
  }
  if (mode === 'device-code') {
    throw rejected(
      'consentMode',
      'rule',
      'sign-in with a code polls the provider’s token endpoint, which only the backend calls: choose the embedded window or the system browser',
    );
  }
  const onThisComputer = systemBrowserCanCatch(backend.redirectUri);
  if (needsSystemBrowser(preset) && !onThisComputer) {
    throw rejected(
      'backend.redirectUri',
      'system-browser',
      `${preset.name} blocks sign-in in embedded windows, and only a redirect to this computer reaches the system browser: register a loopback redirect URI with a port with the backend’s OAuth client, such as http://127.0.0.1:53682/callback`,
    );
  }
  if (mode === 'system-browser' && !onThisComputer) {
    throw rejected(
      'consentMode',
      'system-browser',
      'the backend’s redirect URI is not http://127.0.0.1 or http://localhost with a port: only the embedded window can catch it',
    );
  }
  // The stored credential was given for the backend it was saved with: never sent to another.
  const moved =
    existing?.backend !== undefined && serverOf(existing.backend.url) !== serverOf(backend.url);
  if (moved && given === undefined && hasStoredCredential) {
    throw rejected(
      'backend.credential',
      'required',
      'the stored backend credential belongs to the old backend: enter the new one, or remove it',
    );
  }
  return { backend, credential: given };
};

/** The view of a configuration's backend: never its credential. */
export const backendView = (
  config: StoredProviderConfig,
  hasCredential: boolean,
): { readonly backend?: BackendView } =>
  config.backend === undefined ? {} : { backend: { ...config.backend, hasCredential } };
