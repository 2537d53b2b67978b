/**
 * Token inspection through the API, as the window asks: an account's access token or ID token is
 * decoded in main and answered as header and claims, never as the token or its signature; an
 * opaque one says so, and where the provider has an introspection endpoint (RFC 7662) its answer
 * comes without the token, even when the provider echoes it.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isError } from '../../../../shared/errors';
import { createRs256Signer } from '../../../support/rs256-signer';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';
import type { TinyRequest } from '../../helpers/tiny-http-server';
import {
  CLIENT_ID,
  SUBJECT,
  startTinyIdentityServer,
  type TinyIdentityServer,
} from '../oauth/tiny-identity-server';

const signer = createRs256Signer();
const NOW_S = Math.floor(Date.now() / 1000);
const ACCESS_CLAIMS = {
  iss: 'https://idp.example',
  sub: 'user-1',
  aud: ['https://api.example', 'tokendesk-test'],
  scp: 'read write',
  iat: NOW_S,
  nbf: NOW_S,
  exp: NOW_S + 3600,
  jti: 'jwt-id-1',
};
const JWT_ACCESS = signer.sign(ACCESS_CLAIMS);
const JWT_SIGNATURE = JWT_ACCESS.split('.')[2]!;
const OPAQUE_ACCESS = 'opaque-access-token-7f3a9c';
const REFRESH = 'refresh-token-inspection-1';

let provider: TinyOAuthProvider;
let f: ApiFixture;

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
beforeEach(() => {
  f = createApiFixture({ consent: scriptedConsent(answerWithCode('code-1')) });
});
afterEach(() => {
  f.dispose();
  provider.reset();
});

/** An account of the local OAuth 2.0 provider (static endpoints) whose access token is `token`. */
const connectWith = async (token: string): Promise<string> => {
  provider.script.code = () =>
    tokenReply({ access_token: token, refresh_token: REFRESH, scope: 'read' });
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  return ok(await f.api.connect({ providerId: 'local' })).account.id;
};

/** The same provider configured by its issuer: discovery names its introspection endpoint. */
const connectByIssuer = async (
  token: string,
  clientSecret?: string,
): Promise<{ accountId: string }> => {
  provider.script.code = () =>
    tokenReply({ access_token: token, refresh_token: REFRESH, scope: 'read' });
  ok(
    await f.api.saveProvider({
      id: 'by-issuer',
      presetId: 'oidc',
      clientId: 'tokendesk-test',
      // With a secret, a public preset's client becomes confidential (HTTP Basic).
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      issuer: provider.issuer,
      // No openid: no ID token, the user-info endpoint says who it is.
      scopes: ['read'],
    }),
  );
  return { accountId: ok(await f.api.connect({ providerId: 'by-issuer' })).account.id };
};

const introspections = (): TinyRequest[] =>
  provider.server.requests.filter((request) => request.path === '/introspect');

describe('an access token that is a JWT', () => {
  it('is answered as its header, its claims and their summary, in local epoch ms', async () => {
    const accountId = await connectWith(JWT_ACCESS);
    const inspection = ok(await f.api.inspectToken({ accountId, which: 'access' }));
    expect(inspection).toEqual({
      accountId,
      which: 'access',
      kind: 'jwt',
      header: { alg: 'RS256', typ: 'JWT', kid: signer.kid },
      claims: ACCESS_CLAIMS,
      issuer: 'https://idp.example',
      subject: 'user-1',
      audience: ['https://api.example', 'tokendesk-test'],
      scopes: ['read', 'write'],
      issuedAt: NOW_S * 1000,
      notBefore: NOW_S * 1000,
      expiresAt: (NOW_S + 3600) * 1000,
      // Static endpoints: the provider names no introspection endpoint.
      canIntrospect: false,
    });
  });

  it('never carries the token, its signature or the refresh token', async () => {
    const accountId = await connectWith(JWT_ACCESS);
    const text = JSON.stringify(await f.api.inspectToken({ accountId, which: 'access' }));
    expect(text).not.toContain(JWT_ACCESS);
    expect(text).not.toContain(JWT_SIGNATURE);
    expect(text).not.toContain(REFRESH);
  });

  it('is read as held: inspecting asks the provider nothing and refreshes nothing', async () => {
    const accountId = await connectWith(JWT_ACCESS);
    provider.server.requests.length = 0;
    ok(await f.api.inspectToken({ accountId, which: 'access' }));
    expect(provider.server.requests).toEqual([]);
  });
});

