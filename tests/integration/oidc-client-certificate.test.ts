/**
 * Client certificates (mTLS) per provider, against a real oidc-provider behind an HTTPS front
 * that demands a certificate signed by the test's own CA (a company's gateway): the token,
 * revocation and user-info endpoints are on the front, the sign-in pages on the server itself
 * (a browser has no client certificate to give). The app's fetch for other providers is
 * stood in for by Node's TLS trusting the test CA (Electron's net.fetch in the app); the test CA
 * is handed to the core explicitly, never to the whole process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeTlsFetch } from '../../main/core/http/client-certificate-fetch';
import { isError } from '../../shared/errors';
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy';
import { startMtlsFront, type MtlsFront } from '../support/mtls-front';
import { createTestPki, pkiUnavailable, type TestPki } from '../support/test-pki';
import { createCapturingLogger } from '../unit/helpers/capturing-logger';
import { failed, ok } from './core-fixture';
import { PROVIDER_ID, type OidcApp, type OidcAppOptions } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

const skipReason = pkiUnavailable();

/** The PEM body of a key or certificate, without its armour: what must never leak. */
const pemBody = (pem: string): string =>
  pem
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'))
    .join('');

describe.skipIf(skipReason !== undefined)('client certificates (mTLS) per provider', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  let pki: TestPki;
  let stranger: TestPki;
  let front: MtlsFront;
  const baseFetches: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    pki = createTestPki();
    // Another CA's client certificate, whose key belongs to no certificate of the first.
    stranger = createTestPki('Stranger');
    front = await startMtlsFront(pki, peers.server.issuer);
  });
  afterAll(async () => {
    await front.stop();
    await Promise.all(baseFetches.map((fetch) => fetch.close()));
    pki.dispose();
    stranger.dispose();
  });

  /** An app whose requests trust the test CA, without a client certificate of their own. */
  const newApp = (options: OidcAppOptions = {}): Promise<OidcApp> => {
    const base = createNodeTlsFetch({ extraCaCertificates: [pki.caCert] });
    baseFetches.push(base);
    return peers.newApp({ fetch: base.fetch, extraCaCertificates: [pki.caCert], ...options });
  };

  /** The provider's token, revocation and user-info endpoints moved onto the mTLS front. */
  const behindFront = (certificate?: { cert: string; key: string }) => ({
    id: PROVIDER_ID,
    presetId: 'oidc' as const,
    clientId: PROVIDER_ID,
    issuer: peers.server.issuer,
    endpoints: {
      authorization: `${peers.server.issuer}/auth`,
      token: `${front.url}/token`,
      revocation: `${front.url}/token/revocation`,
      userinfo: `${front.url}/me`,
    },
    ...(certificate
      ? { clientCertificate: certificate.cert, clientPrivateKey: certificate.key }
      : {}),
  });

  const tokenRequestsAtFront = () =>
    front.requests.filter((request) => request.path === '/token' && request.method === 'POST');

  it('with the certificate configured, connect and refresh go through the front, which saw the client certificate', async () => {
    const app = await newApp();
    const saved = ok(
      await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: pki.clientKey })),
    );
    // What the form shows: read in main from the certificate, never the key.
    expect(saved.clientCertificate).toMatchObject({
      subject: `CN=${pki.clientName}`,
      issuer: `CN=${pki.caName}`,
      hasPrivateKey: true,
    });
    expect(saved.clientCertificate?.validTo).toBeGreaterThan(Date.now());
    const before = tokenRequestsAtFront().length;
    peers.server.resetCounts();

    const { account } = ok(await app.connectAs('alice'));
    const first = await app.secrets(account.id);
    const refreshed = ok(await app.api.refreshAccount({ accountId: account.id }));
    expect(refreshed.status).toBe('ok');
    const second = await app.secrets(account.id);
    expect(second.accessToken).not.toBe(first.accessToken);

    // The exchange and the refresh both reached the provider through the front, with the
    // certificate of the test's client.
    expect(peers.server.counts.authorizationCodeRequests).toBe(1);
    expect(peers.server.counts.refreshRequests).toBe(1);
    expect(tokenRequestsAtFront().slice(before)).toEqual([
      { method: 'POST', path: '/token', clientCertificate: pki.clientName },
      { method: 'POST', path: '/token', clientCertificate: pki.clientName },
    ]);
    expect(await peers.server.isAccessTokenActive(second.accessToken)).toBe(true);

    // Disconnect revokes at the front's revocation endpoint, with the certificate too.
    const { revocation } = ok(await app.api.disconnect({ accountId: account.id }));
    expect(revocation.status).toBe('revoked');
    expect(front.requests.at(-1)).toEqual({
      method: 'POST',
      path: '/token/revocation',
      clientCertificate: pki.clientName,
    });
    expect(await peers.server.isRefreshTokenActive(second.refreshToken ?? '')).toBe(false);
  });

  it('without a certificate the front refuses the handshake: a clear TLS error, and nothing changes', async () => {
    const app = await newApp();
    ok(await app.api.saveProvider(behindFront()));
    peers.server.resetCounts();
    const refusedBefore = front.refusedHandshakes.length;

    const error = failed(await app.connectAs('bob'));
    expect(isError(error, 'clientCertificateRejected')).toBe(true);
    expect(error.message).toMatch(/asks for a client certificate \(mTLS\), and none was presented/);
    expect(front.refusedHandshakes.length).toBeGreaterThan(refusedBefore);
    expect(peers.server.counts.tokenRequests).toBe(0);
    expect(await app.accounts()).toEqual([]);

    // An account connected with the certificate, whose certificate is then removed: its refresh
    // is refused at the handshake, and its tokens stay as they were.
    ok(await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: pki.clientKey })));
    const { account } = ok(await app.connectAs('bob'));
    const held = await app.secrets(account.id);
    const removed = ok(await app.api.saveProvider({ ...behindFront(), clientCertificate: null }));
    expect(removed.clientCertificate).toBeUndefined();
    peers.server.resetCounts();

    const refusal = failed(await app.api.refreshAccount({ accountId: account.id }));
    expect(isError(refusal, 'clientCertificateRejected')).toBe(true);
    expect(peers.server.counts.tokenRequests).toBe(0);
    expect(await app.secrets(account.id)).toEqual(held);
    expect(await peers.server.isRefreshTokenActive(held.refreshToken ?? '')).toBe(true);
  });

  it('refuses at save a key that is not the certificate’s, naming the field, and stores nothing', async () => {
    const app = await newApp();
    const error = failed(
      await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: stranger.clientKey })),
    );
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(
      error.validationDetail?.map(({ field, expression }) => `${field}/${expression}`),
    ).toEqual(['clientPrivateKey/rule']);
    expect(error.validationDetail?.[0]?.reason).toMatch(
      /is not the private key of the certificate/,
    );
    expect(JSON.stringify(error)).not.toContain(pemBody(stranger.clientKey).slice(0, 40));
    const [provider] = ok(await app.api.listProviders()).configured;
    expect(provider?.clientCertificate).toBeUndefined();
    expect(provider?.endpoints).toBeUndefined();
  });

  it('the private key never reaches the renderer’s view, an export, the store file in clear or the log', async () => {
    const logger = createCapturingLogger();
    const app = await newApp({ logger });
    ok(await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: pki.clientKey })));
    const { account } = ok(await app.connectAs('carol'));
    ok(await app.api.refreshAccount({ accountId: account.id }));
    // A failure logged along the way must not carry it either.
    failed(await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: 'no key' })));

    const keyPart = pemBody(pki.clientKey).slice(40, 120);
    const listing = JSON.stringify(ok(await app.api.listProviders()));
    const exported = ok(await app.api.exportProviders({})).json;
    expect(listing).not.toContain(keyPart);
    expect(exported).not.toContain(keyPart);
    // Nor the certificate: it is the person's own, not part of a shared setup.
    expect(exported).not.toContain(pemBody(pki.clientCert).slice(40, 120));
    expect(await app.storeText()).not.toContain(keyPart);
    expect(logger.dump()).not.toContain(keyPart);

    // An import carrying a key or a certificate is refused, naming the field, and changes nothing.
    const setup = JSON.parse(exported) as { providers: Record<string, unknown>[] };
    for (const [name, value] of [
      ['clientPrivateKey', pki.clientKey],
      ['clientCertificate', pki.clientCert],
    ] as const) {
      const text = JSON.stringify({
        ...setup,
        providers: [{ ...setup.providers[0], [name]: value }],
      });
      const refused = failed(await app.api.importProviders({ text, replace: [PROVIDER_ID] }));
      expect(refused.validationDetail).toEqual([
        expect.objectContaining({ field: `providers.0.${name}`, expression: 'secret' }),
      ]);
      expect(JSON.stringify(refused)).not.toContain(keyPart);
    }
    const [still] = ok(await app.api.listProviders()).configured;
    expect(still?.clientCertificate?.hasPrivateKey).toBe(true);
  });

  describe('through the system proxy', () => {
    let proxy: ConnectProxy;
    beforeAll(async () => {
      proxy = await startConnectProxy();
    });
    afterAll(() => proxy.stop());

    it('sends the mTLS requests through the HTTP CONNECT proxy resolveProxy names', async () => {
      const asked: string[] = [];
      const app = await newApp({
        resolveProxy: (url) => {
          asked.push(url);
          return Promise.resolve(`PROXY 127.0.0.1:${proxy.port}; DIRECT`);
        },
      });
      ok(await app.api.saveProvider(behindFront({ cert: pki.clientCert, key: pki.clientKey })));
      const before = tokenRequestsAtFront().length;

      const { account } = ok(await app.connectAs('dave'));
      ok(await app.api.refreshAccount({ accountId: account.id }));

      expect(asked.filter((url) => url === `${front.url}/token`)).toHaveLength(2);
      expect(proxy.tunnels).toContain(`127.0.0.1:${front.port}`);
      // Inside the tunnel the TLS is end to end: the front still saw the client certificate.
      expect(tokenRequestsAtFront().slice(before)).toEqual([
        { method: 'POST', path: '/token', clientCertificate: pki.clientName },
        { method: 'POST', path: '/token', clientCertificate: pki.clientName },
      ]);
    });
  });
});
