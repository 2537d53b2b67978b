/**
 * A bridge like the preload's, answering from test data: every channel of the contract, typed
 * against TokendeskApi, each a vi.fn the test can inspect or replace; events pushed by `emit`.
 *
 * Answers come in the same microtask by default, before React has committed anything. Channels
 * named in `answerLater` answer like a real IPC round trip instead: after a timer, with React
 * rendering in between, so that a test sees what the user would (a dialog closed and its focus
 * given back, then the reloaded list removing the control that took it). `whenQuiet` waits for
 * those answers and what they change.
 */
import { act, getConfig } from '@testing-library/react';
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
  ApprovalRequestView,
  CommandLineView,
  HandOutEntry,
  IntrospectionView,
  ProviderConfigView,
  SettingsView,
  TokenInspection,
} from '../../../../shared/model';
import { PRESETS, findPreset, registeredRedirectUri } from '../../../../shared/providers';
import type { TokendeskBridge } from '../../../../renderer/src/bridge';

type Handler<C extends ChannelName> = (
  input: ChannelInput<C>,
) => Promise<Result<ChannelAnswers[C]>>;

export type FakeApi = { readonly [C in ChannelName]: Mock<Handler<C>> };

export interface FakeBridge extends TokendeskBridge {
  readonly api: TokendeskApi & FakeApi;
  /** Main's command-line state, which the command-line channels read and change. */
  readonly commandLine: FakeCommandLine;
  /** Pushes an event to the page, as main would. */
  emit<E extends EventName>(name: E, payload: EventPayloads[E]): Promise<void>;
  listenerCount(name: EventName): number;
  /**
   * Lets every `answerLater` answer on its way arrive, and those its arrival asked for, with
   * React committing in between as it would in the app (outside act, like waitFor); resolves
   * once nothing is on its way and React has rendered what the last answer changed.
   */
  whenQuiet(): Promise<void>;
}

export interface FakeBridgeOptions {
  /**
   * Channels that answer after a real round trip (`roundTripMs` on a timer) rather than in the
   * same microtask. Also holds for an implementation given later (mockImplementation and the
   * like). `RELOADS` names the channels the window reads again after a change.
   */
  readonly answerLater?: readonly ChannelName[] | 'all';
  /** The round trip, in ms (default 5). */
  readonly roundTripMs?: number;
}

/** The channels the window reads its lists from, again after every change. */
export const RELOADS: readonly ChannelName[] = ['listProviders', 'listAccounts', 'getStatus'];

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
  commandLineAccess: false,
};

/** Main's command-line state at a first start: off, nothing approved, asked or logged. */
export const EMPTY_COMMAND_LINE: CommandLineView = {
  enabled: false,
  approvals: [],
  pending: [],
  log: [],
};

/**
 * Main's command-line state, in memory. The channels answer from it and change it as main would
 * (an approval answered leaves `pending`, an allow adds an approval, a revoke removes one); they
 * push no event, as an answer already carries the view. `change` is main changing it on its own
 * (a command asking, a prompt timing out) and pushes commandLineChanged with the result.
 */
export interface FakeCommandLine {
  readonly view: () => CommandLineView;
  change(update: (view: CommandLineView) => CommandLineView): Promise<void>;
}

