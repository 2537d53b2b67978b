/**
 * The custom OpenID Connect preset configured with nothing but an issuer URL: the endpoints come
 * from oidc-provider's discovery document. An issuer that does not answer, answers 404, or
 * publishes metadata for another issuer or an endpoint that breaks the URL rules gives a discovery
 * error that names the issuer, before any window opens; fixing the issuer makes the next connect
 * work.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { OIDC_PUBLIC_CLIENT_ID } from '../support/oidc-server';
import { reserveFreePort } from '../support/redirect-uri';
import { failed, ok } from './core-fixture';
import { PROVIDER_ID, userinfo, type OidcApp } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

/** A loopback HTTP server answering every request with `handler`'s status and JSON body. */
const startJsonServer = async (
  handler: (origin: string, path: string) => { status: number; body?: unknown },
): Promise<{ readonly origin: string; readonly paths: string[]; stop(): Promise<void> }> => {
  const paths: string[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    paths.push(request.url ?? '');
    const { status, body } = handler(origin, request.url ?? '');
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body === undefined ? '{"error":"not found"}' : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    paths,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

describe('discovery from an issuer URL (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const stops: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });

  const newApp = (issuer?: string) => peers.newApp(issuer === undefined ? {} : { issuer });

  const expectDiscoveryFailure = async (app: OidcApp, issuer: string) => {
    const error = failed(await app.api.connect({ providerId: PROVIDER_ID }));
    expect(isError(error, 'discoveryFailed')).toBe(true);
    expect(error.group).toBe('oauth');
    expect(error.message).toContain('OpenID configuration');
    expect(error.message).toContain(issuer);
    // Nothing was shown to the user: the failure comes before the sign-in window.
    expect(app.port.requests).toHaveLength(0);
    expect(await app.accounts()).toEqual([]);
    return error;
  };

  it('connects with only the issuer configured, using the endpoints the issuer publishes', async () => {
    // A pasted issuer often ends with a slash. It is kept as typed (some issuers end in one:
    // authentik's https://host/application/o/<slug>/); for an origin like this one, discovery
    // treats both forms as the same URL, so the connect works either way.
    const app = await newApp(`${peers.server.issuer}/`);
    const configured = ok(await app.api.listProviders()).configured;
    expect(configured).toEqual([
      expect.objectContaining({
        id: PROVIDER_ID,
        presetId: 'oidc',
        issuer: `${peers.server.issuer}/`,
      }),
    ]);
    expect(configured[0]?.endpoints).toBeUndefined();
    expect(configured[0]?.redirectUri).toBe(`http://127.0.0.1/callback/${OIDC_PUBLIC_CLIENT_ID}`);

    const { account } = ok(await app.connectAs('alice'));

    const metadata = (await (
      await fetch(`${peers.server.issuer}/.well-known/openid-configuration`)
    ).json()) as { authorization_endpoint: string; token_endpoint: string };
    const opened = app.port.lastAuthorizationUrl;
    expect(`${opened?.origin ?? ''}${opened?.pathname ?? ''}`).toBe(
      metadata.authorization_endpoint,
    );
    expect(account.subject).toBe('alice');
    const { accessToken } = await app.secrets(account.id);
    expect((await userinfo(peers.server, accessToken)).body).toMatchObject({ sub: 'alice' });
  });

  it('an issuer where nothing listens fails with a discovery error; correcting the issuer fixes the connect', async () => {
    const nowhere = `http://127.0.0.1:${await reserveFreePort()}`;
    const app = await newApp(nowhere);

    await expectDiscoveryFailure(app, nowhere);

    // The user fixes the issuer: the failure was not cached, the next connect works.
    ok(
      await app.api.saveProvider({
        id: PROVIDER_ID,
        presetId: 'oidc',
        clientId: OIDC_PUBLIC_CLIENT_ID,
        issuer: peers.server.issuer,
      }),
    );
    expect(ok(await app.connectAs('alice')).account.subject).toBe('alice');
  });

  it('an issuer that answers 404 fails with a discovery error', async () => {
    const notFound = await startJsonServer(() => ({ status: 404 }));
    stops.push(() => notFound.stop());
    const app = await newApp(notFound.origin);

    const error = await expectDiscoveryFailure(app, notFound.origin);
    expect(error.message).toContain('HTTP 404');
    expect(notFound.paths).toEqual(['/.well-known/openid-configuration']);
  });

  it('metadata naming a plain-http endpoint on another host is refused before any sign-in', async () => {
    const metadata = (await (
      await fetch(`${peers.server.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    // oidc-provider's own endpoints (loopback http, allowed), but the token endpoint on a host
    // off this machine over plain http: the code, verifier and client secret would cross the
    // network in clear.
    const server = await startJsonServer((origin) => ({
      status: 200,
      body: { ...metadata, issuer: origin, token_endpoint: 'http://idp.example.test/token' },
    }));
    stops.push(() => server.stop());
    const app = await newApp(server.origin);
    peers.server.resetCounts();

    const error = await expectDiscoveryFailure(app, server.origin);
    expect(error.message).toMatch(/token_endpoint must be an https URL/);
    expect(peers.server.counts.authorizationRequests).toBe(0);
  });

  it('metadata that names another issuer is refused (mix-up defence)', async () => {
    const metadata = (await (
      await fetch(`${peers.server.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    // A server republishing oidc-provider's document: every endpoint real, the issuer not its own.
    const impostor = await startJsonServer(() => ({ status: 200, body: metadata }));
    stops.push(() => impostor.stop());
    const app = await newApp(impostor.origin);
    peers.server.resetCounts();

    const error = await expectDiscoveryFailure(app, impostor.origin);
    expect(error.traces?.join(' ')).toContain('issuer');
    expect(peers.server.counts.authorizationRequests).toBe(0);
  });
});
