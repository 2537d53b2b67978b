/**
 * GitLab, as its documentation says it behaves (docs/PROVIDERS.md, "GitLab"), through the real
 * core and the shipped GitLab preset pointed at tests/support/fake-gitlab.ts:
 * - a public application: PKCE S256, state and nonce, no secret; the consent page is passed;
 * - the account is the ID token's `sub` (the numeric user ID), shown by its email;
 * - access tokens last 7200 s; a refresh rotates both tokens, and GitLab refuses the old ones;
 * - 100 callers wanting a fresh token at once cause one refresh (two would spend the rotated
 *   refresh token twice, and the second would fail);
 * - disconnect revokes at /oauth/revoke with the client ID alone (a public client), or with the
 *   secret (a confidential one), and the tokens are dead afterwards;
 * - a self-managed GitLab is configured by its URL: every request goes there.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountIdFor } from '../../main/core/accounts/account-record';
import { isError } from '../../shared/errors';
import { basicCredentials } from '../support/fake-server';
import { GITLAB_ACCESS_TOKEN_TTL, startFakeGitLab, type FakeGitLab } from '../support/fake-gitlab';
import { s256Challenge } from '../support/pkce-check';
import { failed, ok } from './core-fixture';
import {
  createProviderApp,
  expectCleanError,
  grants,
  type ProviderApp,
  type ProviderAppOptions,
} from './providers-app';

const REGISTERED = 'http://127.0.0.1/callback/gitlab';
const CALLERS = 100;

describe('GitLab', () => {
  let gitlab: FakeGitLab;
  let selfManaged: FakeGitLab;
  let confidential: FakeGitLab;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    [gitlab, selfManaged, confidential] = await Promise.all([
      startFakeGitLab(),
      startFakeGitLab({ pathPrefix: '/gitlab' }),
      startFakeGitLab({ confidential: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gitlab?.stop(), selfManaged?.stop(), confidential?.stop()]);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    for (const fake of [gitlab, selfManaged, confidential]) {
      fake.accessTokenTtl = GITLAB_ACCESS_TOKEN_TTL;
      fake.nextUser = 'sidney';
      expect(fake.errors).toEqual([]);
    }
  });

  const newApp = async (options: ProviderAppOptions = {}, fake: FakeGitLab = gitlab) => {
    const app = createProviderApp({ gitlab: fake }, options);
    apps.push(app);
    await app.save({ presetId: 'gitlab', clientId: fake.clientId });
    return app;
  };

  /** A refresh as another client would send it, answered as GitLab answers it. */
  const refreshAt = async (fake: FakeGitLab, refreshToken: string | undefined) => {
    const response = await fetch(fake.endpoints.token, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: fake.clientId,
        grant_type: 'refresh_token',
        refresh_token: refreshToken ?? '',
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const userinfoStatus = async (fake: FakeGitLab, accessToken: string) => {
    const response = await fetch(fake.endpoints.userinfo, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    await response.body?.cancel();
    return response.status;
  };

  it('connects a public application through the consent page: PKCE, state, nonce, no secret; 2-hour tokens', async () => {
    const app = await newApp();
    const before = gitlab.requests.length;
    const approvals = gitlab.approvals;
    const { account, created } = ok(await app.api.connect({ providerId: 'gitlab' }));
    expect(created).toBe(true);
    // GitLab asked, and the user approved.
    expect(gitlab.approvals).toBe(approvals + 1);

    const authorization = gitlab.authorizationRequests.at(-1) ?? {};
    expect(authorization).toMatchObject({
      client_id: gitlab.clientId,
      response_type: 'code',
      redirect_uri: REGISTERED,
      scope: 'openid profile email read_user',
      code_challenge_method: 'S256',
    });
    expect(authorization.state).toMatch(/^[\w-]{22,}$/);
    expect(authorization.nonce).toMatch(/^[\w-]{22,}$/);

    const [exchange, ...more] = grants(gitlab.requests.slice(before), 'authorization_code');
    expect(more).toEqual([]);
    expect(exchange).toMatchObject({ client_id: gitlab.clientId, redirect_uri: REGISTERED });
    expect(exchange?.client_secret).toBeUndefined();
    expect(s256Challenge(exchange?.code_verifier ?? '')).toBe(authorization.code_challenge);
    const sent = gitlab.requests.slice(before).find((r) => r.path === '/oauth/token');
    expect(sent?.headers.authorization).toBeUndefined();

    expect(account).toMatchObject({ status: 'ok', canRefresh: true, presetId: 'gitlab' });
    expect(account.expiresAt).toBeGreaterThan(Date.now() + GITLAB_ACCESS_TOKEN_TTL * 1000 - 60_000);
    expect(account.expiresAt).toBeLessThanOrEqual(Date.now() + GITLAB_ACCESS_TOKEN_TTL * 1000);
    expect(account.scopes).toEqual(['openid', 'profile', 'email', 'read_user']);
  });

  it('keys the account by the ID token’s sub (the user ID) and shows its email', async () => {
    const app = await newApp();
    const sidney = gitlab.userFor('sidney');
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    expect(account).toMatchObject({
      id: accountIdFor('gitlab', sidney.id),
      subject: sidney.id,
      displayName: sidney.email,
      email: sidney.email,
    });
    // The email is in the ID token: no user-info request was needed.
    expect(gitlab.requests.filter((r) => r.path === '/oauth/userinfo')).toEqual([]);

    // A changed primary email is the same person: the same account, renamed.
    Object.assign(sidney, { email: 'sidney.renamed@gitlab.example' });
    const again = ok(await app.api.connect({ providerId: 'gitlab' }));
    expect(again).toMatchObject({
      created: false,
      account: { id: account.id, displayName: 'sidney.renamed@gitlab.example' },
    });
    gitlab.nextUser = 'kim';
    const other = ok(await app.api.connect({ providerId: 'gitlab' }));
    expect(other).toMatchObject({
      created: true,
      account: { subject: gitlab.userFor('kim').id, displayName: 'kim@gitlab.example' },
    });
  });

  it('a refresh rotates both tokens: GitLab refuses the old access and refresh token afterwards', async () => {
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const first = await app.secrets(account.id);
    expect(first.refreshToken).toBeDefined();
    const tokenRequests = gitlab.tokenRequests().length;

    const refreshed = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(refreshed).toMatchObject({ status: 'ok', canRefresh: true });
    const second = await app.secrets(account.id);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);

    // The old pair is dead at GitLab; the new one works.
    expect(await userinfoStatus(gitlab, first.accessToken)).toBe(401);
    expect(await userinfoStatus(gitlab, second.accessToken)).toBe(200);
    const reused = await refreshAt(gitlab, first.refreshToken);
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    // The next refresh sends the rotated token, with the client ID and no secret.
    ok(await app.api.refreshAccount({ accountId: account.id }));
    const refreshes = grants(gitlab.tokenRequests().slice(tokenRequests), 'refresh_token');
    expect(refreshes.map((r) => r.refresh_token)).toEqual([
      first.refreshToken,
      // This test's own reuse of the spent token, refused above.
      first.refreshToken,
      second.refreshToken,
    ]);
    for (const refresh of refreshes) {
      expect(refresh.client_id).toBe(gitlab.clientId);
      expect(refresh.client_secret).toBeUndefined();
    }
    const third = await app.secrets(account.id);
    expect(await gitlab.isRefreshTokenActive(third.refreshToken ?? '')).toBe(true);
    expect(await app.account(account.id)).toMatchObject({ status: 'ok' });
  });

  it('a refresh token GitLab refused (rotated away elsewhere) → reconnect needed, account kept', async () => {
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const secrets = await app.secrets(account.id);
    expect((await refreshAt(gitlab, secrets.refreshToken)).status).toBe(200);

    const error = failed(await app.api.refreshAccount({ accountId: account.id }));
    expect(isError(error, 'reconnectNeeded')).toBe(true);
    expect(error.message).toContain('invalid_grant');
    expectCleanError(error, [secrets.accessToken, secrets.refreshToken]);
    expect(await app.account(account.id)).toMatchObject({ status: 'reconnect-needed' });
  });

  it(`${CALLERS} concurrent requests for an expired token send exactly one refresh, and all get the same live token`, async () => {
    gitlab.accessTokenTtl = 2;
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const before = await app.secrets(account.id);
    const expiresAt = account.expiresAt ?? Infinity;
    expect(expiresAt).toBeLessThan(Date.now() + 5_000);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 100));
    expect(await gitlab.isAccessTokenActive(before.accessToken)).toBe(false);
    const tokenRequests = gitlab.tokenRequests().length;

    // Half through the core's freshToken (what every copy uses), half through the API's copy.
    const results = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) =>
        i % 2 === 0
          ? app.fixture.parts.refresher.freshToken(account.id).then((fresh) => fresh.accessToken)
          : app.api
              .copyToken({ accountId: account.id, format: 'bare' })
              .then((answer) => (ok(answer), 'copied')),
      ),
    );

    expect(gitlab.tokenRequests().length - tokenRequests).toBe(1);
    const tokens = new Set([
      ...results.filter((r) => r !== 'copied'),
      ...app.fixture.clipboard.writes,
    ]);
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).not.toBe(before.accessToken);
    expect(await userinfoStatus(gitlab, token ?? '')).toBe(200);
    const after = await app.secrets(account.id);
    expect(after.accessToken).toBe(token);
    expect(await gitlab.isRefreshTokenActive(after.refreshToken ?? '')).toBe(true);
    expect(await gitlab.isRefreshTokenActive(before.refreshToken ?? '')).toBe(false);
    expect((await app.account(account.id))?.status).toBe('ok');
  });

  it('disconnect revokes at /oauth/revoke with the client ID alone, and GitLab then refuses both tokens', async () => {
    const app = await newApp();
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const secrets = await app.secrets(account.id);
    const seen = gitlab.revocations.length;

    const answer = ok(await app.api.disconnect({ accountId: account.id }));
    expect(answer).toEqual({ accountId: account.id, revocation: { status: 'revoked' } });
    const revocations = gitlab.revocations.slice(seen);
    expect(revocations).toEqual([
      {
        form: expect.objectContaining({
          token: secrets.refreshToken,
          token_type_hint: 'refresh_token',
          client_id: gitlab.clientId,
        }) as unknown,
        status: 200,
      },
      {
        form: expect.objectContaining({
          token: secrets.accessToken,
          token_type_hint: 'access_token',
          client_id: gitlab.clientId,
        }) as unknown,
        status: 200,
      },
    ]);
    for (const { form } of revocations) expect(form.client_secret).toBeUndefined();
    expect(await gitlab.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(false);
    expect(await gitlab.isAccessTokenActive(secrets.accessToken)).toBe(false);
    expect(await userinfoStatus(gitlab, secrets.accessToken)).toBe(401);
    expect((await refreshAt(gitlab, secrets.refreshToken)).body.error).toBe('invalid_grant');
    expect(await app.accounts()).toEqual([]);
  });

  it('a confidential application sends its secret everywhere; a revocation GitLab refuses (wrong secret) is reported as not confirmed', async () => {
    const app = createProviderApp({ gitlab: confidential });
    apps.push(app);
    const save = (clientSecret: string) =>
      app.save({ presetId: 'gitlab', clientId: confidential.clientId, clientSecret });
    await save(confidential.clientSecret);
    const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const exchange = confidential.tokenRequests().at(-1);
    expect(exchange && basicCredentials(exchange)).toEqual({
      id: confidential.clientId,
      secret: confidential.clientSecret,
    });
    confidential.nextUser = 'kim';
    const { account: kim } = ok(await app.api.connect({ providerId: 'gitlab' }));
    const kimSecrets = await app.secrets(kim.id);
    expect(ok(await app.api.disconnect({ accountId: kim.id })).revocation).toEqual({
      status: 'revoked',
    });
    expect(await confidential.isRefreshTokenActive(kimSecrets.refreshToken ?? '')).toBe(false);

    // The secret stored in the app is no longer GitLab's: the revoke request is refused (401).
    const secrets = await app.secrets(account.id);
    await save('gloas-not-the-secret');
    const refused = ok(await app.api.disconnect({ accountId: account.id }));
    expect(refused.revocation).toMatchObject({ status: 'failed', error: { code: 1202 } });
    expect(confidential.revocations.at(-1)?.status).toBe(401);
    // Truthfully reported: the grant is still alive at GitLab.
    expect(await confidential.isRefreshTokenActive(secrets.refreshToken ?? '')).toBe(true);
    expect(await app.accounts()).toEqual([]);
  });

  describe('a self-managed GitLab, configured by its URL', () => {
    it('signs in, refreshes, copies and revokes at the instance only', async () => {
      // The shipped preset, not pointed at any fake: only the URL the user types.
      const app = createProviderApp({});
      apps.push(app);
      const onGitLabCom = gitlab.requests.length;
      // Typed with a trailing slash: GitLab's issuer has none, and the app keeps it that way.
      await app.save({
        presetId: 'gitlab',
        clientId: selfManaged.clientId,
        issuer: `${selfManaged.url}/`,
      });
      const { configured } = ok(await app.api.listProviders());
      expect(configured.find((p) => p.id === 'gitlab')?.issuer).toBe(selfManaged.url);
      const { account } = ok(await app.api.connect({ providerId: 'gitlab' }));
      const user = selfManaged.userFor('sidney');
      expect(account).toMatchObject({ subject: user.id, displayName: user.email, status: 'ok' });
      const authorization = app.consent.lastAuthorizationUrl;
      expect(authorization?.href.startsWith(`${selfManaged.url}/oauth/authorize?`)).toBe(true);

      const first = await app.secrets(account.id);
      ok(await app.api.refreshAccount({ accountId: account.id }));
      const second = await app.secrets(account.id);
      expect(await selfManaged.isRefreshTokenActive(first.refreshToken ?? '')).toBe(false);
      expect(await selfManaged.isAccessTokenActive(second.accessToken)).toBe(true);

      // The curl line calls the instance's API, never gitlab.com's.
      ok(await app.api.copyToken({ accountId: account.id, format: 'curl' }));
      expect(app.fixture.clipboard.writes.at(-1)).toBe(
        `curl -H 'Authorization: Bearer ${second.accessToken}' '${selfManaged.url}/api/v4/user'`,
      );

      // The same instance typed without the slash is no move; another instance is one, refused
      // while the account is there (its tokens must not follow).
      ok(
        await app.api.saveProvider({
          presetId: 'gitlab',
          clientId: selfManaged.clientId,
          issuer: selfManaged.url,
        }),
      );
      const moved = failed(
        await app.api.saveProvider({
          presetId: 'gitlab',
          clientId: selfManaged.clientId,
          issuer: 'https://gitlab.example.com',
        }),
      );
      expect(isError(moved, 'providerInUse')).toBe(true);

      const answer = ok(await app.api.disconnect({ accountId: account.id }));
      expect(answer.revocation).toEqual({ status: 'revoked' });
      expect(await selfManaged.isRefreshTokenActive(second.refreshToken ?? '')).toBe(false);
      expect(gitlab.requests.length).toBe(onGitLabCom);
      expect(selfManaged.requests.every((r) => r.path.startsWith('/gitlab/'))).toBe(true);
    });

    it('refuses an instance URL outside the URL rules (https, or http on loopback; no query or credentials)', async () => {
      const app = createProviderApp({});
      apps.push(app);
      for (const issuer of [
        'http://gitlab.example.com',
        'https://gitlab.example.com/?x=1',
        'https://user:pw@gitlab.example.com',
        'gitlab.example.com',
      ]) {
        const error = failed(
          await app.api.saveProvider({ presetId: 'gitlab', clientId: 'client', issuer }),
        );
        expect(isError(error, 'invalidField')).toBe(true);
        expect(error.validationDetail).toEqual([expect.objectContaining({ field: 'issuer' })]);
      }
      expect((await app.api.listProviders()).ok).toBe(true);
    });
  });
});
