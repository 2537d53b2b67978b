/**
 * Naming an account the way a command line will: by ID, by provider, by `provider:login`, or by
 * an API URL; a name that matches none or several is an error that lists the candidates.
 */
import { describe, expect, it } from 'vitest';
import { CoreFailure } from '../../../../main/core/core-failure';
import {
  hostMatches,
  selectAccount,
  type AccountQuery,
} from '../../../../main/core/services/account-selection';
import type { StoredAccount } from '../../../../main/core/storage/store-schema';
import { PRESETS, type PresetId } from '../../../../shared/providers';

const account = (
  id: string,
  providerId: string,
  presetId: PresetId,
  login: { email?: string; displayName: string },
): StoredAccount => ({
  id,
  providerId,
  presetId,
  subject: id,
  ...login,
  scopes: [],
  tokenType: 'Bearer',
  expiresAt: null,
  obtainedAt: 1,
  hasRefreshToken: true,
  status: 'ok',
  createdAt: 1,
  updatedAt: 1,
});

const ACCOUNTS = [
  account('acc-gh-1', 'github', 'github', { displayName: 'octocat' }),
  account('acc-gh-2', 'github', 'github', { displayName: 'hubot' }),
  account('acc-google', 'google', 'google', { email: 'Ada@example.com', displayName: 'Ada' }),
  account('acc-work', 'work-idp', 'oidc', { email: 'ada@work.example', displayName: 'Ada L.' }),
];

const select = (query: AccountQuery, accounts = ACCOUNTS) =>
  selectAccount({ accounts, presets: PRESETS }, query);