export interface FakeData {
  readonly providers?: readonly ProviderConfigView[];
  readonly accounts?: readonly AccountView[];
  readonly status?: AppStatus;
  readonly settings?: SettingsView;
  readonly commandLine?: CommandLineView;
  /** What inspectToken answers, by account ID and token; otherwise: no such token held. */
  readonly inspections?: Readonly<
    Record<string, Partial<Record<TokenInspection['which'], TokenInspection>>>
  >;
  /** What introspectToken answers, by account ID; otherwise: the provider cannot introspect. */
  readonly introspections?: Readonly<Record<string, IntrospectionView>>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export const fakeBridge = (
  data: FakeData = {},
  overrides: { [C in ChannelName]?: Handler<C> } = {},
  { answerLater = [], roundTripMs = 5 }: FakeBridgeOptions = {},
): FakeBridge => {
  const unexpected = (name: string) => () =>
    fail(errorOf('internal', { message: `unexpected call to ${name}` }));
  let commandLine: CommandLineView = data.commandLine ?? EMPTY_COMMAND_LINE;
  const handlers: { [C in ChannelName]: Handler<C> } = {
    listProviders: () => ok({ presets: PRESETS, configured: data.providers ?? [] }),
    saveProvider: unexpected('saveProvider'),
    deleteProvider: unexpected('deleteProvider'),
    connect: unexpected('connect'),
    addMachineAccount: unexpected('addMachineAccount'),
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
    getCommandLine: () => ok(commandLine),
    answerApproval: (input) => {
      const request = commandLine.pending.find((pending) => pending.id === input?.requestId);
      if (!request || !input) return fail(errorOf('approvalNotPending'));
      const pending = commandLine.pending.filter((other) => other !== request);
      if (input.decision === 'deny') {
        commandLine = {
          ...commandLine,
          pending,
          log: [logEntryOf(request, 'denied', Date.now()), ...commandLine.log],
        };
      } else {
        const seconds = input.allowForSeconds ?? null;
        const approval = {
          accountId: request.accountId,
          accountName: request.accountName,
          until: seconds === null ? null : Date.now() + seconds * 1000,
        };
        commandLine = {
          ...commandLine,
          pending,
          approvals: [
            ...commandLine.approvals.filter((other) => other.accountId !== request.accountId),
            approval,
          ],
        };
      }
      return ok(commandLine);
    },
    revokeApproval: (input) => {
      commandLine = {
        ...commandLine,
        approvals: commandLine.approvals.filter((other) => other.accountId !== input?.accountId),
      };
      return ok(commandLine);
    },
    clearCommandLog: () => {
      commandLine = { ...commandLine, log: [] };
      return ok(commandLine);
    },
    inspectToken: (input) => {
      const { accountId = '', which = 'access' } = input ?? {};
      return ok(
        data.inspections?.[accountId]?.[which] ?? {
          accountId,
          which,
          kind: 'absent',
          canIntrospect: false,
        },
      );
    },
    introspectToken: (input) => {
      const answer = data.introspections?.[input?.accountId ?? ''];
      return answer ? ok(answer) : fail(errorOf('introspectionUnavailable'));
    },
    exportProviders: (input) => fakeExport(data.providers ?? [], input?.providerIds),
    importProviders: (input) => fakeImport(data.providers ?? [], input),
    testConnection: unexpected('testConnection'),
    listProxySignIns: () => ok([]),
    answerProxySignIn: () => ok({ answered: true }),
    copyDeviceCode: () => ok({ copied: true }),
    openDevicePage: () => ok({ opened: true }),
    ...overrides,
  };
  // Answers on their way (a delayed channel's), for whenQuiet.
  let inFlight = 0;
  const later =
    <I, R>(handler: (input: I) => Promise<R>) =>
    async (input: I): Promise<R> => {
      inFlight += 1;
      try {
        // Main reads its state when the message arrives, and the answer travels back.
        await sleep(roundTripMs);
        return await handler(input);
      } finally {
        inFlight -= 1;
      }
    };
  const isLate = (name: string) =>
    answerLater === 'all' || (answerLater as readonly string[]).includes(name);
  const mockOf = <I, R>(name: string, handler: (input: I) => Promise<R>) => {
    if (!isLate(name)) return vi.fn(handler);
    const mock = vi.fn(later(handler));
    // Every other way to set an answer (mockResolvedValue, mockReturnValueOnce …) goes
    // through these two: an answer the test gives later still takes the round trip.
    const setImplementation = mock.mockImplementation.bind(mock);
    const setImplementationOnce = mock.mockImplementationOnce.bind(mock);
    mock.mockImplementation = (fn) => setImplementation(later(fn));
    mock.mockImplementationOnce = (fn) => setImplementationOnce(later(fn));
    return mock;
  };
  const api = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      mockOf(name, handler as (input: unknown) => Promise<unknown>),
    ]),
  ) as unknown as TokendeskApi & FakeApi;

  const whenQuiet = async (): Promise<void> => {
    // Every answer comes at once: nothing can be on its way (nor need a timer, which a test may
    // have faked).
    if (answerLater !== 'all' && answerLater.length === 0) return;
    // Testing Library's async wrapper (waitFor's): outside act, React schedules its renders as
    // in the app, so that each answer is committed before the next one arrives.
    await getConfig().asyncWrapper(async () => {
      // Quiet: nothing on its way over two round trips. An answer's follow-up calls (a reload
      // after a save) and React's render of it (a macrotask) start within one.
      for (let quietRounds = 0, rounds = 0; quietRounds < 2; rounds += 1) {
        if (rounds > 200) throw new Error('The fake bridge never went quiet.');
        await sleep(roundTripMs);
        quietRounds = inFlight === 0 ? quietRounds + 1 : 0;
      }
    });
  };

  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const bridge: FakeBridge = {
    api,
    commandLine: {
      view: () => commandLine,
      async change(update) {
        commandLine = update(commandLine);
        await bridge.emit('commandLineChanged', commandLine);
      },
    },
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
    whenQuiet,
  };
  return bridge;
};

