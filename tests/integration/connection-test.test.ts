/**
 * "Test connection" against a real oidc-provider: a working provider passes both steps, and each
 * way a company network breaks it is named where it broke — the name (DNS), TLS (a private CA
 * this machine does not trust, naming it once trusted elsewhere), the HTTP answer (a URL that is
 * not a token endpoint). Nothing is saved by a test, and no secret is sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionTest } from '../../shared/model';
import { OIDC_PUBLIC_CLIENT_ID, startOidcServer, type OidcServer } from '../support/oidc-server';
import { createTestPki, pkiUnavailable, type TestPki } from '../support/test-pki';
import { createCoreFixture, failed, ok, type CoreFixture } from './core-fixture';

const noConsent = {
  begin: () => Promise.reject(new Error('no consent in connection tests')),
};

let plain: OidcServer;
let secure: OidcServer | undefined;
let pki: TestPki | undefined;
let notOAuth: Server;
let notOAuthUrl: string;
let fixture: CoreFixture;
const sentBodies: string[] = [];

beforeAll(async () => {
  plain = await startOidcServer({ rotateRefreshToken: false });
  if (pkiUnavailable() === undefined) {
    pki = createTestPki('Connection Test');
    secure = await startOidcServer({
      rotateRefreshToken: false,
      tls: { cert: pki.serverCert, key: pki.serverKey, host: 'localhost' },
    });
  }
  notOAuth = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
  });
  await new Promise<void>((resolve) => notOAuth.listen(0, '127.0.0.1', resolve));
  notOAuthUrl = `http://127.0.0.1:${(notOAuth.address() as AddressInfo).port}`;
  fixture = createCoreFixture(noConsent, {
    keepFresh: false,
    // What the app sends, as sent: a test must carry no secret.
    fetch: (input, init) => {
      const body = init?.body;
      const text = typeof body === 'string' || body instanceof URLSearchParams ? String(body) : '';
      sentBodies.push(`${text} ${JSON.stringify(init?.headers ?? {})}`);
      return fetch(input, init);
    },
  });
});

afterAll(async () => {
  fixture.dispose();
  await plain.stop();
  await secure?.stop();
  pki?.dispose();
  await new Promise((resolve) => notOAuth.close(resolve));
});

const test = async (input: Record<string, unknown>): Promise<ConnectionTest> =>
  ok(
    await fixture.api.testConnection({
      presetId: 'oidc',
      clientId: OIDC_PUBLIC_CLIENT_ID,
      ...input,
    } as never),
  );

describe('Test connection', () => {
  it('passes both steps against a working provider, sending no secret and saving nothing', async () => {
    sentBodies.length = 0;
    // The form leaves the secret out; one given all the same is not sent.
    const passed = await test({ issuer: plain.issuer, clientSecret: 'never-sent-by-a-test' });
    expect(passed.ok).toBe(true);
    expect(passed.checks.map((check) => [check.step, check.ok])).toEqual([
      ['discovery', true],
      ['token-endpoint', true],
    ]);
    expect(passed.checks[1]!.message).toMatch(/HTTP 400 “invalid_grant”/);
    expect(sentBodies).toHaveLength(2);
    expect(sentBodies[1]).toMatch(/code=tokendesk-connection-test/);
    expect(sentBodies.join()).not.toMatch(/never-sent-by-a-test|client_secret/);
    expect(ok(await fixture.api.listProviders()).configured).toEqual([]);
  });

  it('names the name lookup when the issuer’s host does not resolve', async () => {
    const result = await test({ issuer: 'https://idp.tokendesk-does-not-exist.invalid' });
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      expect.objectContaining({
        step: 'discovery',
        ok: false,
        place: 'dns',
      }),
    ]);
    expect(result.checks[0]!.message).toMatch(
      /^the name idp\.tokendesk-does-not-exist\.invalid could not be resolved/,
    );
  });

  it('names TLS when the provider’s certificate comes from a CA this machine does not trust', async (context) => {
    if (!secure) {
      console.log(`[connection-test] TLS case skipped: ${pkiUnavailable()}`);
      context.skip();
      return;
    }
    const result = await test({ issuer: secure.issuer });
    expect(result.checks[0]).toMatchObject({ step: 'discovery', ok: false, place: 'tls' });
    expect(result.checks[0]!.message).toMatch(/^the certificate of localhost:\d+ is not trusted/);
  });

  it('names the HTTP answer when the token endpoint is not one', async () => {
    const result = await test({
      presetId: 'oauth2',
      endpoints: {
        authorization: `${plain.issuer}/auth`,
        token: `${notOAuthUrl}/oauth/token`,
      },
    });
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      expect.objectContaining({
        step: 'token-endpoint',
        ok: false,
        place: 'http',
        message:
          'The token endpoint answered HTTP 404 without an OAuth error: is this the token endpoint?',
      }),
    ]);
  });

  it('names the connection when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await test({ issuer: `http://127.0.0.1:${port}` });
    expect(result.checks[0]).toMatchObject({ ok: false, place: 'connection' });
    expect(result.checks[0]!.message).toMatch(/refused the connection/);
  });

  it('refuses a form the save would refuse, naming the field', async () => {
    const error = failed(
      await fixture.api.testConnection({
        presetId: 'oidc',
        clientId: 'x',
        issuer: 'http://idp.example.com',
      }),
    );
    expect(error.group).toBe('request');
    expect(error.validationDetail?.[0]?.field).toBe('issuer');
  });
});
