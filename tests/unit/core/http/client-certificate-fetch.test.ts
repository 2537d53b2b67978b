/**
 * The fetch of a provider with a client certificate, on its own, against a node:https server
 * that demands one signed by the test CA: it presents the certificate, trusts the CA only because
 * it was handed it, keeps the server's TLS refusal as the reason a request fails, and refuses
 * what it cannot do (a SOCKS-only proxy answer, a proxy lookup that fails, a closed one) before
 * anything is sent.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientCertificateFetch,
  createNodeTlsFetch,
} from '../../../../main/core/http/client-certificate-fetch';
import {
  ClientCertificateRefused,
  NetworkFailure,
  createLimitedFetch,
} from '../../../../main/core/http/http-client';
import { createTestPki, pkiUnavailable, type TestPki } from '../../../support/test-pki';

const skipReason = pkiUnavailable();

describe.skipIf(skipReason !== undefined)('createClientCertificateFetch', () => {
  let pki: TestPki;
  let server: Server;
  let url: string;
  let connections = 0;
  beforeAll(async () => {
    pki = createTestPki();
    server = createServer(
      {
        cert: pki.serverCert,
        key: pki.serverKey,
        ca: pki.caCert,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ client: peer.subject.CN }));
      },
    );
    server.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    pki.dispose();
  });

  const credentials = () => ({ certificate: pki.clientCert, privateKey: pki.clientKey });

  it('presents the certificate, trusting the CA it was handed', async () => {
    const handle = createClientCertificateFetch(credentials(), {
      extraCaCertificates: [pki.caCert],
    });
    const response = await createLimitedFetch(undefined, handle.fetch)(url, { method: 'POST' });
    expect(await response.json()).toEqual({ client: pki.clientName });
    await handle.close();
    // Closed: a request after the configuration changed is refused, not sent.
    await expect(handle.fetch(url)).rejects.toMatchObject({ kind: 'not-sent' });
  });

  it('does not trust the test CA unless handed it', async () => {
    const handle = createClientCertificateFetch(credentials());
    const failure = await createLimitedFetch(
      undefined,
      handle.fetch,
    )(url).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkFailure);
    expect((failure as NetworkFailure).message).toMatch(/SELF_SIGNED_CERT_IN_CHAIN/);
    await handle.close();
  });

  it('without a certificate, the server’s refusal is the reason (not "other side closed")', async () => {
    const handle = createNodeTlsFetch({ extraCaCertificates: [pki.caCert] });
    const failure = await createLimitedFetch(
      undefined,
      handle.fetch,
    )(url).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ClientCertificateRefused);
    expect((failure as ClientCertificateRefused).code).toBe(
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
    );
    await handle.close();
  });

  it('refuses, before connecting, a proxy answer with only SOCKS, and a proxy lookup that fails', async () => {
    const before = connections;
    for (const resolveProxy of [
      () => Promise.resolve('SOCKS5 127.0.0.1:1080'),
      () => Promise.reject(new Error('no session')),
    ]) {
      const handle = createClientCertificateFetch(credentials(), {
        extraCaCertificates: [pki.caCert],
        resolveProxy,
      });
      const failure = await createLimitedFetch(
        undefined,
        handle.fetch,
      )(url).catch((error: unknown) => error);
      expect(failure).toMatchObject({ kind: 'not-sent' });
      expect((failure as Error).message).toMatch(/system proxy for 127\.0\.0\.1/);
      await handle.close();
    }
    expect(connections).toBe(before);
  });
});
