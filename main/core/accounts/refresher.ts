/**
 * The fresh-token path's one owner: hands out an account's access token, refreshing it first
 * when it is due, one refresh per account at a time shared by every caller (a copy, Refresh
 * now, the background timer). With rotating refresh tokens two racing refreshes trip the
 * provider's reuse detection and can revoke the whole grant (docs/PROVIDERS.md), so
 * single-flight is a correctness rule, and it lives here alone.
 */
import * as oauth from 'oauth4webapi';
import { errorOf, messageOf, type ErrorName } from '../../../shared/errors';
import { formatSeconds, TimedOut } from '../http/http-client';
import type { TimeBudget } from '../http/time-budget';
import type { Logger } from '../ports';
import { CoreFailure } from '../core-failure';
import type { ProviderRuntime } from '../oauth/provider-runtime';
import { requestMachineToken } from '../oauth/machine-token';
import { refreshTokens } from '../oauth/token-requests';
import type { TokenSet } from '../oauth/token-set';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';
import type { MachineGrant, StoredAccount } from '../storage/store-schema';
import type { AccountLocks } from './account-locks';
import { summarizeError, TOKENS_GONE } from './account-record';
import { needsRefresh } from './timing';

/** An account with the access token to hand out for it. */
export interface FreshToken {
  readonly account: StoredAccount;
  readonly accessToken: string;
}

/** A refresh under way, and what its callers are handed. */
interface Flight {
  /** The refresh itself: its new tokens, or its failure. */
  readonly refreshed: Promise<FreshToken>;
  /**
   * For callers that only need a valid token (a copy): the refresh's answer, or, if it fails,
   * the token held while it is still good. Made once, so a thousand callers joining one refresh
   * cost a map lookup each rather than a chain of awaits each.
   */
  orStillValid?: Promise<FreshToken>;
}

export interface RefresherDeps {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  readonly now: () => number;
  readonly logger: Logger;
  /**
   * Called when a refresh starts and when it ends. It announces the change on a later turn,
   * once the answer is on its way and the result is written: a refresh's caller waits for the
   * provider, not for the list event or the disk.
   */
  readonly changed: () => void;
  /** Shared with the Connector: a refresh and a reconnect of one account never interleave. */
  readonly locks: AccountLocks;
  /**
   * Starts the one time limit of a refresh, its retry included: the HTTP time limit, on the
   * core's clock. Whoever waits for the refresh (Copy, Refresh, the background timer) waits at
   * most that long for the provider.
   */
  readonly startBudget: () => TimeBudget;
}

/** A lost answer: the request may have reached the provider (time-out, reset, unreadable body). */
const isLost = (error: unknown): error is CoreFailure =>
  error instanceof CoreFailure && error.details.network === 'lost';

const isTimeOut = (error: unknown): boolean =>
  error instanceof CoreFailure && error.details.cause instanceof TimedOut;

/** The runtime with every request it makes (token endpoint, tenant discovery) within `budget`. */
const withinBudget = (runtime: ProviderRuntime, budget: TimeBudget): ProviderRuntime => {
  const fetch = budget.bound(runtime.requestOptions[oauth.customFetch]);
  return {
    ...runtime,
    fetch,
    requestOptions: { ...runtime.requestOptions, [oauth.customFetch]: fetch },
  };
};

/**
 * The provider's runtime with every request within `budget`; a discovery document that does not
 * come counts against it. Shared with MachineAccounts, whose first token keeps the same limit.
 */
export const runtimeWithinBudget = async (
  providers: ProviderDirectory,
  providerId: string,
  budget: TimeBudget,
): Promise<ProviderRuntime> => {
  let runtime: ProviderRuntime;
  try {
    runtime = await budget.race(providers.runtime(providerId));
  } catch (error) {
    if (!(error instanceof TimedOut)) throw error;
    throw new CoreFailure(
      'refreshFailed',
      `The refresh failed: the provider's configuration (its discovery document) did not arrive within ${formatSeconds(budget.limitMs)}.`,
      { traces: [error.message], network: 'lost', cause: error },
    );
  }
  return withinBudget(runtime, budget);
};

