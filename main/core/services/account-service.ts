/**
 * What callers (IPC, the tray, a command line) do with accounts, each a whole user action:
 * connect, refresh, copy a fresh token in a chosen format, disconnect. The answers are views:
 * no refresh token or client secret leaves through here.
 */
import type { CopyResult, ParsedInput } from '../../../shared/ipc-contract';
import type {
  AccountView,
  IntrospectionView,
  RevocationOutcome,
  TokenFormat,
  TokenInspection,
} from '../../../shared/model';
import { presetAt } from '../../../shared/provider-instance';
import type { AccountManager } from '../accounts/account-manager';
import type { Connector } from '../accounts/connector';
import type { MachineAccounts } from '../accounts/machine-accounts';
import type { FreshToken, Refresher } from '../accounts/refresher';
import type { ClipboardGuard } from '../clipboard-guard';
import type { TimeBudget } from '../http/time-budget';
import type { Clock } from '../ports';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Settings } from '../settings';
import type { Repository } from '../storage/repository';
import { endpointUrlProblem } from '../../../shared/url-rules';
import { selectAccount, type AccountQuery } from './account-selection';
import { curlShellFor, formatToken } from './token-format';
import { createTokenInspection } from './token-inspection';

export interface AccountService {
  list(): AccountView[];
  connect(
    providerId: string,
  ): Promise<{ readonly account: AccountView; readonly created: boolean }>;
  /** A machine account (client credentials grant), its first token requested at once. */
  addMachineAccount(
    input: ParsedInput<'addMachineAccount'>,
  ): Promise<{ readonly account: AccountView; readonly created: boolean }>;
  /** Whether a sign-in was under way to cancel. */
  cancelConnect(providerId: string): boolean;
  /**
   * The user code of the sign-in with a code waiting at this provider, on the clipboard (not a
   * secret: it is shown, and is worthless without the device code main keeps). False: none waits.
   */
  copyDeviceCode(providerId: string): Promise<boolean>;
  /**
   * The provider's page for that code, in the user's browser; only an https (or loopback http)
   * page. False: none waits, the page is not such a URL, or there is no browser to open.
   */
  openDevicePage(providerId: string): Promise<boolean>;
  refresh(accountId: string): Promise<AccountView>;
  /** A fresh token on the clipboard, formatted; cleared after the user's delay. */
  copyToken(accountId: string, format: TokenFormat): Promise<CopyResult>;
  disconnect(accountId: string): Promise<RevocationOutcome>;
  /** A code obtained outside the app, exchanged and kept as an account. */
  exchange(input: ParsedInput<'exchange'>): Promise<FreshToken>;
  /** The one account a typed name or an API URL names (account-selection.ts), as a view. */
  select(query: AccountQuery): AccountView;
  /** The access token as held, or the ID token, decoded in main: claims, never the token. */
  inspect(accountId: string, which: 'access' | 'id'): Promise<TokenInspection>;
  /** The provider's introspection answer (RFC 7662) for the access token held. */
  introspect(accountId: string): Promise<IntrospectionView>;
}

export interface AccountServiceDeps {
  readonly accounts: AccountManager;
  readonly repo: Repository;
  /** The fresh-token path's owner. */
  readonly refresher: Refresher;
  readonly connector: Connector;
  readonly machines: MachineAccounts;
  readonly directory: ProviderDirectory;
  readonly clipboard: ClipboardGuard;
  readonly settings: Settings;
  readonly clock: Clock;
  readonly startBudget: () => TimeBudget;
  /** Whose shell a copied curl line is for. */
  readonly platform: NodeJS.Platform;
  /** Opens a page in the user's browser (the shell's); absent where there is none. */
  readonly openExternal?: ((url: string) => Promise<void>) | undefined;
}

/**
 * The API URL a copied curl line calls: the preset's example, else the user-info endpoint,
 * configured or discovered. A discovery waits at most what is left of the copy's `budget`;
 * without an answer the line goes without the URL, as when discovery fails.
 */
const exampleApiUrl = async (
  directory: ProviderDirectory,
  providerId: string,
  budget: TimeBudget,
): Promise<string | undefined> => {
  const config = directory.config(providerId);
  const known =
    presetAt(directory.presetFor(config), config.issuer).exampleApiUrl ??
    config.endpoints?.userinfo;
  if (known !== undefined) return known;
  try {
    return (await budget.race(directory.runtime(providerId))).as.userinfo_endpoint;
  } catch {
    return undefined;
  } finally {
    budget.end();
  }
};

export const createAccountService = (deps: AccountServiceDeps): AccountService => {
  const { accounts, connector } = deps;
  const inspection = createTokenInspection({
    accounts,
    repo: deps.repo,
    directory: deps.directory,
    startBudget: deps.startBudget,
  });
  return {
    list: () => accounts.views(),

    async connect(providerId) {
      const { account, created } = await connector.connect(providerId);
      return { account: accounts.view(account), created };
    },

    async addMachineAccount(input) {
      const { account, created } = await deps.machines.add(input);
      return { account: accounts.view(account), created };
    },

    cancelConnect: (providerId) => connector.cancel(providerId),

    async copyDeviceCode(providerId) {
      const waiting = connector.waitingDeviceSignIn(providerId);
      if (waiting === undefined) return false;
      await deps.clipboard.copyPlain(waiting.userCode);
      return true;
    },

    async openDevicePage(providerId) {
      const waiting = connector.waitingDeviceSignIn(providerId);
      if (waiting === undefined || deps.openExternal === undefined) return false;
      // The provider named this page: held to the rules every endpoint is before it is opened.
      if (endpointUrlProblem(waiting.page) !== undefined) return false;
      await deps.openExternal(waiting.page);
      return true;
    },

    refresh: async (accountId) => accounts.view(await accounts.refreshNow(accountId)),

    async copyToken(accountId, format) {
      // One time limit for the whole copy: the refresh it may wait for keeps to the same limit,
      // and a discovery still needed for the curl line gets only what is left of it.
      const budget = deps.startBudget();
      const { account, accessToken } = await deps.refresher.freshToken(accountId);
      const exampleUrl = await exampleApiUrl(deps.directory, account.providerId, budget);
      const text = formatToken(
        format,
        {
          accessToken,
          tokenType: account.tokenType,
          expiresAt: account.expiresAt,
          scopes: account.scopes,
          ...(exampleUrl !== undefined ? { exampleUrl } : {}),
        },
        deps.clock.now(),
        curlShellFor(deps.platform),
      );
      const clearsAt = await deps.clipboard.copy(text, deps.settings.clipboardClearMs());
      return {
        format,
        accountId,
        expiresAt: account.expiresAt,
        ...(clearsAt !== undefined ? { clearsAt } : {}),
      };
    },

    disconnect: (accountId) => accounts.disconnect(accountId),

    exchange: ({ provider, code, redirectUri, codeVerifier }) =>
      connector.exchangeExternal(provider, code, redirectUri, codeVerifier),

    select: (query) =>
      accounts.view(
        selectAccount(
          {
            accounts: deps.repo.accounts(),
            presets: deps.directory.presets,
            apiHostsOf: (providerId) => deps.repo.provider(providerId)?.apiHosts ?? [],
            issuerOf: (providerId) => deps.repo.provider(providerId)?.issuer,
          },
          query,
        ),
      ),

    inspect: (accountId, which) => inspection.inspect(accountId, which),

    introspect: (accountId) => inspection.introspect(accountId),
  };
};
