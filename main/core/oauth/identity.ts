/**
 * Finds out whose account a fresh token belongs to: a stable subject (the key) and a name the
 * user recognises (the label). Google and other OIDC providers: the ID token's `sub` and email;
 * GitHub: `GET /user`'s numeric `id` and `login`.
 */
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { z } from 'zod';
import { CoreFailure } from '../core-failure';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';
import type { ExchangeOutcome } from './token-requests';
import { messageOf } from '../../../shared/errors';

export interface Identity {
  readonly subject: string;
  readonly displayName: string;
  readonly email?: string;
}

const githubUser = z.object({
  id: z.union([z.number(), z.string()]),
  login: z.string(),
  email: z.string().nullable().optional(),
});

const claimString = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const fromClaims = (claims: Record<string, unknown>): Identity | undefined => {
  const subject = claimString(claims, 'sub');
  if (subject === undefined) return undefined;
  const email = claimString(claims, 'email');
  const displayName =
    email ?? claimString(claims, 'preferred_username') ?? claimString(claims, 'name') ?? subject;
  return { subject, displayName, ...(email !== undefined ? { email } : {}) };
};

const identityFailure = (reason: string, cause?: unknown): CoreFailure =>
  new CoreFailure(
    'identityFailed',
    `The provider issued tokens but did not say whose account this is (${reason}).`,
    {
      traces: [reason],
      cause,
    },
  );

const userinfo = async (
  runtime: ProviderRuntime,
  accessToken: string,
  subject: string | typeof oauth.skipSubjectCheck,
) => {
  const response = await oauth.userInfoRequest(
    runtime.as,
    runtime.client,
    accessToken,
    requestOptionsFor(runtime, 'userinfo_endpoint'),
  );
  return oauth.processUserInfoResponse(runtime.as, runtime.client, subject, response);
};

const githubIdentity = async (
  runtime: ProviderRuntime,
  url: string,
  accessToken: string,
): Promise<Identity> => {
  const response = await runtime.fetch(url, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${accessToken}`,
      // GitHub's REST API refuses requests without a User-Agent.
      'user-agent': 'Tokendesk',
      'x-github-api-version': '2022-11-28',
    },
  });
  if (!response.ok)
    throw identityFailure(`GET ${new URL(url).pathname} answered HTTP ${response.status}`);
  const parsed = githubUser.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw identityFailure('the user endpoint answered without an id and login');
  const email = parsed.data.email ?? undefined;
  return {
    subject: String(parsed.data.id),
    displayName: parsed.data.login,
    ...(email !== undefined ? { email } : {}),
  };
};

export const identify = async (
  runtime: ProviderRuntime,
  outcome: ExchangeOutcome,
): Promise<Identity> => {
  const source = runtime.preset.identity;
  const accessToken = outcome.tokens.accessToken;
  try {
    switch (source.kind) {
      case 'id-token': {
        const fromToken = outcome.idTokenClaims ? fromClaims(outcome.idTokenClaims) : undefined;
        if (fromToken?.email !== undefined) return fromToken;
        // No ID token (scope without openid) or no email in it: ask userinfo when there is one.
        if (runtime.as.userinfo_endpoint) {
          let info: oauth.UserInfoResponse;
          try {
            info = await userinfo(runtime, accessToken, oauth.skipSubjectCheck);
          } catch (error) {
            // With an ID token the account is already known: user-info only adds an email, and
            // its failure (HTTP error, network, an unreadable answer) must not fail the connect.
            if (fromToken) return fromToken;
            throw error;
          }
          // A user-info answer about someone else is not a failure to ignore: the access token
          // is not the ID token's user's (OIDC Core §5.3.2).
          if (fromToken && info.sub !== fromToken.subject) {
            throw identityFailure(
              'the user-info answer is about another subject than the ID token',
            );
          }
          // The ID token's claims stay: Entra's userinfo has no preferred_username, for one.
          const merged = fromClaims({ ...outcome.idTokenClaims, ...info });
          if (merged) return merged;
        }
        if (fromToken) return fromToken;
        throw identityFailure('no ID token and no user-info endpoint');
      }
      case 'userinfo': {
        if (!runtime.as.userinfo_endpoint) {
          // A bare OAuth 2.0 server offers no identity: each connect is a new account.
          return {
            subject: `anonymous-${randomUUID()}`,
            displayName: `${runtime.config.label} account`,
          };
        }
        const info = fromClaims({
          ...(await userinfo(runtime, accessToken, oauth.skipSubjectCheck)),
        });
        if (!info) throw identityFailure('the user-info answer has no "sub"');
        return info;
      }
      case 'github-user':
        return await githubIdentity(runtime, source.url, accessToken);
      case 'none':
        return {
          subject: `anonymous-${randomUUID()}`,
          displayName: `${runtime.config.label} account`,
        };
    }
  } catch (error) {
    if (error instanceof CoreFailure) throw error;
    throw identityFailure(messageOf(error), error);
  }
};