/** Failures of a machine account's request that retrying cannot mend. */
const MACHINE_REFUSALS: ReadonlySet<ErrorName> = new Set<ErrorName>([
  'invalidClient',
  'machineTokenRefused',
  'machineKeyInvalid',
  'providerNotConfigured',
  'reconnectNeeded',
]);

/** A token that cannot last as long as asked, even fresh: how long this provider's do. */
const tooShort = (account: StoredAccount, minValidMs: number): CoreFailure => {
  const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));
  const life = account.expiresAt === null ? 0 : account.expiresAt - account.obtainedAt;
  return new CoreFailure(
    'tokenTooShort',
    `This account's tokens last ${seconds(life)} s, less than the ${seconds(minValidMs)} s asked (--min-ttl).`,
  );
};

export class Refresher {
  /**
   * The refresh under way per account. Single-flight lives here and nowhere else: every caller
   * goes through `refresh()` (Refresh now, the background timer) or `freshToken()` (a copy),
   * which join this map's entry when there is one (tests/unit/core/accounts/single-flight.test.ts
   * fails without it).
   */
  private readonly inflight = new Map<string, Flight>();

  constructor(private readonly deps: RefresherDeps) {}

  isRefreshing(accountId: string): boolean {
    return this.inflight.has(accountId);
  }

  /** Starts a refresh, or joins the one under way. Synchronous up to the map insert. */
  refresh(accountId: string): Promise<FreshToken> {
    return this.flight(accountId).refreshed;
  }

  /** The refresh under way for the account, or a new one. */
  private flight(accountId: string): Flight {
    const running = this.inflight.get(accountId);
    if (running) return running;
    // Started with the refresh, not per caller: a caller that joins later waits less.
    const budget = this.deps.startBudget();
    const refreshed = this.deps.locks
      .run(accountId, () => this.run(accountId, budget))
      .finally(() => {
        budget.end();
        this.inflight.delete(accountId);
        this.deps.changed();
      });
    const flight: Flight = { refreshed };
    this.inflight.set(accountId, flight);
    this.deps.changed();
    return flight;
  }

  /**
   * An access token good for at least the freshness margin: the one held, or a refresh's. A
   * refresh under way (the background timer's, say) is joined, and if it fails the token held is
   * still handed out while it is good, as it would have been without that refresh.
   */
  freshToken(accountId: string): Promise<FreshToken> {
    const running = this.inflight.get(accountId);
    if (!running) return this.freshTokenAlone(accountId);
    running.orStillValid ??= running.refreshed.catch((error: unknown) =>
      this.stillValidToken(accountId, error),
    );
    return running.orStillValid;
  }

  /**
   * An access token that stays valid at least `minValidMs` (the command line's `--min-ttl`): the
   * one held if it lasts that long, else a refresh's (joining one under way). A provider whose
   * new tokens do not last that long either is `tokenTooShort`, not a loop of refreshes.
   */
  async lastingToken(accountId: string, minValidMs: number): Promise<FreshToken> {
    const lasts = ({ account }: FreshToken) =>
      account.expiresAt === null || account.expiresAt - this.deps.now() >= minValidMs;
    const held = await this.freshToken(accountId);
    if (lasts(held)) return held;
    if (!held.account.hasRefreshToken && held.account.machine === undefined)
      throw tooShort(held.account, minValidMs);
    const refreshed = await this.refresh(accountId);
    if (lasts(refreshed)) return refreshed;
    throw tooShort(refreshed.account, minValidMs);
  }

