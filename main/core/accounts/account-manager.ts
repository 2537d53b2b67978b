/**
 * The accounts a user holds: list and views, refresh now, disconnect. Fresh tokens and
 * refreshing live in the Refresher, connecting in the Connector, the background timer in
 * KeepFresh.
 */
import { errorOf } from '../../../shared/errors';
import type { AccountView, RevocationOutcome } from '../../../shared/model';
import type { Logger } from '../ports';
import { CoreFailure } from '../core-failure';
import { revokeGrant } from '../oauth/revocation';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';
import type { StoredAccount } from '../storage/store-schema';
import type { AccountLocks } from './account-locks';
import { TOKENS_GONE, toAccountView } from './account-record';
import type { Refresher } from './refresher';
import { needsRefresh } from './timing';

export interface AccountManagerDeps {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  /** Whose refreshes under way the views show, and Refresh now starts or joins. */
  readonly refresher: Refresher;
  readonly logger: Logger;
  /** Called after a change to the list (a disconnect): announces it. */
  readonly changed: () => void;
  /** Shared with the Refresher and the Connector: a disconnect waits for work under way. */
  readonly locks: AccountLocks;
  /** The core's clock: whether a token to revoke has expired (GitHub refreshes it first). */
  readonly now: () => number;
}

export class AccountManager {
  private readonly repo: Repository;
  private readonly refresher: Refresher;

  constructor(private readonly deps: AccountManagerDeps) {
    this.repo = deps.repo;
    this.refresher = deps.refresher;
  }

  views(): AccountView[] {
    return this.repo
      .accounts()
      .sort(
        (a, b) =>
          a.providerId.localeCompare(b.providerId) || a.displayName.localeCompare(b.displayName),
      )
      .map((account) => this.view(account));
  }

  view(account: StoredAccount): AccountView {
    const view = toAccountView(account, this.refresher.isRefreshing(account.id));
    // Tokens kept in memory only (no keyring) are gone after a restart, and tokens another
    // keyring wrote cannot be read in this session: say so in the list, for this session only,
    // rather than let the user find out when a copy fails.
    const noToken = { status: 'reconnect-needed', hasToken: false, canRefresh: false } as const;
    const unreadable = this.repo.unreadableAccountSecrets(account.id);
    if (unreadable) {
      const { group, code, message } = unreadable.toApiError();
      return { ...view, ...noToken, lastError: { group, code, message } };
    }
    if (this.repo.hasAccountSecrets(account.id)) return view;
    // A machine account gets a new token on its next copy or refresh (its client credentials
    // are all it takes): nothing to reconnect, and Copy works, so it is listed as usable.
    if (account.machine !== undefined) return view;
    const { group, code } = errorOf('reconnectNeeded');
    return { ...view, ...noToken, lastError: { group, code, message: TOKENS_GONE } };
  }

  get(accountId: string): StoredAccount {
    const account = this.repo.account(accountId);
    if (!account) throw new CoreFailure('accountNotFound', `There is no account "${accountId}".`);
    return account;
  }

  async refreshNow(accountId: string): Promise<StoredAccount> {
    this.get(accountId);
    return (await this.refresher.refresh(accountId)).account;
  }

  /**
   * Revokes at the provider where possible, then deletes locally. A failed revocation does not
   * keep the account (the user asked for it gone) but is reported in the answer.
   */
  disconnect(accountId: string): Promise<RevocationOutcome> {
    const account = this.get(accountId);
    // After a refresh or a reconnect under way (the account's lock): the newest tokens are the
    // ones revoked, and a reconnect's save cannot bring the account back afterwards.
    return this.deps.locks.run(accountId, () => this.revokeAndDelete(account));
  }

  private async revokeAndDelete(account: StoredAccount): Promise<RevocationOutcome> {
    const accountId = account.id;
    let outcome: RevocationOutcome;
    try {
      const secrets = await this.repo.accountSecrets(accountId);
      outcome = secrets
        ? await revokeGrant(await this.deps.providers.runtime(account.providerId), secrets, {
            // As stored now, after any refresh the lock waited for.
            accessTokenDue: needsRefresh(this.repo.account(accountId) ?? account, this.deps.now()),
            now: this.deps.now,
          })
        : {
            status: 'unsupported',
            message: 'No token was stored on this machine, so there was nothing to revoke.',
          };
    } catch (error) {
      const failure =
        error instanceof CoreFailure
          ? error
          : new CoreFailure('internal', undefined, { cause: error });
      const { group, code, message } = failure.toApiError();
      outcome = { status: 'failed', error: { group, code, message } };
    }
    this.repo.deleteAccount(accountId);
    this.deps.logger.info('account disconnected', { accountId, revocation: outcome.status });
    this.deps.changed();
    return outcome;
  }
}
