/**
 * An ID token with `sub` but no email already says whose account this is; user-info is only asked
 * for a better name. When user-info fails (an HTTP error, the network, an unreadable answer) the
 * connect still succeeds with the ID token's identity. A user-info answer about another subject
 * still fails the connect: it would mean the tokens are not what they seem.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../../main/core/http/http-client';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { scriptedConsent } from '../../helpers/scripted-consent';
import type { TinyReply } from '../../helpers/tiny-http-server';
import { SUBJECT, startTinyIdentityServer, type TinyIdentityServer } from './tiny-identity-server';

let idp: TinyIdentityServer;
let f: ApiFixture | undefined;
const defaultUserinfo = () => idp.userinfo;
let restoreUserinfo: TinyIdentityServer['userinfo'];

beforeAll(async () => {
  idp = await startTinyIdentityServer({
    issuerPath: '/idp',
    paths: { authorization: '/idp/authorize', token: '/idp/token', userinfo: '/idp/userinfo' },
  });
  restoreUserinfo = defaultUserinfo();
});
afterAll(() => idp.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  idp.userinfo = restoreUserinfo;
});

const connect = async (options: { fetch?: FetchLike } = {}) => {
  // An ID token that names the user but carries no email (Entra, Keycloak without the email scope).
  idp.idTokenClaims = { preferred_username: 'ada' };
  f = createApiFixture({ consent: scriptedConsent(idp.consent()), ...options });
  ok(
    await f.api.saveProvider({
      id: 'idp',
      presetId: 'oidc',
      clientId: idp.clientId,
      issuer: idp.issuer,
      scopes: ['openid', 'profile'],
    }),
  );
  return f.api.connect({ providerId: 'idp' });
};

describe('identity from an ID token without email when user-info fails', () => {
  it.each<[string, TinyReply]>([
    ['HTTP 500', { status: 500, text: 'internal error' }],
    ['HTTP 401', { status: 401, json: { error: 'invalid_token' } }],
    ['an HTML page', { status: 200, text: '<html>sign in</html>' }],
    ['JSON without sub', { status: 200, json: { email: 'ada@example.test' } }],
  ])('connects with the ID token’s identity when user-info answers %s', async (_name, reply) => {
    idp.userinfo = () => reply;
    const { account } = ok(await connect());
    expect(account).toMatchObject({ status: 'ok', subject: SUBJECT, displayName: 'ada' });
  });

  it('connects with the ID token’s identity when user-info cannot be reached', async () => {
    const offline: FetchLike = (input, init) =>
      (input instanceof Request ? input.url : input.toString()).endsWith('/idp/userinfo')
        ? Promise.reject(new TypeError('fetch failed'))
        : fetch(input, init);
    const { account } = ok(await connect({ fetch: offline }));
    expect(account).toMatchObject({ status: 'ok', subject: SUBJECT, displayName: 'ada' });
  });

  it('uses user-info’s email when it answers', async () => {
    const { account } = ok(await connect());
    expect(account).toMatchObject({ subject: SUBJECT, displayName: 'user@example.test' });
  });

  it('fails when user-info answers about another subject', async () => {
    idp.userinfo = () => ({
      status: 200,
      json: { sub: 'someone-else', email: 'eve@example.test' },
    });
    const error = failed(await connect());
    expect(isError(error, 'identityFailed')).toBe(true);
    expect(f?.parts.repo.accounts()).toEqual([]);
  });
});
