/**
 * What is inside an account's tokens, for the window: the access token as held (not refreshed
 * first: the user looks at the token a copy would hand out or has handed out) or the ID token,
 * decoded here in main, and the provider's introspection answer (RFC 7662) when the user asks.
 * The answers carry header and claims only: never a token, never a signature.
 */
import * as oauth from 'oauth4webapi';
import type { IntrospectionView, TokenInspection } from '../../../shared/model';
import type { AccountManager } from '../accounts/account-manager';
import { TOKENS_GONE } from '../accounts/account-record';
import { CoreFailure } from '../core-failure';
import { formatSeconds, TimedOut } from '../http/http-client';
import type { TimeBudget } from '../http/time-budget';
import { canIntrospect, introspectToken } from '../oauth/introspection';
import { decodeJwt, summarizeClaims, withoutSecrets } from '../oauth/jwt-claims';
import type { ProviderRuntime } from '../oauth/provider-runtime';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { AccountSecrets, Repository } from '../storage/repository';

export interface TokenInspectionService {
  /** The account's access token or ID token, decoded. */
  inspect(accountId: string, which: 'access' | 'id'): Promise<TokenInspection>;
  /** The provider's introspection answer for the account's access token. */
  introspect(accountId: string): Promise<IntrospectionView>;
}

export interface TokenInspectionDeps {
  readonly accounts: AccountManager;
  readonly repo: Repository;
  readonly directory: ProviderDirectory;
  /** One time limit for the provider's configuration and the introspection request. */
  readonly startBudget: () => TimeBudget;
}

/** Every secret the account holds, as strings: none of them may be in an answer. */
const heldSecrets = (secrets: AccountSecrets | undefined): string[] =>
  [secrets?.accessToken, secrets?.refreshToken, secrets?.idToken].filter(
    (secret): secret is string => typeof secret === 'string' && secret !== '',
  );

export const createTokenInspection = (deps: TokenInspectionDeps): TokenInspectionService => {
  /** The provider's runtime within `budget`, every request it makes bound to it too. */
  const runtimeWithin = async (
    providerId: string,
    budget: TimeBudget,
  ): Promise<ProviderRuntime> => {
    let runtime: ProviderRuntime;
    try {
      runtime = await budget.race(deps.directory.runtime(providerId));
    } catch (error) {
      if (!(error instanceof TimedOut)) throw error;
      throw new CoreFailure(
        'introspectionFailed',
        `The provider's configuration (its discovery document) did not arrive within ${formatSeconds(budget.limitMs)}.`,
        { traces: [error.message], cause: error },
      );
    }
    const fetch = budget.bound(runtime.requestOptions[oauth.customFetch]);
    return {
      ...runtime,
      fetch,
      requestOptions: { ...runtime.requestOptions, [oauth.customFetch]: fetch },
    };
  };

  /**
   * Whether the user can ask the provider: a decoded token is shown whatever this says, so a
   * configuration that cannot be had now (discovery down) only hides the button.
   */
  const introspectable = async (providerId: string): Promise<boolean> => {
    const budget = deps.startBudget();
    try {
      return canIntrospect((await budget.race(deps.directory.runtime(providerId))).as);
    } catch {
      return false;
    } finally {
      budget.end();
    }
  };

  return {
    async inspect(accountId, which) {
      const account = deps.accounts.get(accountId);
      const secrets = await deps.repo.accountSecrets(accountId);
      const token = which === 'access' ? secrets?.accessToken : secrets?.idToken;
      const can = await introspectable(account.providerId);
      const base = { accountId, which, canIntrospect: can } as const;
      if (token === undefined || token === '') return { ...base, kind: 'absent' };
      const decoded = decodeJwt(token);
      const held = heldSecrets(secrets);
      if (decoded.kind === 'opaque') {
        return {
          ...base,
          kind: 'opaque',
          ...(decoded.header ? { header: withoutSecrets(decoded.header, held) } : {}),
          ...(decoded.problem !== undefined ? { problem: decoded.problem } : {}),
        };
      }
      const claims = withoutSecrets(decoded.claims, held);
      return {
        ...base,
        kind: 'jwt',
        header: withoutSecrets(decoded.header, held),
        claims,
        ...summarizeClaims(claims),
      };
    },

    async introspect(accountId) {
      const account = deps.accounts.get(accountId);
      const secrets = await deps.repo.accountSecrets(accountId);
      if (!secrets) throw new CoreFailure('reconnectNeeded', TOKENS_GONE);
      const budget = deps.startBudget();
      try {
        const runtime = await runtimeWithin(account.providerId, budget);
        const { active, claims } = await introspectToken(
          runtime,
          secrets.accessToken,
          heldSecrets(secrets),
        );
        return { accountId, active, claims };
      } finally {
        budget.end();
      }
    },
  };
};
