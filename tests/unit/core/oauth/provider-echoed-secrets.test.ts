/**
 * A token endpoint that quotes the secret it refused in its error text (legacy Spring Security
 * OAuth answers `Invalid refresh token: <the token>`) must not get that secret into what the
 * user sees: the error the API answers, the account's `lastError` (stored in clear) and the
 * account lists pushed to the renderer. The provider's words stay, with the secret masked.
 * Through the real core and API, against a local provider; the secrets are deliberately short
 * ("rt-1"), which no token-shape rule would catch.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import {
  answerWithCode,
  answerWithParams,
  scriptedConsent,
  type ConsentAnswer,
} from '../../helpers/scripted-consent';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const REFRESH_TOKEN = 'rt-1';
const CODE = 'ac-1';
const CLIENT_SECRET = 'cs-1';

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

const setUp = async (
  answer: ConsentAnswer = answerWithCode(CODE),
): Promise<{ fixture: ApiFixture; pushed: unknown[] }> => {
  provider.script.code = () =>
    tokenReply({ access_token: 'at-1', refresh_token: REFRESH_TOKEN, scope: 'read' });
  const fixture = createApiFixture({ consent: scriptedConsent(answer) });
  f = fixture;
  const pushed: unknown[] = [];
  fixture.core.events.on('accountsChanged', (accounts) => pushed.push(accounts));
  ok(
    await fixture.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: CLIENT_SECRET,
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  return { fixture, pushed };
};

/** Everything the renderer or the clear-text store could show of the failure. */
const visible = async (fixture: ApiFixture, error: unknown, pushed: unknown[]): Promise<string> =>
  JSON.stringify({
    error,
    accounts: await fixture.api.listAccounts(),
    pushed,
    // The secrets are sealed by the test secret box (standard base64: no "-" in it), so any
    // "rt-1" here would be clear text.
    store: fixture.kv.store,
  });

describe('a provider that echoes the secret it refused', () => {
  it('refresh: "Invalid refresh token: rt-1" reaches the user as "Invalid refresh token: [redacted]"', async () => {
    const { fixture, pushed } = await setUp();
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    provider.script.refresh = (request) =>
      oauthError(400, 'invalid_grant', `Invalid refresh token: ${request.form.refresh_token}`);

    const error = failed(await fixture.api.refreshAccount({ accountId: account.id }));

    // The token really was sent, and echoed: the test saw the leak it guards against.
    expect(provider.server.requests.at(-1)?.form.refresh_token).toBe(REFRESH_TOKEN);
    expect(isError(error, 'reconnectNeeded')).toBe(true);
    expect(error.message).toBe(
      'The provider refused the refresh token (invalid_grant: Invalid refresh token: [redacted]): reconnect the account.',
    );
    const listed = ok(await fixture.api.listAccounts()).find((a) => a.id === account.id);
    expect(listed?.lastError?.message).toBe(error.message);
    expect(await visible(fixture, error, pushed)).not.toContain(REFRESH_TOKEN);
  });

  it('connect: a refused code and verifier quoted back are masked in the connect error', async () => {
    const { fixture, pushed } = await setUp();
    let verifier = '';
    provider.script.code = (request) => {
      verifier = request.form.code_verifier ?? '';
      return oauthError(
        400,
        'invalid_grant',
        `Authorization code ${request.form.code} does not match code_verifier ${verifier}`,
      );
    };

    const error = failed(await fixture.api.connect({ providerId: 'local' }));

    expect(verifier.length).toBeGreaterThanOrEqual(43);
    expect(isError(error, 'invalidAuthorizationCode')).toBe(true);
    expect(error.message).toBe(
      'The provider rejected the authorization code (invalid_grant: Authorization code [redacted] does not match code_verifier [redacted]).',
    );
    const shown = await visible(fixture, error, pushed);
    expect(shown).not.toContain(CODE);
    expect(shown).not.toContain(verifier);
  });

  it('refresh: a client secret quoted back in invalid_client is masked', async () => {
    const { fixture, pushed } = await setUp();
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    provider.script.refresh = (request) =>
      oauthError(401, 'invalid_client', `Bad client credentials: ${request.form.client_secret}`);

    const error = failed(await fixture.api.refreshAccount({ accountId: account.id }));

    expect(provider.server.requests.at(-1)?.form.client_secret).toBe(CLIENT_SECRET);
    expect(isError(error, 'invalidClient')).toBe(true);
    expect(error.message).toContain('(invalid_client: Bad client credentials: [redacted])');
    expect(await visible(fixture, error, pushed)).not.toContain(CLIENT_SECRET);
  });

  it('a token the app never sent, but shaped like one (a UUID refresh token), is masked too', async () => {
    const { fixture, pushed } = await setUp();
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    const other = '1f0c6a4e-8b7d-4c2a-9e3f-5a6b7c8d9e0f';
    provider.script.refresh = () =>
      oauthError(400, 'invalid_grant', `Invalid refresh token: ${other}`);

    const error = failed(await fixture.api.refreshAccount({ accountId: account.id }));

    expect(error.message).toContain('Invalid refresh token: [redacted]');
    expect(await visible(fixture, error, pushed)).not.toContain(other);
  });

  it('connect: a secret quoted in the error the provider redirects back with is masked', async () => {
    const echoed = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';
    const { fixture, pushed } = await setUp(
      answerWithParams({
        error: 'invalid_request',
        error_description: `client ${CLIENT_SECRET} may not ask for id_token_hint ${echoed}`,
      }),
    );

    const error = failed(await fixture.api.connect({ providerId: 'local' }));

    expect(error).toMatchObject({ group: 'consent' });
    expect(error.message).toContain('invalid_request: client [redacted] may not ask');
    const shown = await visible(fixture, error, pushed);
    expect(shown).not.toContain(CLIENT_SECRET);
    expect(shown).not.toContain(echoed);
  });

  it('masks too when the token endpoint was typed differently from how it is fetched', async () => {
    // oauth4webapi fetches the endpoint's normalised href ("/./token" becomes "/token"): the
    // answer must still be recognised as the token endpoint's.
    const { fixture, pushed } = await setUp();
    ok(
      await fixture.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: CLIENT_SECRET,
        scopes: ['read'],
        endpoints: {
          ...provider.endpoints,
          token: provider.endpoints.token.replace('/token', '/./token'),
        },
      }),
    );
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    provider.script.refresh = (request) =>
      oauthError(400, 'invalid_grant', `Invalid refresh token: ${request.form.refresh_token}`);

    const error = failed(await fixture.api.refreshAccount({ accountId: account.id }));

    expect(error.message).toContain('Invalid refresh token: [redacted]');
    expect(await visible(fixture, error, pushed)).not.toContain(REFRESH_TOKEN);
  });
});
