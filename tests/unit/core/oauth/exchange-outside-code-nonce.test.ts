/**
 * The nonce of an ID token, by where the code came from:
 * - a code obtained outside the app (the `exchange` API): its ID token's nonce answers a request
 *   Tokendesk never saw, so it is not compared; the rest of the ID token still is;
 * - the app's own connect: the ID token must carry the nonce sent, and none when none was sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { scriptedConsent } from '../../helpers/scripted-consent';
import { SUBJECT, startTinyIdentityServer, type TinyIdentityServer } from './tiny-identity-server';

let idp: TinyIdentityServer;
let f: ApiFixture | undefined;

beforeAll(async () => {
  idp = await startTinyIdentityServer({
    issuerPath: '/idp',
    paths: { authorization: '/idp/authorize', token: '/idp/token', userinfo: '/idp/userinfo' },
  });
});
afterAll(() => idp.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  idp.idTokenClaims = {};
});

const app = async (scopes: string[] = ['openid', 'email']): Promise<ApiFixture> => {
  f = createApiFixture({ consent: scriptedConsent(idp.consent()) });
  ok(
    await f.api.saveProvider({
      id: 'idp',
      presetId: 'oidc',
      clientId: idp.clientId,
      issuer: idp.issuer,
      scopes,
    }),
  );
  return f;
};

describe('exchange({ provider, code }) of a code obtained outside the app', () => {
  it('succeeds when the ID token carries the nonce of the client that obtained the code', async () => {
    idp.idTokenClaims = { nonce: 'sent-by-another-client', email: 'ada@example.test' };
    const { api } = await app();
    const answer = ok(await api.exchange({ provider: 'idp', code: 'outside-code' }));
    expect(answer).toMatchObject({ success: true, token: 'access-token-1' });
    expect(ok(await api.listAccounts())[0]).toMatchObject({
      subject: SUBJECT,
      displayName: 'ada@example.test',
    });
  });

  it('succeeds when the ID token carries no nonce', async () => {
    idp.idTokenClaims = { email: 'ada@example.test' };
    const { api } = await app();
    expect(ok(await api.exchange({ provider: 'idp', code: 'outside-code' })).success).toBe(true);
  });

  it('still refuses an ID token issued to another client', async () => {
    idp.idTokenClaims = { nonce: 'sent-by-another-client', aud: 'another-client' };
    const { api } = await app();
    const error = failed(await api.exchange({ provider: 'idp', code: 'outside-code' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“aud” claim/);
  });
});

describe('the app’s own connect', () => {
  it('refuses an ID token whose nonce is not the one sent', async () => {
    idp.idTokenClaims = { nonce: 'replayed-from-elsewhere' };
    const { api } = await app();
    const error = failed(await api.connect({ providerId: 'idp' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“nonce” claim/);
  });

  it('refuses an ID token with a nonce when it sent none (no openid scope)', async () => {
    idp.idTokenClaims = { nonce: 'replayed-from-elsewhere' };
    const { api } = await app(['profile']);
    const error = failed(await api.connect({ providerId: 'idp' }));
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toMatch(/“nonce” claim/);
  });
});
