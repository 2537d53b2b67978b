/**
 * A server's refusal of the TLS connection over the client certificate is classified as such,
 * from Node's OpenSSL codes (undici) and from Electron's net error text, as "not sent".
 */
import { describe, expect, it } from 'vitest';
import {
  ClientCertificateRefused,
  classifyFetchError,
} from '../../../../main/core/http/http-client';

const undiciFailure = (code: string): TypeError =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('ssl alert'), { code }) });

describe('classifyFetchError and client certificates', () => {
  it('a missing certificate (TLS 1.3 alert, Electron net error) says so', () => {
    for (const error of [
      undiciFailure('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'),
      new Error('net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED'),
    ]) {
      const failure = classifyFetchError(error);
      expect(failure).toBeInstanceOf(ClientCertificateRefused);
      expect(failure.kind).toBe('not-sent');
      expect(failure.message).toMatch(
        /asks for a client certificate \(mTLS\), and none was presented/,
      );
    }
  });

  it('a certificate the server does not accept says so', () => {
    const failure = classifyFetchError(undiciFailure('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'));
    expect(failure).toBeInstanceOf(ClientCertificateRefused);
    expect(failure.message).toMatch(/does not accept that certificate/);
  });

  it('a TLS 1.2 handshake failure may be the certificate', () => {
    const failure = classifyFetchError(undiciFailure('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'));
    expect(failure.message).toMatch(/may ask for a client certificate/);
  });

  it('other failures are not taken for one', () => {
    expect(classifyFetchError(undiciFailure('ECONNRESET'))).not.toBeInstanceOf(
      ClientCertificateRefused,
    );
    expect(classifyFetchError(undiciFailure('SELF_SIGNED_CERT_IN_CHAIN')).kind).toBe('not-sent');
  });
});
