/**
 * How a token answer becomes the account's tokens. Expiry: a lifetime of zero seconds is a token
 * already expired (RFC 6749 §5.1), not one that never expires; only a missing `expires_in` means
 * "no expiry given". Characters: an access token with anything but visible ASCII is refused,
 * so it never reaches the store, a header or the clipboard.
 */
import type * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toTokenSet } from '../../../../main/core/oauth/token-set';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import type { TinyRequest } from '../../helpers/tiny-http-server';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const NOW = 1_700_000_000_000;

const answer = (fields: Partial<oauth.TokenEndpointResponse>): oauth.TokenEndpointResponse => ({
  access_token: 'at-1',
  token_type: 'bearer',
  ...fields,
});

describe('toTokenSet expiry', () => {
  it('expires_in: 0 with a refresh token expires at the moment it was obtained', () => {
    const tokens = toTokenSet(answer({ expires_in: 0, refresh_token: 'rt' }), NOW);
    expect(tokens.expiresAt).toBe(NOW);
    expect(tokens.obtainedAt).toBe(NOW);
  });

  it('expires_in: 0 without a refresh token does not expire (VK, older Spring servers)', () => {
    // Read as "expired", such an account could never be used: nothing can renew it.
    expect(toTokenSet(answer({ expires_in: 0 }), NOW).expiresAt).toBeNull();
  });

  it('expires_in: 3600 expires an hour later', () => {
    expect(toTokenSet(answer({ expires_in: 3600 }), NOW).expiresAt).toBe(NOW + 3_600_000);
  });

  it('no expires_in: the token does not expire', () => {
    expect(toTokenSet(answer({}), NOW).expiresAt).toBeNull();
  });
});

/**
 * A hostile or broken provider's access token with control characters: pasted from "Copy →
 * curl" into an interactive shell, `\x1b[201~` ends bracketed paste, Ctrl-U clears the line and
 * CR runs what follows. Such an answer is refused as a whole, before anything is stored.
 */
const HOSTILE = 'x\x1b[201~\x15touch /tmp/tokendesk-pwned\r';
const REFUSAL = 'characters a token cannot have (spaces or control characters)';

describe('toTokenSet refuses an access token with characters a token cannot have', () => {
  it.each([
    ['an ESC sequence, Ctrl-U and CR', HOSTILE],
    ['a space', 'abc def'],
    ['a leading space', ' abc'],
    ['a trailing newline', 'abc\n'],
    ['a tab', 'abc\tdef'],
    ['a NUL', 'abc\x00'],
    ['a DEL', 'abc\x7f'],
    ['a C1 control (8-bit CSI)', 'abc\x9b201~'],
    ['a non-ASCII letter', 'abcé'],
    ['a line separator', 'abc\u2028'],
  ])('%s', (_what, accessToken) => {
    expect(() => toTokenSet(answer({ access_token: accessToken }), NOW)).toThrow(
      `the provider issued an access token with ${REFUSAL}`,
    );
  });

  it('the refusal never quotes the token', () => {
    let message = '';
    try {
      toTokenSet(answer({ access_token: HOSTILE }), NOW);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('touch');
  });

  it('accepts every visible ASCII character (RFC 6749 VSCHAR without the space)', () => {
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) =>
      String.fromCharCode(0x21 + i),
    ).join('');
    for (const accessToken of [
      visible,
      'ya29.a0AfH6SMBx-_~+/=',
      'gho_16C7e42F292c6912E7710c838347Ae178B4a',
      'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
      'a"b\\c\'d$(e)`f`;g|h&i',
    ]) {
      expect(toTokenSet(answer({ access_token: accessToken }), NOW).accessToken).toBe(accessToken);
    }
  });
});

let provider: TinyOAuthProvider;
const fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
  provider.reset();
});

const connectedFixture = async (): Promise<{ f: ApiFixture; accountId: string }> => {
  const f = createApiFixture({ consent: scriptedConsent(answerWithCode()) });
  fixtures.push(f);
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  const { account } = ok(await f.api.connect({ providerId: 'local' }));
  return { f, accountId: account.id };
};

const refreshRequests = (): TinyRequest[] =>
  provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token');

/** Nothing but printable ASCII and the JSON format's own line breaks. */
const CLIPBOARD_SAFE = /^[\x20-\x7e\n]*$/;

describe('a token answer with control characters, through the API', () => {
  it('a refresh fails cleanly: reconnect needed, never retried with the spent token, old token kept', async () => {
    const { f, accountId } = await connectedFixture();
    provider.script.refresh = () =>
      tokenReply({ access_token: HOSTILE, refresh_token: 'refresh-token-2', scope: 'read' });

    const error = failed(await f.api.refreshAccount({ accountId }));
    // A rotating server has spent refresh-token-1 already: retrying it would count as reuse.
    expect(error).toMatchObject({ group: 'refresh', code: 0 });
    expect(error.message).toBe(
      `The provider answered the refresh with something Tokendesk cannot use: the provider issued an access token with ${REFUSAL}. Reconnect the account.`,
    );
    expect(JSON.stringify(error)).not.toContain('touch');
    expect(refreshRequests()).toHaveLength(1);

    const [account] = ok(await f.api.listAccounts());
    expect(account).toMatchObject({
      id: accountId,
      status: 'reconnect-needed',
      lastError: { group: 'refresh', code: 0 },
    });
    expect(JSON.stringify(account)).not.toContain('touch');

    // The old access token, still valid, is still the one handed out, in every format.
    for (const format of ['bare', 'header', 'curl', 'json'] as const) {
      ok(await f.api.copyToken({ accountId, format }));
    }
    expect(f.clipboard.writes[0]).toBe('access-token-1');
    for (const text of f.clipboard.writes) {
      expect(text).toMatch(CLIPBOARD_SAFE);
      expect(text).not.toContain('touch');
    }
    expect(refreshRequests()).toHaveLength(1);
  });

  it('a code exchange fails cleanly: oauth/1200 with a clear message, no account', async () => {
    provider.script.code = () =>
      tokenReply({ access_token: HOSTILE, refresh_token: 'refresh-token-1', scope: 'read' });
    const f = createApiFixture({ consent: scriptedConsent(answerWithCode()) });
    fixtures.push(f);
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: 'local-client-secret',
        endpoints: provider.endpoints,
      }),
    );
    const error = failed(await f.api.connect({ providerId: 'local' }));
    expect(error).toMatchObject({ group: 'oauth', code: 1200 });
    expect(error.message).toBe(
      `The token exchange failed: the provider issued an access token with ${REFUSAL}.`,
    );
    expect(JSON.stringify(error)).not.toContain('touch');
    expect(ok(await f.api.listAccounts())).toEqual([]);
    expect(f.clipboard.writes).toEqual([]);
  });
});
