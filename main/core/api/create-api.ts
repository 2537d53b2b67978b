/**
 * The API object: one async function per IPC channel declared in shared/ipc-contract.ts. Each
 * validates its input, calls the core, and answers a result union whose error side always has
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
import { findPreset, registeredRedirectUri } from '../../../shared/providers';
import type { Core } from '../core';
import type { TimeBudget } from '../http/time-budget';
import { CoreFailure } from '../core-failure';
import { ConfigRejected } from '../providers/provider-directory';
import { curlShellFor, formatToken } from './token-format';
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

const accountsUsing = (core: Core, providerId: string): number =>
  core.repo.accounts().filter((account) => account.providerId === providerId).length;

/**
 * The API URL a copied curl line calls: the preset's example, else the user-info endpoint,
 * configured or discovered. A discovery waits at most what is left of the copy's `budget`;
 * without an answer the line goes without the URL, as when discovery fails.
 */
const exampleApiUrl = async (
  core: Core,
  providerId: string,
  budget: TimeBudget,
): Promise<string | undefined> => {
  const config = core.providers.config(providerId);
  const known = core.providers.presetFor(config).exampleApiUrl ?? config.endpoints?.userinfo;
  if (known !== undefined) return known;
  try {
    return (await budget.race(core.providers.runtime(providerId))).as.userinfo_endpoint;
  } catch {
    return undefined;
  } finally {
    budget.end();
  }
};

const handlers = (core: Core): Handlers => ({
  listProviders: () =>
    Promise.resolve({ presets: core.providers.presets, configured: core.providers.list() }),

  saveProvider: (input) => {
    const id = input.id ?? input.presetId;
    return core.providers.save(input, accountsUsing(core, id), core.connector.isConnecting(id));
  },

  deleteProvider: ({ providerId }) => {
    // The sign-in under way would otherwise add an account to a provider that is gone.
    if (core.connector.isConnecting(providerId)) {
      throw new CoreFailure(
        'consentInProgress',
        'A sign-in with this provider is under way: finish or cancel it before deleting the provider.',
      );
    }
    core.providers.delete(providerId, accountsUsing(core, providerId));
    return Promise.resolve({ providerId, deleted: true as const });
  },

  connect: async ({ providerId }) => {
    const { account, created } = await core.connector.connect(providerId);
    return { account: core.accounts.view(account), created };
  },

  cancelConnect: ({ providerId }) =>
    Promise.resolve({ cancelled: core.connector.cancel(providerId) }),

  listAccounts: () => Promise.resolve(core.accounts.views()),

  refreshAccount: async ({ accountId }) =>
    core.accounts.view(await core.accounts.refreshNow(accountId)),

  copyToken: async ({ accountId, format }) => {
    // One time limit for the whole copy: the refresh it may wait for keeps to the same limit,
    // and a discovery still needed for the curl line gets only what is left of it.
    const budget = core.startBudget();
    const { account, accessToken } = await core.accounts.freshToken(accountId);
    const exampleUrl = await exampleApiUrl(core, account.providerId, budget);
    const text = formatToken(
      format,
      {
        accessToken,
        tokenType: account.tokenType,
        expiresAt: account.expiresAt,
        scopes: account.scopes,
        ...(exampleUrl !== undefined ? { exampleUrl } : {}),
      },
      core.clock.now(),
      curlShellFor(core.platform),
    );
    const clearsAt = await core.copyToClipboard(text);
    return {
      format,
      accountId,
      expiresAt: account.expiresAt,
      ...(clearsAt !== undefined ? { clearsAt } : {}),
    };
  },

  copyRedirectUri: async ({ presetId, id }) => {
    const preset = findPreset(presetId, core.providers.presets);
    if (!preset) throw new CoreFailure('unsupportedProvider');
    const redirectUri = registeredRedirectUri(preset, id ?? presetId);
    await core.copyPlainText(redirectUri);
    return { redirectUri };
  },

  disconnect: async ({ accountId }) => ({
    accountId,
    revocation: await core.accounts.disconnect(accountId),
  }),

  exchange: async ({ provider, code, redirectUri, codeVerifier }) => {
    const { account, accessToken } = await core.connector.exchangeExternal(
      provider,
      code,
      redirectUri,
      codeVerifier,
    );
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