/** Main's export: the file's JSON of the providers asked for (every one when none is named). */
const fakeExport = (
  providers: readonly ProviderConfigView[],
  providerIds: readonly string[] | undefined,
): Promise<Result<ChannelAnswers['exportProviders']>> => {
  const chosen = providerIds
    ? providers.filter((provider) => providerIds.includes(provider.id))
    : providers;
  const setups = chosen.map(({ id, presetId, label, clientId, scopes, consentMode, issuer }) => ({
    id,
    presetId,
    label,
    clientId,
    scopes,
    consentMode,
    ...(issuer !== undefined ? { issuer } : {}),
  }));
  return ok({
    json: `${JSON.stringify({ tokendesk: 'providers', version: 1, providers: setups }, null, 2)}\n`,
    count: setups.length,
  });
};

/**
 * Main's import, roughly: text that is not JSON is refused on `text`; an ID of `providers` not
 * named in `replace` is a conflict (nothing imported); otherwise every entry is answered as
 * imported (a view made from its fields). It changes no list: a test reloading providers gives
 * its own answer.
 */
const fakeImport = (
  providers: readonly ProviderConfigView[],
  input: ChannelInput<'importProviders'> | undefined,
): Promise<Result<ChannelAnswers['importProviders']>> => {
  let file: { providers?: Partial<ProviderConfigView>[] };
  try {
    file = JSON.parse(input?.text ?? '') as typeof file;
  } catch {
    return fail(
      errorOf('invalidField', {
        validationDetail: [{ field: 'text', expression: 'json', reason: 'must be JSON' }],
      }),
    );
  }
  const entries = file.providers ?? [];
  const ids = entries.map((entry) => entry.id ?? entry.presetId ?? '');
  const conflicts = ids.filter(
    (id) =>
      providers.some((provider) => provider.id === id) && !(input?.replace ?? []).includes(id),
  );
  if (conflicts.length > 0) return ok({ imported: [], conflicts });
  return ok({ imported: entries.map((entry) => makeProvider(entry)), conflicts: [] });
};

/** The log line main writes for a request answered in the prompt. */
const logEntryOf = (
  request: ApprovalRequestView,
  outcome: HandOutEntry['outcome'],
  at: number,
): HandOutEntry => ({
  at,
  accountId: request.accountId,
  accountName: request.accountName,
  subcommand: request.subcommand,
  commandLine: request.commandLine,
  outcome,
});

export const makeApprovalRequest = (
  overrides: Partial<ApprovalRequestView> = {},
): ApprovalRequestView => ({
  id: 'req_1',
  accountId: 'acct_ana',
  accountName: 'github:octocat',
  subcommand: 'git-credential',
  commandLine: 'tokendesk git-credential get',
  parent: 'git push origin main',
  askedAt: NOW,
  expiresAt: NOW + 60_000,
  ...overrides,
});

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
