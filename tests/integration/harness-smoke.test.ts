/**
 * Proves the test harness itself, without the app's core: real Chromium drives oidc-provider's
 * login and consent pages, oauth4webapi does the protocol, and each fake provider shows the quirk
 * the app's tests rely on. If this file fails, fix tests/support before blaming the app.
 */
import * as oauth from 'oauth4webapi';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsentAborted, type ConsentRequest } from '../../main/core/ports';
import {
  createBrowserConsentPort,
  EVIL_ISSUER,
  type ConsentScript,
} from '../support/browser-consent-port';
import { launchChromium } from '../support/chromium';
import { startFakeGitHub } from '../support/fake-github';
import { startFakeGoogle } from '../support/fake-google';
import { startFakeMicrosoft } from '../support/fake-microsoft';
import { createHttpConsentPort } from '../support/http-consent-port';
import { OIDC_PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../support/oidc-server';
import {
  createFailingSecretBox,
  createTestSecretBox,
  TEST_SECRET_PREFIX,
} from '../support/test-secret-box';

const insecure = { [oauth.allowInsecureRequests]: true } as const;

const consentRequest = (
  providerId: string,
  mode: ConsentRequest['mode'] = 'embedded',
  signal: AbortSignal = new AbortController().signal,
  redirectHost: ConsentRequest['redirectHost'] = '127.0.0.1',
): ConsentRequest => ({
  providerId,
  mode,
  redirectHost,
  callbackPath: `/callback/${providerId}`,
  signal,
});

const discover = async (issuer: string): Promise<oauth.AuthorizationServer> => {
  const url = new URL(issuer);
  return oauth.processDiscoveryResponse(url, await oauth.discoveryRequest(url, insecure));
};

interface Attempt {
  readonly callback: URL;
  readonly redirectUri: string;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

/** One authorization through a consent port, built by hand as the core would. */
const authorizeWith = async (
  port: ReturnType<typeof createBrowserConsentPort> | ReturnType<typeof createHttpConsentPort>,
  as: oauth.AuthorizationServer,
  clientId: string,
  request: ConsentRequest,
  extra: Readonly<Record<string, string>> = {},
  scope = 'openid offline_access profile email',
): Promise<Attempt> => {
  const session = await port.begin(request);
  try {
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint ?? '');
    url.search = new URLSearchParams({
      client_id: clientId,
      redirect_uri: session.redirectUri,
      response_type: 'code',
      scope,
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    }).toString();
    const callback = await session.authorize(url);
    return { callback, redirectUri: session.redirectUri, verifier, state, nonce };
  } finally {
    await session.close();
  }
};

describe('oidc-provider driven through real Chromium', () => {
  let browser: Browser;
  let server: OidcServer;
  let as: oauth.AuthorizationServer;
  const client: oauth.Client = { client_id: OIDC_PUBLIC_CLIENT_ID };

  beforeAll(async () => {
    [browser, server] = await Promise.all([
      launchChromium(),
      startOidcServer({ rotateRefreshToken: true }),
    ]);
    as = await discover(server.issuer);
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const connect = (
    script: ConsentScript,
    mode: ConsentRequest['mode'] = 'embedded',
    signal?: AbortSignal,
  ) =>
    authorizeWith(
      createBrowserConsentPort(browser, script),
      as,
      client.client_id,
      consentRequest(OIDC_PUBLIC_CLIENT_ID, mode, signal),
      {
        prompt: 'consent',
      },
    );

  it('logs in, consents, exchanges the code and refreshes with rotation', async () => {
    server.resetCounts();
    const attempt = await connect({ login: 'alice' });
    expect(attempt.callback.searchParams.get('iss')).toBe(server.issuer);
    const params = oauth.validateAuthResponse(as, client, attempt.callback, attempt.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      attempt.redirectUri,
      attempt.verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: attempt.nonce,
    });
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('alice');
    expect(tokens.refresh_token).toBeTypeOf('string');
    expect(server.counts.authorizationCodeRequests).toBe(1);
    expect(await server.isAccessTokenActive(tokens.access_token)).toBe(true);

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.None(),
        tokens.refresh_token ?? '',
        insecure,
      ),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(await server.isRefreshTokenActive(tokens.refresh_token ?? '')).toBe(false);
    expect(await server.isRefreshTokenActive(refreshed.refresh_token ?? '')).toBe(true);

    // Reusing the spent refresh token is refused, counted, and kills the whole grant.
    const reuse = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      tokens.refresh_token ?? '',
      insecure,
    );
    expect(reuse.status).toBe(400);
    expect(server.counts.refreshRequests).toBe(2);
    expect(await server.isAccessTokenActive(refreshed.access_token)).toBe(false);
    expect(server.events.some((e) => e.startsWith('grant.error: invalid_grant'))).toBe(true);
  });

  it('deny gives error=access_denied with iss, through a system-browser redirect with a port', async () => {
    const attempt = await connect({ login: 'bob', action: 'deny' }, 'system-browser');
    expect(new URL(attempt.redirectUri).port).not.toBe('');
    expect(attempt.callback.searchParams.get('error')).toBe('access_denied');
    expect(attempt.callback.searchParams.get('iss')).toBe(server.issuer);
    expect(() => oauth.validateAuthResponse(as, client, attempt.callback, attempt.state)).toThrow(
      oauth.AuthorizationResponseError,
    );
  });

  it('tampers with iss and state, closes and hangs on request', async () => {
    const evil = await connect({ login: 'carol', action: 'tamper-iss' });
    expect(evil.callback.searchParams.get('iss')).toBe(EVIL_ISSUER);
    expect(() => oauth.validateAuthResponse(as, client, evil.callback, evil.state)).toThrow();

    const forged = await connect({ login: 'carol', action: 'tamper-state' });
    expect(() => oauth.validateAuthResponse(as, client, forged.callback, forged.state)).toThrow();

    await expect(connect({ login: 'dave', action: 'close' })).rejects.toEqual(
      new ConsentAborted('closed'),
    );

    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    await expect(
      connect({ login: 'erin', action: 'hang' }, 'embedded', controller.signal),
    ).rejects.toEqual(new ConsentAborted('cancelled'));
  });
});

