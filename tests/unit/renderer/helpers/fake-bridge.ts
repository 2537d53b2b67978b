/**
 * A bridge like the preload's, answering from test data: every channel of the contract, typed
 * against TokendeskApi, each a vi.fn the test can inspect or replace; events pushed by `emit`.
 */
import { act } from '@testing-library/react';
import { vi, type Mock } from 'vitest';
import {
  type ChannelAnswers,
  type ChannelInput,
  type ChannelName,
  type EventName,
  type EventPayloads,
  type TokendeskApi,
} from '../../../../shared/ipc-contract';
import { errorOf, type ApiError, type Result } from '../../../../shared/errors';
import type {
  AccountView,
  AppStatus,
  ProviderConfigView,
  SettingsView,
} from '../../../../shared/model';
import { PRESETS, findPreset, registeredRedirectUri } from '../../../../shared/providers';
import type { TokendeskBridge } from '../../../../renderer/src/bridge';

type Handler<C extends ChannelName> = (
  input: ChannelInput<C>,
) => Promise<Result<ChannelAnswers[C]>>;

export type FakeApi = { readonly [C in ChannelName]: Mock<Handler<C>> };

export interface FakeBridge extends TokendeskBridge {
  readonly api: TokendeskApi & FakeApi;
  /** Pushes an event to the page, as main would. */
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): Promise<void>;
  listenerCount(name: EventName): number;
}

/** Runs `fn` inside act and lets the promise reactions it starts land before the test looks. */
export const actAndSettle = (fn: () => void): Promise<void> =>
  act(async () => {
    fn();
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  });

export const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
export const fail = (error: ApiError): Promise<Result<never>> =>
  Promise.resolve({ ok: false, error });

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
  clipboardClearSeconds: null,
};

export interface FakeData {
  readonly providers?: readonly ProviderConfigView[];
  readonly accounts?: readonly AccountView[];
  readonly status?: AppStatus;
  readonly settings?: SettingsView;
}

export const fakeBridge = (
  data: FakeData = {},
  overrides: { [C in ChannelName]?: Handler<C> } = {},
): FakeBridge => {
  const unexpected = (name: string) => () =>
    fail(errorOf('internal', { message: `unexpected call to ${name}` }));
  const handlers: { [C in ChannelName]: Handler<C> } = {
    listProviders: () => ok({ presets: PRESETS, configured: data.providers ?? [] }),
    saveProvider: unexpected('saveProvider'),
    deleteProvider: unexpected('deleteProvider'),
    connect: unexpected('connect'),
    cancelConnect: () => ok({ cancelled: true }),
    listAccounts: () => ok(data.accounts ?? []),
    refreshAccount: unexpected('refreshAccount'),
    copyToken: unexpected('copyToken'),
    copyRedirectUri: (input) => {
      const preset = findPreset(input?.presetId ?? '')!;
      return ok({ redirectUri: registeredRedirectUri(preset, input?.id ?? preset.id) });
    },
    disconnect: unexpected('disconnect'),
    exchange: unexpected('exchange'),
    getStatus: () => ok(data.status ?? SECURE_STATUS),
    getSettings: () => ok(data.settings ?? DEFAULT_SETTINGS),
    saveSettings: unexpected('saveSettings'),
    ...overrides,
  };
  const api = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [name, vi.fn(handler)]),
  ) as unknown as TokendeskApi & FakeApi;

  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  return {
    api,
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener);
      listeners.set(name, set);
      return () => set.delete(listener);
    },
    async emit(name, payload) {
      await act(async () => {
        for (const listener of listeners.get(name) ?? [])
          (listener as (p: typeof payload) => void)(payload);
        await Promise.resolve();
      });
    },
    listenerCount: (name) => listeners.get(name)?.size ?? 0,
  };
};

export const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);

export const makeAccount = (overrides: Partial<AccountView> = {}): AccountView => ({
  id: 'acct_ana',
  providerId: 'oidc',
  presetId: 'oidc',
  subject: 'sub-ana',
  displayName: 'ana@example.test',
  email: 'ana@example.test',
  scopes: ['openid', 'email'],
  expiresAt: NOW + 3_600_000,
  obtainedAt: NOW,
  status: 'ok',
  hasToken: true,
  canRefresh: true,
  refreshing: false,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

export const makeProvider = (overrides: Partial<ProviderConfigView> = {}): ProviderConfigView => {
  const presetId = overrides.presetId ?? 'oidc';
  const id = overrides.id ?? presetId;
  return {
    id,
    presetId,
    label: 'Local IdP',
    clientId: 'tokendesk-test',
    hasClientSecret: false,
    scopes: ['openid', 'profile'],
    consentMode: 'embedded',
    clientAuth: 'none',
    issuer: 'http://127.0.0.1:4000',
    redirectUri: registeredRedirectUri(findPreset(presetId)!, id),
    ...overrides,
  };
};
