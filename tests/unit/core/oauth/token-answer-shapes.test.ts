/**
 * Token answers whose shape is unusual but whose meaning is clear, through the real core and API
 * against a local provider:
 * - optional members sent as null or "" (Jackson-style serializers) mean "not given": the
 *   tokens are used, the account keeps its refresh token and scopes;
 * - an answer that arrived whole as JSON but cannot be used is the provider's error: it is not
 *   retried (a rotating server would take the retry as reuse of the refresh token), while an
 *   answer that could not be read at all (a captive portal's page, broken JSON) still is;
 * - `expires_in: 0` is a token that has already expired, refreshed before it is handed out;
 * - a lifetime counts from when the request left: a slow answer makes a token look shorter-lived,
 *   never longer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import type { TinyReply, TinyRequest } from '../../helpers/tiny-http-server';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

let provider: TinyOAuthProvider;
let f: ApiFixture | undefined;

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  provider.reset();
});

const connected = async () => {
  const fixture = createApiFixture({ consent: scriptedConsent(answerWithCode()) });
  f = fixture;
  ok(
    await fixture.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
  return { fixture, account };
};

const refreshRequests = (): TinyRequest[] =>
  provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token');

describe('optional members sent as null or ""', () => {
  it.each([
    ['null', null],
    ['""', ''],
  ])(
    'a refresh answer with refresh_token, scope, expires_in, id_token … = %s is used, the refresh token kept',
    async (_label, empty) => {
      const { fixture, account } = await connected();
      provider.script.refresh = () =>
        tokenReply({
          access_token: 'access-token-2',
          refresh_token: empty,
          scope: empty,
          expires_in: empty,
          id_token: empty,
          refresh_token_expires_in: empty,
        });

      const refreshed = ok(await fixture.api.refreshAccount({ accountId: account.id }));

      expect(refreshed).toMatchObject({ status: 'ok', canRefresh: true, scopes: ['read'] });
      // No lifetime given: shown as not expiring, not as expired.
      expect(refreshed.expiresAt).toBeNull();
      expect(refreshRequests()).toHaveLength(1);
      ok(await fixture.api.copyToken({ accountId: account.id, format: 'bare' }));
      expect(await fixture.clipboard.readText()).toBe('access-token-2');
      // The refresh token the provider did not replace is the one the app goes on using.
      ok(await fixture.api.refreshAccount({ accountId: account.id }));
      expect(refreshRequests().map((r) => r.form.refresh_token)).toEqual([
        'refresh-token-1',
        'refresh-token-1',
      ]);
    },
  );

  it('a code exchange answered with refresh_token: null and expires_in: null connects the account', async () => {
    provider.script.code = () =>
      tokenReply({
        access_token: 'access-token-1',
        refresh_token: null,
        expires_in: null,
        scope: null,
      });
    const { account } = await connected();
    expect(account).toMatchObject({
      status: 'ok',
      canRefresh: false,
      expiresAt: null,
      scopes: ['read'],
    });
  });
});

describe('a refresh answer that arrived whole but is not a usable token answer', () => {
  /** A server that rotates refresh tokens and revokes the grant when a spent one comes back. */
  const rotating = (firstAnswer: (request: TinyRequest) => TinyReply) => {
    const spent = new Set<string>();
    let answered = 0;
    return (request: TinyRequest): TinyReply => {
      const sent = request.form.refresh_token ?? '';
      if (spent.has(sent)) return oauthError(400, 'invalid_grant', 'Refresh token reuse detected.');
      spent.add(sent);
      answered += 1;
      return answered === 1
        ? firstAnswer(request)
        : tokenReply({
            access_token: `access-token-r${answered}`,
            refresh_token: `rt-${answered}`,
          });
    };
  };

  it('is reported as the provider’s error, not retried, and the account does not need reconnecting', async () => {
    const { fixture, account } = await connected();
    // New tokens, but an expires_in no reading can make a number of.
    provider.script.refresh = rotating(() =>
      tokenReply({ access_token: 'access-token-2', refresh_token: 'rt-2', expires_in: 'soon' }),
    );

    const error = failed(await fixture.api.refreshAccount({ accountId: account.id }));

    expect(refreshRequests()).toHaveLength(1);
    expect(isError(error, 'refreshFailed')).toBe(true);
    expect(error.message).toBe(
      "The refresh failed: the provider's answer was not a valid token response.",
    );
    expect(error.traces?.join(' ')).toContain('expires_in');
    const listed = ok(await fixture.api.listAccounts()).find((a) => a.id === account.id);
    expect(listed).toMatchObject({ status: 'error', canRefresh: true });
  });

  it.each([
    ['a captive portal’s HTML page', { status: 200, text: '<html><form>Sign in</form></html>' }],
    [
      'JSON that does not parse',
      {
        status: 200,
        text: '{"access_token": "access-',
        headers: { 'content-type': 'application/json' },
      },
    ],
  ] satisfies Array<[string, TinyReply]>)(
    'still counts as lost when it could not be read: %s is retried once',
    async (_label, reply) => {
      const { fixture, account } = await connected();
      let calls = 0;
      provider.script.refresh = () => {
        calls += 1;
        return calls === 1 ? reply : tokenReply({ access_token: 'access-token-2' });
      };

      const refreshed = ok(await fixture.api.refreshAccount({ accountId: account.id }));

      expect(refreshed.status).toBe('ok');
      expect(refreshRequests()).toHaveLength(2);
    },
  );
});

describe('expires_in: 0', () => {
  it('is a token already expired: shown with its expiry, and refreshed before it is copied', async () => {
    provider.script.code = () =>
      tokenReply({
        access_token: 'access-token-1',
        refresh_token: 'refresh-token-1',
        expires_in: 0,
      });
    const { fixture, account } = await connected();
    expect(account.expiresAt).toBe(account.obtainedAt);

    ok(await fixture.api.copyToken({ accountId: account.id, format: 'bare' }));

    expect(refreshRequests()).toHaveLength(1);
    expect(await fixture.clipboard.readText()).toBe('access-token-2');
  });
});

describe('a slow answer', () => {
  it('counts the token’s lifetime from when the request left', async () => {
    const clock = new FakeClock(Date.now());
    const fixture = createApiFixture({
      consent: scriptedConsent(answerWithCode()),
      clock,
      // The answer takes ten seconds to come back.
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        clock.sleep(10_000);
        return response;
      },
    });
    f = fixture;
    ok(
      await fixture.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        scopes: ['read'],
        endpoints: provider.endpoints,
      }),
    );
    const sentAt = clock.now();
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    expect(account.expiresAt).toBe(sentAt + 3_600_000);

    const refreshSentAt = clock.now();
    const refreshed = ok(await fixture.api.refreshAccount({ accountId: account.id }));
    expect(refreshed.expiresAt).toBe(refreshSentAt + 3_600_000);
  });
});
