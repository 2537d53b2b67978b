/**
 * Token inspection against oidc-provider: the ID token of a real sign-in is answered as its
 * claims (sub, iss, aud) without the token or its signature; the access token, opaque at this
 * server, says so, and the provider's introspection endpoint (RFC 7662, named by discovery)
 * answers active, then inactive once the token is revoked. A provider set up with typed endpoints
 * (the custom OAuth 2.0 preset) introspects where its "Introspection endpoint" says, and without
 * one says the provider offers none.
 */
import { describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import type { Endpoints } from '../../shared/providers';
import { OIDC_CONFIDENTIAL_CLIENT, OIDC_PUBLIC_CLIENT_ID } from '../support/oidc-server';
import { failed, ok } from './core-fixture';
import { revokeBehindTheAppsBack } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

describe('inspecting the tokens of an OpenID Connect account (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: false });
  const { newApp } = peers;

  it('shows the ID token’s claims, never the token or its signature', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('alice'));
    const { idToken } = await app.secrets(account.id);
    expect(idToken).toBeDefined();

    const inspection = ok(await app.api.inspectToken({ accountId: account.id, which: 'id' }));

    expect(inspection).toMatchObject({
      accountId: account.id,
      which: 'id',
      kind: 'jwt',
      header: { alg: 'RS256', kid: `test-${peers.server.port}` },
      claims: { sub: 'alice', iss: peers.server.issuer, aud: OIDC_PUBLIC_CLIENT_ID },
      subject: 'alice',
      issuer: peers.server.issuer,
      audience: [OIDC_PUBLIC_CLIENT_ID],
      canIntrospect: true,
    });
    const { issuedAt, expiresAt } = inspection;
    expect(issuedAt).toBeLessThanOrEqual(Date.now());
    // oidc-provider's ID tokens last an hour (tests/support/oidc-server.ts).
    expect((expiresAt ?? 0) - (issuedAt ?? 0)).toBe(3600 * 1000);
    const text = JSON.stringify(inspection);
    expect(text).not.toContain(idToken!);
    expect(text).not.toContain(idToken!.split('.')[2]!);
  });

  it('says the access token is opaque, and the provider answers active, then inactive once revoked', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('bob'));
    const { accessToken, refreshToken } = await app.secrets(account.id);

    const inspection = ok(await app.api.inspectToken({ accountId: account.id, which: 'access' }));
    expect(inspection).toEqual({
      accountId: account.id,
      which: 'access',
      kind: 'opaque',
      canIntrospect: true,
    });

    const active = ok(await app.api.introspectToken({ accountId: account.id }));
    expect(active).toMatchObject({
      accountId: account.id,
      active: true,
      claims: { sub: 'bob', client_id: OIDC_PUBLIC_CLIENT_ID, iss: peers.server.issuer },
    });
    expect((active.claims.scope as string).split(' ')).toContain('openid');
    const text = JSON.stringify(active);
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(refreshToken ?? 'no refresh token');

    // Revoked elsewhere (an admin, another client): the provider now says so.
    await revokeBehindTheAppsBack(peers.server, accessToken, 'access_token');
    expect(ok(await app.api.introspectToken({ accountId: account.id }))).toEqual({
      accountId: account.id,
      active: false,
      claims: {},
    });
  });

  it('after a disconnect the account is gone, and the provider calls its token inactive', async () => {
    const app = await newApp();
    const { account } = ok(await app.connectAs('carol'));
    const { accessToken } = await app.secrets(account.id);
    expect(ok(await app.api.introspectToken({ accountId: account.id })).active).toBe(true);

    expect(ok(await app.api.disconnect({ accountId: account.id })).revocation.status).toBe(
      'revoked',
    );

    expect(
      isError(failed(await app.api.introspectToken({ accountId: account.id })), 'accountNotFound'),
    ).toBe(true);
    expect(await peers.server.isAccessTokenActive(accessToken)).toBe(false);
  });

  /** oidc-provider's endpoints as its discovery document names them, typed as a user would. */
  const typedEndpoints = async (withIntrospection: boolean): Promise<Endpoints> => {
    const response = await fetch(`${peers.server.issuer}/.well-known/openid-configuration`);
    const metadata = (await response.json()) as Record<string, string>;
    expect(metadata.introspection_endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    return {
      authorization: metadata.authorization_endpoint!,
      token: metadata.token_endpoint!,
      ...(withIntrospection ? { introspection: metadata.introspection_endpoint! } : {}),
    };
  };

  /** The custom OAuth 2.0 preset for the server's confidential client (client_secret_post). */
  const typedApp = async (withIntrospection: boolean) =>
    newApp({
      typed: {
        clientId: OIDC_CONFIDENTIAL_CLIENT.clientId,
        clientSecret: OIDC_CONFIDENTIAL_CLIENT.clientSecret,
        endpoints: await typedEndpoints(withIntrospection),
        scopes: ['openid'],
      },
    });

  it('a provider of typed endpoints asks the introspection endpoint typed for it: active', async () => {
    const app = await typedApp(true);
    const { account } = ok(await app.connectAs('erin'));
    const { accessToken } = await app.secrets(account.id);

    expect(
      ok(await app.api.inspectToken({ accountId: account.id, which: 'access' })),
    ).toMatchObject({ kind: 'opaque', canIntrospect: true });
    const active = ok(await app.api.introspectToken({ accountId: account.id }));

    // The answer is the server's own: it knows the user and the client that authenticated.
    expect(active).toMatchObject({
      accountId: account.id,
      active: true,
      claims: { sub: 'erin', client_id: OIDC_CONFIDENTIAL_CLIENT.clientId },
    });
    expect(await peers.server.isAccessTokenActive(accessToken)).toBe(true);
    const text = JSON.stringify(active);
    expect(text).not.toContain(accessToken);
    expect(text).not.toContain(OIDC_CONFIDENTIAL_CLIENT.clientSecret);
    expect(peers.server.events).toEqual([]);
  });

  it('the same provider without an introspection endpoint says it offers none, naming it', async () => {
    const app = await typedApp(false);
    const { account } = ok(await app.connectAs('frank'));
    const [provider] = ok(await app.api.listProviders()).configured;

    expect(
      ok(await app.api.inspectToken({ accountId: account.id, which: 'access' })),
    ).toMatchObject({ kind: 'opaque', canIntrospect: false });
    const error = failed(await app.api.introspectToken({ accountId: account.id }));

    expect(isError(error, 'introspectionUnavailable')).toBe(true);
    expect(error.message).toContain(`${provider!.label} names no introspection endpoint`);
  });
});
