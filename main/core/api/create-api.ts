/**
 * The API object: one async function per IPC channel declared in shared/ipc-contract.ts. Each
 * validates its input, calls one core service, and answers a result union whose error side always has
 * the `{ group, code, message, traces?, validationDetail? }` shape. No answer carries a refresh
 * token or a client secret: the view types have no field for them.
 */
import {
  CHANNELS,
  type ChannelAnswers,
  type ChannelName,
  type ParsedInput,
  type TokendeskApi,
} from '../../../shared/ipc-contract';
import { errorOf, type ApiError, type Result } from '../../../shared/errors';
import type { Core } from '../core';
import { CoreFailure } from '../core-failure';
import { ConfigRejected } from '../providers/provider-directory';
import { readSetupFile, setupFileText } from './provider-setup-file';
import { parseInput } from './validation';

type Handlers = { [C in ChannelName]: (input: ParsedInput<C>) => Promise<ChannelAnswers[C]> };

const toApiError = (error: unknown, core: Core): ApiError => {
  if (error instanceof CoreFailure) return error.toApiError();
  if (error instanceof ConfigRejected)
    return errorOf('invalidField', { validationDetail: error.detail });
  // Unexpected: the message may carry anything, so the renderer gets the generic text only.
  core.logger.error('unexpected failure', {
    name: error instanceof Error ? error.name : typeof error,
  });
  return errorOf('internal');
};

/** One core service call per channel; the answer shaped for the contract. */
const handlers = (core: Core): Handlers => ({
  listProviders: () => Promise.resolve(core.providers.listing()),

  saveProvider: (input) => core.providers.save(input),

  deleteProvider: ({ providerId }) => {
    core.providers.delete(providerId);
    return Promise.resolve({ providerId, deleted: true as const });
  },

  connect: ({ providerId }) => core.accounts.connect(providerId),

  addMachineAccount: (input) => core.accounts.addMachineAccount(input),

  cancelConnect: ({ providerId }) =>
    Promise.resolve({ cancelled: core.accounts.cancelConnect(providerId) }),
  copyDeviceCode: async ({ providerId }) => ({
    copied: await core.accounts.copyDeviceCode(providerId),
  }),
  openDevicePage: async ({ providerId }) => ({
    opened: await core.accounts.openDevicePage(providerId),
  }),

  listAccounts: () => Promise.resolve(core.accounts.list()),

  refreshAccount: ({ accountId }) => core.accounts.refresh(accountId),

  copyToken: ({ accountId, format }) => core.accounts.copyToken(accountId, format),

  copyRedirectUri: async ({ presetId, id }) => ({
    redirectUri: await core.providers.copyRedirectUri(presetId, id),
  }),

  disconnect: async ({ accountId }) => ({
    accountId,
    revocation: await core.accounts.disconnect(accountId),
  }),

  exchange: async (input) => {
    const { account, accessToken } = await core.accounts.exchange(input);
    return {
      success: true as const,
      token: accessToken,
      expiresAt: account.expiresAt,
      accountId: account.id,
    };
  },

  getStatus: () => Promise.resolve(core.status()),

  getSettings: () => Promise.resolve(core.settings.view()),

  saveSettings: (changes) => core.settings.save(changes),

  getCommandLine: () => Promise.resolve(core.commandLine.view()),

  answerApproval: ({ requestId, decision, allowForSeconds }) => {
    core.commandLine.answer(requestId, decision, allowForSeconds ?? null);
    return Promise.resolve(core.commandLine.view());
  },

  revokeApproval: ({ accountId }) => {
    core.commandLine.revoke(accountId);
    return Promise.resolve(core.commandLine.view());
  },

  clearCommandLog: () => {
    core.commandLine.clearLog();
    return Promise.resolve(core.commandLine.view());
  },

  inspectToken: ({ accountId, which }) => core.accounts.inspect(accountId, which),

  introspectToken: ({ accountId }) => core.accounts.introspect(accountId),

  exportProviders: ({ providerIds }) => {
    const setups = core.providers.exportSetups(providerIds);
    return Promise.resolve({ json: setupFileText(setups), count: setups.length });
  },

  importProviders: ({ text, replace }) =>
    core.providers.importSetups(readSetupFile(text), replace ?? []),

  testConnection: (input) => core.providers.testConnection(input),

  listProxySignIns: () => Promise.resolve(core.proxySignIn.requests()),

  answerProxySignIn: ({ id, credentials }) =>
    Promise.resolve({ answered: core.proxySignIn.answer(id, credentials) }),
});

export const createApi = (core: Core): TokendeskApi => {
  const impl = handlers(core);
  const api = {} as Record<ChannelName, (input?: unknown) => Promise<Result<unknown>>>;
  for (const name of Object.keys(CHANNELS) as ChannelName[]) {
    api[name] = async (input?: unknown) => {
      const parsed = parseInput(CHANNELS[name], input);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      try {
        const handler = impl[name] as (input: unknown) => Promise<unknown>;
        return { ok: true, value: await handler(parsed.value) };
      } catch (error) {
        return { ok: false, error: toApiError(error, core) };
      }
    };
  }
  return api as unknown as TokendeskApi;
};
