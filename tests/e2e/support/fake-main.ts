/**
 * A stand-in for main for the page-level specs (the built renderer in Chromium, through
 * renderer-host.ts): every channel answers as main would with nothing configured — reads with an
 * empty, secure state, changes with `internal` — unless the spec gives its own, and events are
 * pushed with `emit`, as the core pushes them. A channel added to the contract needs an answer
 * here once, not in every spec.
 */
import { errorOf } from '../../../shared/errors';
import type {
  ChannelAnswers,
  EventName,
  EventPayloads,
  TokendeskApi,
} from '../../../shared/ipc-contract';
import type { AppStatus, ProviderConfigView, SettingsView } from '../../../shared/model';
import { PRESETS, registeredRedirectUri } from '../../../shared/providers';
import type { EventSource } from './renderer-host';

export type FakeApi = { [C in keyof ChannelAnswers]: TokendeskApi[C] };

export const answer = <T>(value: T) => Promise.resolve({ ok: true as const, value });
export const unsupported = () =>
  Promise.resolve({ ok: false as const, error: errorOf('internal') });

/** Secrets in the keychain, nothing recovered or read-only: no banner. */
export const SECURE_STATUS: AppStatus = {
  storage: {},
  secrets: {
    persistent: true,
    protection: 'keychain',
    weak: false,
    weakStorageOptIn: false,
    weakStorageAvailable: true,
  },
};

export const DEFAULT_SETTINGS: SettingsView = {
  persistWeakSecrets: false,
  clipboardClearSeconds: 90,
  commandLineAccess: false,
};

/** A configured GitHub provider as main lists it (its preset's defaults), with `changes`. */
export const githubProvider = (changes: Partial<ProviderConfigView> = {}): ProviderConfigView => {
  const github = PRESETS.find((preset) => preset.id === 'github')!;
  return {
    id: 'github',
    presetId: 'github',
    label: 'GitHub',
    clientId: 'Iv1.client',
    hasClientSecret: true,
    scopes: [...github.defaultScopes],
    consentMode: github.defaultConsentMode,
    clientAuth: github.clientAuth,
    redirectUri: registeredRedirectUri(github, 'github'),
    ...changes,
  };
};

const defaults = (): FakeApi => ({
  listProviders: () => answer({ presets: PRESETS, configured: [] }),
  saveProvider: unsupported,
  deleteProvider: unsupported,
  connect: unsupported,
  cancelConnect: () => answer({ cancelled: false }),
  listAccounts: () => answer([]),
  refreshAccount: unsupported,
  copyToken: unsupported,
  copyRedirectUri: unsupported,
  disconnect: unsupported,
  exchange: unsupported,
  getStatus: () => answer(SECURE_STATUS),
  getSettings: () => answer(DEFAULT_SETTINGS),
  saveSettings: unsupported,
  getCommandLine: () => answer({ enabled: false, approvals: [], pending: [], log: [] }),
  answerApproval: unsupported,
  revokeApproval: unsupported,
  clearCommandLog: unsupported,
  inspectToken: unsupported,
  introspectToken: unsupported,
  exportProviders: unsupported,
  importProviders: unsupported,
  testConnection: unsupported,
  listProxySignIns: () => answer([]),
  answerProxySignIn: unsupported,
  addMachineAccount: unsupported,
  copyDeviceCode: () => answer({ copied: false }),
  openDevicePage: () => answer({ opened: false }),
});

export interface FakeMain {
  readonly api: FakeApi;
  readonly events: EventSource;
  readonly emit: <E extends EventName>(name: E, payload: EventPayloads[E]) => void;
}

/** Main with `channels` answered by the spec; `emit` reaches the page's listeners. */
export const fakeMain = (
  channels: (emit: FakeMain['emit']) => Partial<FakeApi> = () => ({}),
): FakeMain => {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const events: EventSource = {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
  };
  const emit = <E extends EventName>(name: E, payload: EventPayloads[E]) => {
    for (const listener of listeners.get(name) ?? [])
      (listener as (p: EventPayloads[E]) => void)(payload);
  };
  return { api: { ...defaults(), ...channels(emit) }, events, emit };
};
