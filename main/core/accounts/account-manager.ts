/**
 * The accounts a user holds: list, fresh tokens on demand, refresh now, disconnect. Connecting
 * lives in the Connector, refreshing in the Refresher, the background timer in KeepFresh.
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

export interface FreshToken {
  readonly account: StoredAccount;
  readonly accessToken: string;
}

export class AccountManager {
  constructor(
    private readonly repo: Repository,
    private readonly providers: ProviderDirectory,
    private readonly refresher: Refresher,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly changed: () => void,
    private readonly locks: AccountLocks,
  ) {}

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
    const { group, code } = errorOf('reconnectNeeded');
    return { ...view, ...noToken, lastError: { group, code, message: TOKENS_GONE } };
  }

  get(accountId: string): StoredAccount {
    const account = this.repo.account(accountId);
    if (!account) throw new CoreFailure('accountNotFound', `There is no account "${accountId}".`);
    return account;
  }

  /**
   * An access token good for at least the freshness margin. Concurrent callers on an account
   * that needs a refresh all wait for the same one: the Refresher's (single-flight lives there
   * alone; this only decides to wait for it).
   */
  freshToken(accountId: string): Promise<FreshToken> {
    if (!this.refresher.isRefreshing(accountId)) return this.freshTokenAlone(accountId);
    // A refresh is under way (the background timer's, say): its tokens are the ones to hand
    // out. `refresh()` joins it rather than starting another.
    const running = this.refresher.refresh(accountId);
    // Callers joining a refresh under way share one answer too, not just one request: a
    // thousand of them then cost a map lookup each rather than a chain of awaits.
    let shared = this.afterRefresh.get(running);
    if (!shared) {
      shared = running.then(
        (account) => this.tokenOf(account),
        (error: unknown) => this.stillValidToken(accountId, error),
      );
      this.afterRefresh.set(running, shared);
    }
    return shared;
  }

  /**
   * After a refresh this caller joined has failed (a background one, say): the token held is
   * handed out if it is still good for the margin, as it would have been without that refresh.
   */
  private async stillValidToken(accountId: string, error: unknown): Promise<FreshToken> {
    const account = this.repo.account(accountId);
    if (!account || needsRefresh(account, this.now()) || !this.repo.hasAccountSecrets(accountId))
      throw error;
    return this.tokenOf(account);
  }

  /** The answer shared by everyone who joined a given refresh. */
  private readonly afterRefresh = new WeakMap<Promise<StoredAccount>, Promise<FreshToken>>();

  private async freshTokenAlone(accountId: string): Promise<FreshToken> {
    let account = this.get(accountId);
    if (!this.repo.hasAccountSecrets(accountId))
      throw new CoreFailure('reconnectNeeded', TOKENS_GONE);
    if (needsRefresh(account, this.now())) {
      // A refused refresh token is not tried again (with rotation that would look like reuse);
      // a token that is still valid, though, is still handed out.
      if (account.status === 'reconnect-needed')
        throw new CoreFailure('reconnectNeeded', account.lastError?.message);
      if (!account.hasRefreshToken) throw new CoreFailure('noRefreshToken');
      account = await this.refresher.refresh(accountId);
    }
    return this.tokenOf(account);
  }

  private async tokenOf(account: StoredAccount): Promise<FreshToken> {
    let secrets;
    try {
      secrets = await this.repo.accountSecrets(account.id);
    } catch (error) {
      // First found unreadable here: the list now says so (AccountManager.view).
      this.changed();
      throw error;
    }
    if (!secrets) throw new CoreFailure('reconnectNeeded', TOKENS_GONE);
    return { account, accessToken: secrets.accessToken };
  }

  refreshNow(accountId: string): Promise<StoredAccount> {
    this.get(accountId);
    return this.refresher.refresh(accountId);
  }

  /**
   * Revokes at the provider where possible, then deletes locally. A failed revocation does not
   * keep the account (the user asked for it gone) but is reported in the answer.
   */
  disconnect(accountId: string): Promise<RevocationOutcome> {
    const account = this.get(accountId);
    // After a refresh or a reconnect under way (the account's lock): the newest tokens are the
    // ones revoked, and a reconnect's save cannot bring the account back afterwards.
    return this.locks.run(accountId, () => this.revokeAndDelete(account));
  }

  private async revokeAndDelete(account: StoredAccount): Promise<RevocationOutcome> {
    const accountId = account.id;
    let outcome: RevocationOutcome;
    try {
      const secrets = await this.repo.accountSecrets(accountId);
      outcome = secrets
        ? await revokeGrant(await this.providers.runtime(account.providerId), secrets)
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
    this.logger.info('account disconnected', { accountId, revocation: outcome.status });
    this.changed();
    return outcome;
  }
}
