/**
 * Refreshes an account's tokens, one refresh per account at a time shared by every caller.
 * With rotating refresh tokens two racing refreshes trip the provider's reuse detection and can
 * revoke the whole grant (docs/PROVIDERS.md), so single-flight is a correctness rule.
 */
import { errorOf } from '../../../shared/errors';
import type { Logger } from '../ports';
import { OAuthFailure } from '../oauth/oauth-failure';
import { refreshTokens } from '../oauth/token-requests';
import type { TokenSet } from '../oauth/token-set';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';
import type { StoredAccount } from '../storage/store-schema';
import type { AccountLocks } from './account-locks';
import { summarizeError, TOKENS_GONE } from './account-record';

export interface RefresherDeps {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  readonly now: () => number;
  readonly logger: Logger;
  /** Called after every change to an account (saved, status changed, refresh started). */
  readonly changed: () => void;
  /** Shared with the Connector: a refresh and a reconnect of one account never interleave. */
  readonly locks: AccountLocks;
}

export class Refresher {
  private readonly inflight = new Map<string, Promise<StoredAccount>>();

  constructor(private readonly deps: RefresherDeps) {}

  isRefreshing(accountId: string): boolean {
    return this.inflight.has(accountId);
  }

  /** The refresh under way for this account, if any. */
  pending(accountId: string): Promise<StoredAccount> | undefined {
    return this.inflight.get(accountId);
  }

  /** Starts a refresh, or joins the one under way. Synchronous up to the map insert. */
  refresh(accountId: string): Promise<StoredAccount> {
    const running = this.inflight.get(accountId);
    if (running) return running;
    const started = this.deps.locks
      .run(accountId, () => this.run(accountId))
      .finally(() => {
        this.inflight.delete(accountId);
        this.deps.changed();
      });
    this.inflight.set(accountId, started);
    this.deps.changed();
    return started;
  }

  private async run(accountId: string): Promise<StoredAccount> {
    const { repo } = this.deps;
    const account = repo.account(accountId);
    if (!account) throw new OAuthFailure('accountNotFound');

    // Tokens this session cannot decrypt (another keyring) throw here, and nothing is recorded:
    // the next start, with the keyring that wrote them, reads them again. The account's view
    // says "reconnect needed" meanwhile (AccountManager.view).
    const secrets = await repo.accountSecrets(accountId);
    if (!secrets?.refreshToken) {
      const failure = secrets
        ? new OAuthFailure('noRefreshToken')
        : new OAuthFailure('reconnectNeeded', TOKENS_GONE);
      await this.markFailed(account, failure, 'reconnect-needed');
      throw failure;
    }

    let tokens: TokenSet;
    try {
      const runtime = await this.deps.providers.runtime(account.providerId);
      tokens = await this.refreshWithOneRetry(runtime, secrets.refreshToken);
    } catch (error) {
      const failure =
        error instanceof OAuthFailure
          ? error
          : new OAuthFailure('refreshFailed', undefined, { cause: error });
      const reconnect =
        failure.errorName === 'reconnectNeeded' || failure.errorName === 'invalidClient';
      await this.markFailed(account, failure, reconnect ? 'reconnect-needed' : 'error');
      throw failure;
    }

    const now = this.deps.now();
    const latest = repo.account(accountId);
    // Disconnected while the answer was on its way: saving would bring the account back.
    if (!latest)
      throw new OAuthFailure(
        'accountNotFound',
        'The account was disconnected while it was being refreshed.',
      );
    const updated: StoredAccount = {
      ...latest,
      scopes: [...(tokens.scopes ?? latest.scopes)],
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresAt,
      obtainedAt: tokens.obtainedAt,
      hasRefreshToken: true,
      status: 'ok',
      updatedAt: now,
    };
    delete (updated as { lastError?: unknown }).lastError;
    // Most providers (Google among them) send no new refresh token: the old one stays valid.
    await repo.saveAccount(
      updated,
      {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? secrets.refreshToken,
        ...((tokens.idToken ?? secrets.idToken) !== undefined
          ? { idToken: tokens.idToken ?? secrets.idToken }
          : {}),
      },
      // A rotated refresh token exists nowhere else: if the disk refuses it, keep it in memory.
      { keepInMemoryOnFailure: true },
    );
    this.deps.logger.info('refreshed', { accountId, expiresAt: tokens.expiresAt });
    return updated;
  }

  /**
   * Retries once when the answer was lost after the request may have reached the provider; a
   * second loss, or a refusal after a loss, is reported (never a loop: with rotation, retrying a
   * spent refresh token counts as reuse).
   */
  private async refreshWithOneRetry(
    runtime: Awaited<ReturnType<ProviderDirectory['runtime']>>,
    refreshToken: string,
  ): Promise<TokenSet> {
    try {
      return await refreshTokens(runtime, refreshToken, this.deps.now);
    } catch (error) {
      if (!(error instanceof OAuthFailure) || error.details.network !== 'lost') throw error;
      this.deps.logger.warn('refresh answer lost; retrying once', { reason: error.message });
      try {
        return await refreshTokens(runtime, refreshToken, this.deps.now);
      } catch (retryError) {
        if (retryError instanceof OAuthFailure && retryError.errorName === 'reconnectNeeded') {
          throw new OAuthFailure(
            'reconnectNeeded',
            'The provider’s answer to a refresh was lost and the refresh token was then refused: the provider had probably already replaced it. Reconnect the account.',
            { ...retryError.details },
          );
        }
        throw retryError;
      }
    }
  }

  private async markFailed(
    account: StoredAccount,
    failure: OAuthFailure,
    status: StoredAccount['status'],
  ): Promise<void> {
    const latest = this.deps.repo.account(account.id);
    if (!latest) return;
    // A passing fault does not hide that the provider refused this refresh token before: the
    // account still needs reconnecting (the refused token is not retried in the background).
    if (latest.status === 'reconnect-needed' && status === 'error') return;
    try {
      // Nothing is deleted: the refresh token stays, so a passing fault costs nothing.
      // Kept in memory if the disk refuses it, so the app stops using a refused token at once.
      await this.deps.repo.saveAccount(
        {
          ...latest,
          status,
          lastError: summarizeError(failure.toApiError()),
          updatedAt: this.deps.now(),
        },
        undefined,
        { keepInMemoryOnFailure: true },
      );
    } catch (error) {
      this.deps.logger.error('could not record the refresh failure', {
        error: errorOf('storageWriteFailed').message,
        cause: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
