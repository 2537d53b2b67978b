/**
 * What the `tokendesk` command may do, behind the checks the issue asks for: access is off
 * until the user turns it on; each account is approved in the app before its first token goes
 * out; every outcome is written to the hand-out log. The token comes from the same fresh-token
 * path as Copy (the Refresher), so the command, the window and the tray share one refresh.
 * What goes out is an access token and how to use it: never a refresh token, client secret or
 * ID token (HandedToken has no field for them).
 */
import type {
  AccountListing,
  AccountsRequest,
  CallerInfo,
  HandedToken,
  RegistriesRequest,
  RegistryMapping,
  TokenRequest,
} from '../../../shared/command-line';
import type { AccountView, CommandLineView, HandOutEntry } from '../../../shared/model';
import { findPreset, type ProviderPreset } from '../../../shared/providers';
import type { Refresher } from '../accounts/refresher';
import { CoreFailure } from '../core-failure';
import type { CoreEvents } from '../events';
import type { Clock, Logger } from '../ports';
import type { Settings } from '../settings';
import type { HandOutLogFile } from '../storage/hand-out-log-file';
import type { AccountService } from './account-service';
import { nameOf } from './account-selection';
import { CommandApprovals } from './command-approvals';
import { HandOutLog } from './hand-out-log';

export type CommandTokenQuery = Omit<TokenRequest, 'v' | 'key'>;
export type CommandAccountsQuery = Omit<AccountsRequest, 'v' | 'key'>;
export type CommandRegistriesQuery = Omit<RegistriesRequest, 'v' | 'key'>;

export interface CommandLineService {
  /** A token for the account a request names, once access is on and the account approved. */
  token(request: CommandTokenQuery): Promise<HandedToken>;
  /** The accounts with their status and expiry, never a token (access must be on). */
  accounts(request: CommandAccountsQuery): AccountListing[];
  /** docker's registries mapped to accounts, after the change asked for (access must be on). */
  registries(request: CommandRegistriesQuery): RegistryMapping[];
  view(): CommandLineView;
  answer(requestId: string, decision: 'allow' | 'deny', allowForSeconds: number | null): void;
  revoke(accountId: string): void;
  clearLog(): void;
  /** Quitting: waiting requests are refused and the log written. */
  dispose(): void;
}

export interface CommandLineDeps {
  readonly accounts: AccountService;
  readonly refresher: Refresher;
  readonly presets: readonly ProviderPreset[];
  readonly settings: Settings;
  readonly events: CoreEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the hand-out log is kept; absent: in memory only (tests). */
  readonly logFile?: HandOutLogFile;
  readonly approvalTimeoutMs?: number;
}

/** How the command hands a provider's token to other tools; custom providers get neutral names. */
const tokenUse = (
  preset: ProviderPreset | undefined,
  account: AccountView,
): HandedToken['use'] => ({
  envName: preset?.commandLine?.envName ?? 'TOKENDESK_TOKEN',
  gitUsername: preset?.commandLine?.gitUsername ?? 'oauth2',
  registryUsername: preset?.commandLine?.registryUsername ?? account.email ?? account.displayName,
});

/** A registry as docker names it (`ghcr.io`, `https://ghcr.io/v2/`): its host, lower case. */
const registryHost = (registry: string): string => {
  try {
    return new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(registry) ? registry : `https://${registry}`,
    ).host.toLowerCase();
  } catch {
    throw new CoreFailure('invalidField', `"${registry}" is not a registry's address.`);
  }
};

const listing = (account: AccountView): AccountListing => ({
  id: account.id,
  name: nameOf(account),
  providerId: account.providerId,
  presetId: account.presetId,
  displayName: account.displayName,
  status: account.status,
  hasToken: account.hasToken,
  expiresAt: account.expiresAt,
});