describe('an opaque access token', () => {
  it('says it is opaque, with nothing decoded and no problem', async () => {
    const accountId = await connectWith(OPAQUE_ACCESS);
    const inspection = ok(await f.api.inspectToken({ accountId, which: 'access' }));
    expect(inspection).toEqual({
      accountId,
      which: 'access',
      kind: 'opaque',
      canIntrospect: false,
    });
    expect(JSON.stringify(inspection)).not.toContain(OPAQUE_ACCESS);
  });

  it('with the shape of a JWT that does not decode, says it is not a JWT and why', async () => {
    const malformed = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from('[1,2]').toString('base64url')}.c2ln`;
    const accountId = await connectWith(malformed);
    const inspection = ok(await f.api.inspectToken({ accountId, which: 'access' }));
    expect(inspection).toMatchObject({
      kind: 'opaque',
      problem: 'not a JWT: the payload is an array, not a JSON object',
    });
    expect(JSON.stringify(inspection)).not.toContain(malformed);
  });

  it('cannot be introspected at a provider that names no introspection endpoint', async () => {
    const accountId = await connectWith(OPAQUE_ACCESS);
    const error = failed(await f.api.introspectToken({ accountId }));
    expect(isError(error, 'introspectionUnavailable')).toBe(true);
    expect(error.message).toContain('names no introspection endpoint');
    expect(introspections()).toEqual([]);
  });
});

describe('the ID token', () => {
  it('is absent for an OAuth 2.0 provider, which issues none', async () => {
    const accountId = await connectWith(OPAQUE_ACCESS);
    expect(ok(await f.api.inspectToken({ accountId, which: 'id' }))).toEqual({
      accountId,
      which: 'id',
      kind: 'absent',
      canIntrospect: false,
    });
  });

  describe('of an OpenID Connect provider', () => {
    let idp: TinyIdentityServer;
    let oidc: ApiFixture;
    let idToken: string | undefined;

    beforeAll(async () => {
      idp = await startTinyIdentityServer({
        issuerPath: '/realms/work',
        paths: {
          authorization: '/realms/work/auth',
          token: '/realms/work/token',
          userinfo: '/realms/work/userinfo',
        },
      });
    });
    afterAll(() => idp.close());
    afterEach(() => oidc.dispose());

    it('is answered as its claims (sub, iss, aud, nonce), never as the token', async () => {
      idp.idTokenClaims = { email: 'ada@example.test' };
      const handler = idp.server.handler;
      // Keeps the ID token the provider issued, to look for it in the answer.
      idp.server.handler = (request) => {
        const reply = handler(request);
        const body = reply.json as { id_token?: string } | undefined;
        if (body?.id_token !== undefined) idToken = body.id_token;
        return reply;
      };
      oidc = createApiFixture({ consent: scriptedConsent(idp.consent()) });
      ok(
        await oidc.api.saveProvider({
          id: 'work',
          presetId: 'oidc',
          clientId: CLIENT_ID,
          issuer: idp.issuer,
          scopes: ['openid', 'email'],
        }),
      );
      const { account } = ok(await oidc.api.connect({ providerId: 'work' }));
      const inspection = ok(await oidc.api.inspectToken({ accountId: account.id, which: 'id' }));
      expect(inspection).toMatchObject({
        kind: 'jwt',
        header: { alg: 'RS256' },
        claims: { sub: SUBJECT, iss: idp.issuer, aud: CLIENT_ID, email: 'ada@example.test' },
        subject: SUBJECT,
        issuer: idp.issuer,
        audience: [CLIENT_ID],
        canIntrospect: false,
      });
      expect(typeof (inspection.claims as { nonce?: unknown }).nonce).toBe('string');
      expect(idToken).toBeDefined();
      const text = JSON.stringify(inspection);
      expect(text).not.toContain(idToken!);
      expect(text).not.toContain(idToken!.split('.')[2]!);
      // The access token of the same account is opaque here.
      expect(ok(await oidc.api.inspectToken({ accountId: account.id, which: 'access' })).kind).toBe(
        'opaque',
      );
    });
  });
});

describe('introspection (RFC 7662)', () => {
  it('is offered where discovery names the endpoint, and answers active and the claims', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    expect(ok(await f.api.inspectToken({ accountId, which: 'access' }))).toMatchObject({
      kind: 'opaque',
      canIntrospect: true,
    });
    const answer = ok(await f.api.introspectToken({ accountId }));
    expect(answer).toEqual({
      accountId,
      active: true,
      claims: { scope: 'read', client_id: 'tokendesk-test', sub: 'user-1' },
    });
    const [request] = introspections();
    expect(request?.form).toMatchObject({
      token: OPAQUE_ACCESS,
      token_type_hint: 'access_token',
      client_id: 'tokendesk-test',
    });
  });

  it('drops every member that carries the token, even nested, when the provider echoes it', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    provider.script.introspect = (request) => ({
      status: 200,
      json: {
        active: true,
        token: request.form.token,
        sub: 'user-1',
        ext: { original: `Bearer ${request.form.token}`, refresh: REFRESH, kept: 'yes' },
      },
    });
    const answer = ok(await f.api.introspectToken({ accountId }));
    expect(answer.claims).toEqual({ sub: 'user-1', ext: { kept: 'yes' } });
    const text = JSON.stringify(answer);
    expect(text).not.toContain(OPAQUE_ACCESS);
    expect(text).not.toContain(REFRESH);
  });

  it('answers inactive as the provider says', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    provider.script.introspect = () => ({ status: 200, json: { active: false } });
    expect(ok(await f.api.introspectToken({ accountId }))).toEqual({
      accountId,
      active: false,
      claims: {},
    });
  });

  it('authenticates the client as configured (HTTP Basic with the client secret)', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS, 'introspection-client-secret');
    ok(await f.api.introspectToken({ accountId }));
    const [request] = introspections();
    const basic = Buffer.from(
      (request?.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    ).toString();
    // Each side form-encoded, as RFC 6749 §2.3.1 has it.
    expect(basic.split(':').map(decodeURIComponent)).toEqual([
      'tokendesk-test',
      'introspection-client-secret',
    ]);
  });

  it('says the provider refused, in its words with the token masked, and why that happens', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    provider.script.introspect = (request) =>
      oauthError(401, 'invalid_client', `client may not introspect ${request.form.token}`);
    const error = failed(await f.api.introspectToken({ accountId }));
    expect(isError(error, 'introspectionFailed')).toBe(true);
    expect(error.message).toContain('invalid_client');
    expect(error.message).toContain('confidential clients');
    expect(JSON.stringify(error)).not.toContain(OPAQUE_ACCESS);
  });

  it('says so when the answer is not an introspection response', async () => {
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    provider.script.introspect = () => ({ status: 200, json: { sub: 'user-1' } });
    const error = failed(await f.api.introspectToken({ accountId }));
    expect(isError(error, 'introspectionFailed')).toBe(true);
    expect(error.message).toContain('not an introspection response');
  });

  it('is not offered, and sends nothing, where the endpoint breaks the URL rules', async () => {
    provider.script.discovery = (document) => ({
      status: 200,
      json: { ...document, introspection_endpoint: 'http://introspect.example/introspect' },
    });
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    expect(ok(await f.api.inspectToken({ accountId, which: 'access' })).canIntrospect).toBe(false);
    const error = failed(await f.api.introspectToken({ accountId }));
    expect(isError(error, 'discoveryFailed')).toBe(true);
    expect(error.message).toContain('introspection_endpoint must be an https URL');
  });

  it('is offered where the typed endpoints name one, and asks there with the client secret', async () => {
    provider.script.code = () =>
      tokenReply({ access_token: OPAQUE_ACCESS, refresh_token: REFRESH, scope: 'read' });
    ok(
      await f.api.saveProvider({
        id: 'typed',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: 'typed-client-secret',
        scopes: ['read'],
        endpoints: { ...provider.endpoints, introspection: provider.introspectionEndpoint },
      }),
    );
    const accountId = ok(await f.api.connect({ providerId: 'typed' })).account.id;
    expect(ok(await f.api.inspectToken({ accountId, which: 'access' })).canIntrospect).toBe(true);
    expect(ok(await f.api.introspectToken({ accountId })).active).toBe(true);
    // The custom OAuth 2.0 preset authenticates with client_secret_post.
    expect(introspections().map((request) => request.form)).toEqual([
      expect.objectContaining({
        token: OPAQUE_ACCESS,
        client_id: 'tokendesk-test',
        client_secret: 'typed-client-secret',
      }),
    ]);
  });

  it('is not offered where discovery names no endpoint', async () => {
    provider.script.discovery = ({ introspection_endpoint: _omitted, ...document }) => ({
      status: 200,
      json: document,
    });
    const { accountId } = await connectByIssuer(OPAQUE_ACCESS);
    expect(ok(await f.api.inspectToken({ accountId, which: 'access' })).canIntrospect).toBe(false);
    expect(
      isError(failed(await f.api.introspectToken({ accountId })), 'introspectionUnavailable'),
    ).toBe(true);
  });
});

describe('an account that is not there', () => {
  it('is accountNotFound for both channels', async () => {
    expect(
      isError(
        failed(await f.api.inspectToken({ accountId: 'nobody', which: 'access' })),
        'accountNotFound',
      ),
    ).toBe(true);
    expect(
      isError(failed(await f.api.introspectToken({ accountId: 'nobody' })), 'accountNotFound'),
    ).toBe(true);
  });
});