const refusal = (query: AccountQuery, accounts = ACCOUNTS): CoreFailure => {
  try {
    select(query, accounts);
  } catch (error) {
    if (error instanceof CoreFailure) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(query)} was not refused`);
};

describe('selectAccount', () => {
  it('takes an account ID as it is', () => {
    expect(select({ name: 'acc-gh-2' }).id).toBe('acc-gh-2');
  });

  it('takes a provider with one account', () => {
    expect(select({ name: 'google' }).id).toBe('acc-google');
    expect(select({ name: 'work-idp' }).id).toBe('acc-work');
  });

  it('takes provider:login, by email or display name, in any case', () => {
    expect(select({ name: 'github:octocat' }).id).toBe('acc-gh-1');
    expect(select({ name: 'github:HUBOT' }).id).toBe('acc-gh-2');
    expect(select({ name: 'google:ada@example.com' }).id).toBe('acc-google');
  });

  it('finds the account whose provider serves an API URL', () => {
    expect(select({ forUrl: 'https://storage.googleapis.com/b/o' }).id).toBe('acc-google');
    expect(select({ name: 'github:hubot', forUrl: 'https://github.com/o/r.git' }).id).toBe(
      'acc-gh-2',
    );
  });

  it('finds a registry’s account among the registries the presets list, not their APIs', () => {
    expect(select({ forUrl: 'https://us-docker.pkg.dev', hostKind: 'registry' }).id).toBe(
      'acc-google',
    );
    expect(select({ forUrl: 'https://gcr.io', hostKind: 'registry' }).id).toBe('acc-google');
    expect(refusal({ forUrl: 'https://ghcr.io', hostKind: 'api' }).errorName).toBe(
      'accountNotFound',
    );
    expect(refusal({ forUrl: 'https://ghcr.io', hostKind: 'registry' }).errorName).toBe(
      'accountAmbiguous',
    );
    expect(
      select({ name: 'github:octocat', forUrl: 'https://ghcr.io', hostKind: 'registry' }).id,
    ).toBe('acc-gh-1');
    // An API host is not a registry.
    expect(
      refusal({ forUrl: 'https://storage.googleapis.com', hostKind: 'registry' }).errorName,
    ).toBe('accountNotFound');
  });

  it('finds a custom provider’s account by the API hosts its configuration lists', () => {
    const sources = {
      accounts: ACCOUNTS,
      presets: PRESETS,
      apiHostsOf: (providerId: string) =>
        providerId === 'work-idp' ? ['api.work.example', '*.svc.work.example'] : [],
    };
    expect(selectAccount(sources, { forUrl: 'https://api.work.example/v1/me' }).id).toBe(
      'acc-work',
    );
    expect(selectAccount(sources, { forUrl: 'https://billing.svc.work.example/' }).id).toBe(
      'acc-work',
    );
    // Registries are the presets' only.
    expect(() =>
      selectAccount(sources, { forUrl: 'https://api.work.example', hostKind: 'registry' }),
    ).toThrow(/No account matches/);
  });

  it('an Entra account serves Graph and the hosts of the user’s own APIs its configuration lists', () => {
    const sources = {
      accounts: [
        ...ACCOUNTS,
        account('acc-entra', 'microsoft', 'microsoft', { displayName: 'Ada' }),
      ],
      presets: PRESETS,
      apiHostsOf: (providerId: string) =>
        providerId === 'microsoft' ? ['api.contoso.example'] : [],
    };
    expect(selectAccount(sources, { forUrl: 'https://graph.microsoft.com/v1.0/me' }).id).toBe(
      'acc-entra',
    );
    expect(selectAccount(sources, { forUrl: 'https://api.contoso.example/orders' }).id).toBe(
      'acc-entra',
    );
  });

  it('a self-managed GitLab’s account serves its instance’s host, never gitlab.com’s', () => {
    const accounts = [
      account('acc-gitlab', 'gitlab', 'gitlab', { displayName: 'sam@gitlab.example' }),
      account('acc-own', 'own-gitlab', 'gitlab', { displayName: 'sam@corp.example' }),
    ];
    const sources = {
      accounts,
      presets: PRESETS,
      issuerOf: (providerId: string) =>
        providerId === 'own-gitlab' ? 'https://git.corp.example/gitlab/' : undefined,
    };
    expect(selectAccount(sources, { forUrl: 'https://gitlab.com/group/repo.git' }).id).toBe(
      'acc-gitlab',
    );
    expect(selectAccount(sources, { forUrl: 'https://git.corp.example/gitlab/api/v4' }).id).toBe(
      'acc-own',
    );
    // gitlab.com's registry is not the instance's.
    expect(
      selectAccount(sources, { forUrl: 'https://registry.gitlab.com', hostKind: 'registry' }).id,
    ).toBe('acc-gitlab');
  });

  it('takes an account named alone with a URL no preset serves (a pinned git helper)', () => {
    expect(select({ name: 'work-idp', forUrl: 'https://git.work.example/team/repo' }).id).toBe(
      'acc-work',
    );
    // The name decides: a URL does not turn a name that matches several into a guess.
    expect(refusal({ name: 'github', forUrl: 'https://api.github.com' }).errorName).toBe(
      'accountAmbiguous',
    );
  });

  it('refuses a provider with several accounts, naming each as it can be typed', () => {
    const failure = refusal({ name: 'github' });
    expect(failure.errorName).toBe('accountAmbiguous');
    expect(failure.message).toContain('github:octocat (acc-gh-1)');
    expect(failure.message).toContain('github:hubot (acc-gh-2)');
    expect(refusal({ forUrl: 'https://api.github.com/user' }).errorName).toBe('accountAmbiguous');
  });

  it('refuses a name or a URL nothing matches, listing the accounts there are', () => {
    const unknown = refusal({ name: 'gitlab:someone' });
    expect(unknown.errorName).toBe('accountNotFound');
    expect(unknown.message).toContain('google:Ada@example.com (acc-google)');
    // A custom provider's API hosts are not known yet: no guess from the issuer's host.
    expect(refusal({ forUrl: 'https://api.work.example/v1' }).errorName).toBe('accountNotFound');
    expect(refusal({ name: 'google' }, []).message).toContain('there are no accounts yet');
  });

  it('refuses a URL that is not one', () => {
    expect(refusal({ forUrl: 'not a url' }).errorName).toBe('invalidField');
  });
});

describe('hostMatches', () => {
  it('matches hosts exactly, any case, and *. only below the domain', () => {
    expect(hostMatches('API.GitHub.com', ['api.github.com'])).toBe(true);
    expect(hostMatches('storage.googleapis.com', ['*.googleapis.com'])).toBe(true);
    expect(hostMatches('googleapis.com', ['*.googleapis.com'])).toBe(false);
    expect(hostMatches('evilgoogleapis.com', ['*.googleapis.com'])).toBe(false);
    expect(hostMatches('api.github.com.evil.example', ['api.github.com'])).toBe(false);
  });
});
