/**
 * An OpenID Connect configuration whose scopes leave out `openid` gets no ID token back. The app
 * then sends no nonce (a nonce would make the exchange demand an ID token) and identifies the
 * account through user-info.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
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

const connectWith = async (scopes: string[]) => {
  f?.dispose();
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
  return f.api.connect({ providerId: 'idp' });
};

describe('custom OpenID Connect without the openid scope', () => {
  it('connects, sending no nonce, and names the account from user-info', async () => {
    // No openid asked for: the server issues no ID token.
    idp.idTokenClaims = null;
    const { account } = ok(await connectWith(['profile', 'offline_access']));
    expect(account).toMatchObject({
      status: 'ok',
      subject: SUBJECT,
      displayName: 'user@example.test',
    });
    expect(idp.authorizations.at(-1)?.searchParams.has('nonce')).toBe(false);
  });

  it('with openid, still sends a nonce and checks the ID token echoes it', async () => {
    ok(await connectWith(['openid', 'profile']));
    expect(idp.authorizations.at(-1)?.searchParams.get('nonce')).toMatch(/^[\w-]{32,}$/);

    idp.idTokenClaims = { nonce: 'not-the-one-sent' };
    const refused = await connectWith(['openid', 'profile']);
    expect(refused.ok).toBe(false);
  });
});
