/**
 * A failed request says where it failed, in words the user can act on, whichever network stack
 * sent it: Node's (codes on the error's causes) or Electron's (`net::ERR_…`, turned into a code by
 * the shell's adapter), and whether the provider may have processed it.
 */
import { describe, expect, it } from 'vitest';
import { classifyFetchError, NetworkFailure } from '../../../../main/core/http/network-failure';

/** What Node's fetch throws: TypeError('fetch failed') with the socket's error as its cause. */
const nodeError = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });

/** What the shell's adapter throws for Electron's net.fetch (main/shell/electron-fetch.ts). */
const chromiumError = (code: string, certificate?: { subject: string; issuer: string }) =>
  Object.assign(new Error(`net::${code}`), { code, ...(certificate ? { certificate } : {}) });

const URL_ = 'https://id.example.com/oauth/token';

describe('classifyFetchError', () => {
  it.each([
    ['ERR_NAME_NOT_RESOLVED', 'not-sent', 'dns', 'the name id.example.com could not be resolved'],
    ['ERR_PROXY_CONNECTION_FAILED', 'not-sent', 'proxy', 'the proxy server could not be reached'],
    [
      'ERR_TUNNEL_CONNECTION_FAILED',
      'not-sent',
      'proxy',
      'the proxy did not open a connection to id.example.com',
    ],
    ['ERR_PAC_SCRIPT_FAILED', 'not-sent', 'proxy', 'the proxy configuration (PAC file) failed'],
    [
      'ERR_MANDATORY_PROXY_CONFIGURATION_FAILED',
      'not-sent',
      'proxy',
      'the proxy configuration (PAC file) could not be used',
    ],
    [
      'ERR_CERT_AUTHORITY_INVALID',
      'not-sent',
      'tls',
      'the certificate of id.example.com is not trusted',
    ],
    ['ERR_CERT_SOMETHING_NEW', 'not-sent', 'tls', 'the certificate of id.example.com is not valid'],
    ['ERR_CONNECTION_REFUSED', 'not-sent', 'connection', 'id.example.com refused the connection'],
    ['ERR_CONNECTION_RESET', 'lost', 'connection', 'the connection to id.example.com was reset'],
    [
      'ERR_EMPTY_RESPONSE',
      'lost',
      'connection',
      'id.example.com closed the connection without answering',
    ],
    [
      'ERR_REDIRECT_REFUSED',
      'lost',
      'redirect',
      'id.example.com answered with a redirect, which is not followed',
    ],
  ] as const)('Electron %s: %s at %s', (code, kind, place, says) => {
    const failure = classifyFetchError(chromiumError(code), undefined, URL_);
    expect(failure).toBeInstanceOf(NetworkFailure);
    expect(failure).toMatchObject({ kind, place, message: `${says} (${code})` });
  });

  it.each([
    ['ENOTFOUND', 'not-sent', 'dns'],
    ['ECONNREFUSED', 'not-sent', 'connection'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'not-sent', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'not-sent', 'tls'],
    ['ECONNRESET', 'lost', 'connection'],
  ] as const)('Node %s: %s at %s', (code, kind, place) => {
    expect(classifyFetchError(nodeError(code), undefined, URL_)).toMatchObject({ kind, place });
  });

  it('names the certificate a TLS failure was about, when the network stack said which', () => {
    const failure = classifyFetchError(
      chromiumError('ERR_CERT_AUTHORITY_INVALID', {
        subject: 'id.example.com',
        issuer: 'Example Corp Root CA',
      }),
      undefined,
      URL_,
    );
    expect(failure.message).toBe(
      'the certificate of id.example.com is not trusted: “id.example.com”, issued by “Example Corp Root CA” (ERR_CERT_AUTHORITY_INVALID)',
    );
  });

  it('says which proxy a request went through, where the failure may be the proxy’s', () => {
    const error = Object.assign(chromiumError('ERR_EMPTY_RESPONSE'), { proxy: '10.0.0.8:3128' });
    expect(classifyFetchError(error, undefined, URL_).message).toBe(
      'id.example.com closed the connection without answering, through the proxy 10.0.0.8:3128 (ERR_EMPTY_RESPONSE)',
    );
    const proxyFailure = Object.assign(chromiumError('ERR_PROXY_CONNECTION_FAILED'), {
      proxy: '10.0.0.8:3128',
    });
    expect(classifyFetchError(proxyFailure, undefined, URL_).message).toBe(
      'the proxy server could not be reached (ERR_PROXY_CONNECTION_FAILED)',
    );
  });

  it('an unknown failure may have reached the provider, and says which host', () => {
    expect(classifyFetchError(new Error('boom'), undefined, URL_)).toMatchObject({
      kind: 'lost',
      place: 'connection',
      message: 'the connection to id.example.com failed (network error)',
    });
  });

  it('its own time limit wins over the code, and a failure passes through unchanged', () => {
    expect(classifyFetchError(chromiumError('ERR_CONNECTION_RESET'), 500, URL_)).toMatchObject({
      kind: 'lost',
      place: 'time',
      message: 'the provider did not answer within 0.5 s',
    });
    const failure = new NetworkFailure('too-large', 'big', { place: 'size' });
    expect(classifyFetchError(failure)).toBe(failure);
  });
});