  private async freshTokenAlone(accountId: string): Promise<FreshToken> {
    const { repo } = this.deps;
    const account = repo.account(accountId);
    if (!account) throw new CoreFailure('accountNotFound', `There is no account "${accountId}".`);
    if (account.machine !== undefined) {
      // A machine account's token is asked for again whenever it is due or gone (kept in
      // memory only before a restart): its client credentials are all it takes, and with no
      // refresh token to rotate a refused request can simply be made again.
      if (!repo.hasAccountSecrets(accountId) || needsRefresh(account, this.deps.now()))
        return this.flight(accountId).refreshed;
      return this.heldToken(account);
    }
    if (!repo.hasAccountSecrets(accountId)) throw new CoreFailure('reconnectNeeded', TOKENS_GONE);
    if (needsRefresh(account, this.deps.now())) {
      // A refused refresh token is not tried again (with rotation that would look like reuse);
      // a token that is still valid, though, is still handed out.
      if (account.status === 'reconnect-needed')
        throw new CoreFailure('reconnectNeeded', account.lastError?.message);
      if (!account.hasRefreshToken) throw new CoreFailure('noRefreshToken');
      // Still in the turn freshToken() found no flight in: nobody can have started one since.
      return this.flight(accountId).refreshed;
    }
    return this.heldToken(account);
  }

  private async stillValidToken(accountId: string, error: unknown): Promise<FreshToken> {
    const { repo } = this.deps;
    const account = repo.account(accountId);
    if (!account || needsRefresh(account, this.deps.now()) || !repo.hasAccountSecrets(accountId))
      throw error;
    return this.heldToken(account);
  }

  /** The account's stored access token. Unreadable ones (another keyring) put it in the list. */
  private async heldToken(account: StoredAccount): Promise<FreshToken> {
    let secrets;
    try {
      secrets = await this.deps.repo.accountSecrets(account.id);
    } catch (error) {
      // First found unreadable here: the list now says so (AccountManager.view).
      this.deps.changed();
      throw error;
    }
    if (!secrets) throw new CoreFailure('reconnectNeeded', TOKENS_GONE);
    return { account, accessToken: secrets.accessToken };
  }

  private async run(accountId: string, budget: TimeBudget): Promise<FreshToken> {
    const { repo } = this.deps;
    const account = repo.account(accountId);
    if (!account) throw new CoreFailure('accountNotFound');
    if (account.machine !== undefined) return this.requestAgain(account, account.machine, budget);

    // Tokens this session cannot decrypt (another keyring) throw here, and nothing is recorded:
    // the next start, with the keyring that wrote them, reads them again. The account's view
    // says "reconnect needed" meanwhile (AccountManager.view).
    const secrets = await repo.accountSecrets(accountId);
    if (!secrets?.refreshToken) {
      const failure = secrets
        ? new CoreFailure('noRefreshToken')
        : new CoreFailure('reconnectNeeded', TOKENS_GONE);
      await this.markFailed(account, failure, 'reconnect-needed');
      throw failure;
    }

    let tokens: TokenSet;
    try {
      const runtime = await runtimeWithinBudget(this.deps.providers, account.providerId, budget);
      tokens = await this.refreshWithOneRetry(runtime, secrets.refreshToken, budget);
    } catch (error) {
      const failure =
        error instanceof CoreFailure
          ? error
          : new CoreFailure('refreshFailed', undefined, { cause: error });
      const reconnect =
        failure.errorName === 'reconnectNeeded' || failure.errorName === 'invalidClient';
      await this.markFailed(account, failure, reconnect ? 'reconnect-needed' : 'error');
      throw failure;
    }

    const now = this.deps.now();
    const latest = repo.account(accountId);
    // Disconnected while the answer was on its way: saving would bring the account back.
    if (!latest)
      throw new CoreFailure(
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
      // Written just after the caller is answered (a crash loses it either way). A rotated
      // refresh token exists nowhere else: if the disk refuses it, it is kept in memory.
      { writeSoon: true },
    );
    this.deps.logger.info('refreshed', { accountId, expiresAt: tokens.expiresAt });
    return { account: updated, accessToken: tokens.accessToken };
  }