describe('fake providers', () => {
  it('google: PKCE + client secret exchange, refresh without a new refresh token', async () => {
    const google = await startFakeGoogle();
    try {
      const as = await discover(google.url);
      const client: oauth.Client = { client_id: google.clientId };
      const port = createHttpConsentPort();
      const attempt = await authorizeWith(
        port,
        as,
        google.clientId,
        consentRequest('google', 'system-browser'),
        {
          access_type: 'offline',
          prompt: 'consent',
        },
        'openid email profile',
      );
      expect(google.authorizationRequests[0]).toMatchObject({
        access_type: 'offline',
        prompt: 'consent',
        code_challenge_method: 'S256',
      });
      const params = oauth.validateAuthResponse(as, client, attempt.callback, attempt.state);

      // Without the secret Google refuses even with PKCE.
      const noSecret = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        oauth.None(),
        params,
        attempt.redirectUri,
        attempt.verifier,
        insecure,
      );
      expect(noSecret.status).toBe(400);
      expect(await noSecret.json()).toMatchObject({ error: 'invalid_request' });

      // That attempt did not spend the code (client auth fails first).
      const tokens = await oauth.processAuthorizationCodeResponse(
        as,
        client,
        await oauth.authorizationCodeGrantRequest(
          as,
          client,
          oauth.ClientSecretPost(google.clientSecret),
          params,
          attempt.redirectUri,
          attempt.verifier,
          insecure,
        ),
        { expectedNonce: attempt.nonce },
      );
      expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(google.userFor('alice').sub);
      expect(tokens.scope).toContain('https://www.googleapis.com/auth/userinfo.email');
      const refreshed = await oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(
          as,
          client,
          oauth.ClientSecretPost(google.clientSecret),
          tokens.refresh_token ?? '',
          insecure,
        ),
      );
      expect(refreshed.refresh_token).toBeUndefined();
      expect(await google.isRefreshTokenActive(tokens.refresh_token ?? '')).toBe(true);

      const revoke = await fetch(google.endpoints.revocation, {
        method: 'POST',
        body: new URLSearchParams({ token: tokens.refresh_token ?? '' }),
      });
      expect(revoke.status).toBe(200);
      expect(await google.isAccessTokenActive(refreshed.access_token)).toBe(false);
    } finally {
      await google.stop();
    }
  });

  it('github: form-encoded answers without Accept JSON, errors with HTTP 200, rotation kills the old pair', async () => {
    const github = await startFakeGitHub({ expiring: true });
    try {
      const post = (fields: Record<string, string>, accept?: string) =>
        fetch(github.endpoints.token, {
          method: 'POST',
          headers: accept === undefined ? {} : { accept },
          body: new URLSearchParams({
            client_id: github.clientId,
            client_secret: github.clientSecret,
            ...fields,
          }),
        });
      const form = await post({ code: github.createCode('octocat') });
      expect(form.status).toBe(200);
      expect(form.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
      const fields = new URLSearchParams(await form.text());
      expect(fields.get('access_token')).toMatch(/^ghu_/);

      const bad = await post({ code: 'nope' }, 'application/json');
      expect(bad.status).toBe(200);
      expect(await bad.json()).toMatchObject({ error: 'bad_verification_code' });
      expect(github.tokenResponseFormats).toEqual(['form', 'json']);

      const refreshed = new URLSearchParams(
        await (
          await post({
            grant_type: 'refresh_token',
            refresh_token: fields.get('refresh_token') ?? '',
          })
        ).text(),
      );
      expect(refreshed.get('refresh_token')).toMatch(/^ghr_/);
      expect(await github.isAccessTokenActive(fields.get('access_token') ?? '')).toBe(false);
      const reuse = await post(
        { grant_type: 'refresh_token', refresh_token: fields.get('refresh_token') ?? '' },
        'application/json',
      );
      expect(await reuse.json()).toMatchObject({ error: 'bad_refresh_token' });

      const user = await fetch(github.endpoints.user, {
        headers: { authorization: `Bearer ${refreshed.get('access_token') ?? ''}` },
      });
      expect(await user.json()).toMatchObject({ id: 12345, login: 'octocat' });
    } finally {
      await github.stop();
    }
  });

  it('microsoft: refuses an Origin header, issues with the user tenant as iss', async () => {
    const entra = await startFakeMicrosoft();
    try {
      const endpoints = entra.endpointsFor('common');
      const discovery = (await (await fetch(endpoints.discovery)).json()) as { issuer: string };
      expect(discovery.issuer).toContain('{tenantid}');
      const code = entra.createCode('adele', {
        redirectUri: 'http://localhost:5000/callback/microsoft',
      });
      const body = new URLSearchParams({
        client_id: entra.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'http://localhost:5000/callback/microsoft',
      });
      const fromRenderer = await fetch(endpoints.token, {
        method: 'POST',
        headers: { origin: 'http://localhost:5173' },
        body,
      });
      expect(fromRenderer.status).toBe(400);
      expect(await fromRenderer.text()).toContain('AADSTS9002326');
      const ok = (await (await fetch(endpoints.token, { method: 'POST', body })).json()) as {
        id_token: string;
        refresh_token?: string;
      };
      expect(ok.refresh_token).toBeTypeOf('string');
      const claims = JSON.parse(
        Buffer.from(ok.id_token.split('.')[1] ?? '', 'base64url').toString(),
      ) as { iss: string; email?: string };
      expect(claims.iss).toBe(entra.idTokenIssuerFor('common'));
      expect(claims.email).toBeUndefined();
    } finally {
      await entra.stop();
    }
  });

  it('faults: truncated and hanging token responses fail the request', async () => {
    const google = await startFakeGoogle();
    try {
      const body = () =>
        new URLSearchParams({
          client_id: google.clientId,
          client_secret: google.clientSecret,
          grant_type: 'refresh_token',
          refresh_token: 'x',
        });
      google.fault = 'truncated';
      google.faultOnce = true;
      await expect(
        fetch(google.endpoints.token, { method: 'POST', body: body() }).then((r) => r.text()),
      ).rejects.toThrow();
      expect(google.fault).toBeNull();
      google.fault = 'hang';
      await expect(
        fetch(google.endpoints.token, {
          method: 'POST',
          body: body(),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toThrow();
      google.fault = '500';
      expect((await fetch(google.endpoints.token, { method: 'POST', body: body() })).status).toBe(
        500,
      );
    } finally {
      await google.stop();
    }
  });

  it('secret boxes: AES round trip and an unreadable box', () => {
    const box = createTestSecretBox();
    const sealed = box.encrypt('s3cret');
    expect(sealed.startsWith(TEST_SECRET_PREFIX)).toBe(true);
    expect(sealed).not.toContain('s3cret');
    expect(box.decrypt(sealed)).toBe('s3cret');
    expect(() => createTestSecretBox().decrypt(sealed)).toThrow();
    expect(() => createFailingSecretBox().decrypt(sealed)).toThrow();
  });
});