export const createCommandLineService = (deps: CommandLineDeps): CommandLineService => {
  const { clock, settings } = deps;
  // One event per turn however many requests changed the view (fifty processes at once).
  let announcing = false;
  const changed = () => {
    if (announcing) return;
    announcing = true;
    setImmediate(() => {
      announcing = false;
      deps.events.emit('commandLineChanged', service.view());
    });
  };
  const approvals = new CommandApprovals({
    clock,
    changed,
    ...(deps.approvalTimeoutMs !== undefined ? { timeoutMs: deps.approvalTimeoutMs } : {}),
  });
  const log = new HandOutLog(deps.logFile, deps.logger, changed);

  const record = (
    request: { subcommand: string; caller: CallerInfo },
    outcome: HandOutEntry['outcome'],
    account?: AccountView,
    detail?: string,
  ) =>
    log.add({
      at: clock.now(),
      ...(account ? { accountId: account.id, accountName: nameOf(account) } : {}),
      subcommand: request.subcommand,
      commandLine: request.caller.commandLine,
      outcome,
      ...(detail !== undefined ? { detail } : {}),
    });

  const requireAccess = (request: { subcommand: string; caller: CallerInfo }) => {
    if (settings.commandLineAccess()) return;
    record(request, 'access-off');
    throw new CoreFailure('commandLineOff');
  };

  // Turning access off ends every approval and refuses the prompts still open.
  settings.changed = (view) => {
    if (!view.commandLineAccess) approvals.dispose();
    changed();
  };
  // A disconnected account takes its approval with it.
  deps.events.on('accountsChanged', (views) => {
    const present = new Set(views.map((account) => account.id));
    for (const approval of approvals.approvals())
      if (!present.has(approval.accountId)) approvals.forget(approval.accountId);
  });

  const service: CommandLineService = {
    async token(request) {
      requireAccess(request);
      let account: AccountView | undefined;
      try {
        // docker names no account: a registry the user mapped to one goes to that account.
        const mapped =
          request.subcommand === 'docker-credential' &&
          request.account === undefined &&
          request.forUrl !== undefined
            ? settings.registryAccounts()[registryHost(request.forUrl)]
            : undefined;
        const name = request.account ?? mapped;
        account = deps.accounts.select({
          ...(name !== undefined ? { name } : {}),
          ...(request.forUrl !== undefined ? { forUrl: request.forUrl } : {}),
          hostKind: request.subcommand === 'docker-credential' ? 'registry' : 'api',
        });
        await approvals.approve(
          { id: account.id, name: nameOf(account) },
          request.subcommand,
          request.caller,
        );
        const { account: held, accessToken } =
          request.minTtlSeconds !== undefined && request.minTtlSeconds > 0
            ? await deps.refresher.lastingToken(account.id, request.minTtlSeconds * 1000)
            : await deps.refresher.freshToken(account.id);
        record(request, 'handed-out', account);
        return {
          accessToken,
          tokenType: held.tokenType,
          expiresAt: held.expiresAt,
          scopes: held.scopes,
          account: listing(account),
          use: tokenUse(findPreset(account.presetId, deps.presets), account),
        };
      } catch (error) {
        const outcome =
          error instanceof CoreFailure && error.errorName === 'commandDenied'
            ? 'denied'
            : error instanceof CoreFailure && error.errorName === 'approvalTimedOut'
              ? 'timed-out'
              : 'failed';
        record(
          request,
          outcome,
          account,
          error instanceof CoreFailure ? error.message : 'unexpected failure',
        );
        throw error;
      }
    },

    accounts(request) {
      requireAccess({ subcommand: 'accounts', caller: request.caller });
      return deps.accounts.list().map(listing);
    },

    registries(request) {
      requireAccess({ subcommand: 'docker-credential', caller: request.caller });
      if (request.set) {
        const host = registryHost(request.set.registry);
        const account =
          request.set.account === null ? null : deps.accounts.select({ name: request.set.account });
        settings.mapRegistry(host, account?.id ?? null);
      }
      const accounts = new Map(deps.accounts.list().map((account) => [account.id, account]));
      return Object.entries(settings.registryAccounts()).flatMap(([registry, accountId]) => {
        const account = accounts.get(accountId);
        if (!account) return [];
        const use = tokenUse(findPreset(account.presetId, deps.presets), account);
        return [{ registry, account: listing(account), username: use.registryUsername }];
      });
    },

    view: () => ({
      enabled: settings.commandLineAccess(),
      approvals: approvals.approvals(),
      pending: approvals.prompts(),
      log: log.list(),
    }),

    answer: (requestId, decision, allowForSeconds) =>
      approvals.answer(requestId, decision, allowForSeconds),
    revoke: (accountId) => approvals.revoke(accountId),
    clearLog: () => log.clear(),

    dispose() {
      approvals.dispose();
      log.flush();
    },
  };
  return service;
};