  /**
   * A machine account's new token, by the client credentials grant with what it asked for when
   * added. A refusal (wrong secret or key, a scope the client lost) marks it like a refused
   * refresh token, so the background timer stops asking; a passing fault is retried with
   * back-off. Nothing is deleted either way.
   */
  private async requestAgain(
    account: StoredAccount,
    grant: MachineGrant,
    budget: TimeBudget,
  ): Promise<FreshToken> {
    const { repo } = this.deps;
    let tokens: TokenSet;
    try {
      const runtime = await runtimeWithinBudget(this.deps.providers, account.providerId, budget);
      tokens = await requestMachineToken(runtime, grant, this.deps.now);
    } catch (error) {
      const failure =
        error instanceof CoreFailure
          ? error
          : new CoreFailure('refreshFailed', undefined, { cause: error });
      // Refused for good until the user changes something (the secret, the key, what the client
      // may ask for); anything else (the network, a discovery that did not come) may pass.
      const refused = MACHINE_REFUSALS.has(failure.errorName);
      await this.markFailed(account, failure, refused ? 'reconnect-needed' : 'error');
      throw failure;
    }
    const latest = repo.account(account.id);
    if (!latest)
      throw new CoreFailure(
        'accountNotFound',
        'The account was disconnected while its token was being requested.',
      );
    const updated: StoredAccount = {
      ...latest,
      scopes: [...(tokens.scopes ?? grant.scopes)],
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresAt,
      obtainedAt: tokens.obtainedAt,
      status: 'ok',
      updatedAt: this.deps.now(),
    };
    delete (updated as { lastError?: unknown }).lastError;
    await repo.saveAccount(updated, { accessToken: tokens.accessToken }, { writeSoon: true });
    this.deps.logger.info('machine token requested again', {
      accountId: account.id,
      expiresAt: tokens.expiresAt,
    });
    return { account: updated, accessToken: tokens.accessToken };
  }

  /**
   * Retries once when the answer was lost after the request may have reached the provider: a
   * provider with a reuse grace period then answers the same refresh token again. A second loss,
   * or a refusal after a loss, is reported (never a loop: with rotation, retrying a spent refresh
   * token counts as reuse). Both tries share `budget`: a time-out has spent it, so it is not
   * retried, and a retry after a quick loss gets only what is left. The message says which.
   */
  private async refreshWithOneRetry(
    runtime: ProviderRuntime,
    refreshToken: string,
    budget: TimeBudget,
  ): Promise<TokenSet> {
    const limit = formatSeconds(budget.limitMs);
    let lost: CoreFailure;
    try {
      return await refreshTokens(runtime, refreshToken, this.deps.now);
    } catch (error) {
      if (!isLost(error)) throw error;
      if (isTimeOut(error) || budget.remainingMs() === 0) {
        throw new CoreFailure(
          'refreshFailed',
          isTimeOut(error)
            ? `The refresh failed: the provider did not answer within ${limit} (the time limit), so it was not retried.`
            : `${error.message.replace(/\.$/, '')}; not retried: the ${limit} time limit was used up.`,
          { ...error.details },
        );
      }
      lost = error;
    }
    this.deps.logger.warn('refresh answer lost; retrying once', {
      reason: lost.message,
      remainingMs: budget.remainingMs(),
    });
    try {
      return await refreshTokens(runtime, refreshToken, this.deps.now);
    } catch (retryError) {
      if (retryError instanceof CoreFailure && retryError.errorName === 'reconnectNeeded') {
        throw new CoreFailure(
          'reconnectNeeded',
          'The provider’s answer to a refresh was lost and the refresh token was then refused: the provider had probably already replaced it. Reconnect the account.',
          { ...retryError.details },
        );
      }
      if (retryError instanceof CoreFailure && isTimeOut(retryError)) {
        throw new CoreFailure(
          'refreshFailed',
          `The refresh failed: the provider's answer was lost, and the retry did not answer within the rest of the ${limit} time limit.`,
          {
            ...retryError.details,
            traces: [...(lost.details.traces ?? []), ...(retryError.details.traces ?? [])],
          },
        );
      }
      throw retryError;
    }
  }

  private async markFailed(
    account: StoredAccount,
    failure: CoreFailure,
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
        { writeSoon: true },
      );
    } catch (error) {
      this.deps.logger.error('could not record the refresh failure', {
        error: errorOf('storageWriteFailed').message,
        cause: messageOf(error),
      });
    }
  }
}
