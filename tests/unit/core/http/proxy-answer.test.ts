/**
 * Reading Electron's `session.resolveProxy` answer (PAC form) for requests with a client
 * certificate: the first entry undici can use wins, SOCKS is skipped, nothing usable says so.
 */
import { describe, expect, it } from 'vitest';
import { chooseProxy, describeRoute } from '../../../../main/core/http/proxy-answer';

describe('chooseProxy', () => {
  it.each([
    ['DIRECT', { kind: 'direct' }],
    ['', { kind: 'direct' }],
    ['  ;  ', { kind: 'direct' }],
    ['PROXY proxy.corp:3128', { kind: 'proxy', uri: 'http://proxy.corp:3128' }],
    ['PROXY 127.0.0.1:8080; DIRECT', { kind: 'proxy', uri: 'http://127.0.0.1:8080' }],
    ['proxy proxy.corp:3128', { kind: 'proxy', uri: 'http://proxy.corp:3128' }],
    ['HTTPS secure.corp:8443', { kind: 'proxy', uri: 'https://secure.corp:8443' }],
    ['PROXY proxy.corp', { kind: 'proxy', uri: 'http://proxy.corp:80' }],
    ['HTTPS secure.corp', { kind: 'proxy', uri: 'https://secure.corp:443' }],
    ['PROXY [::1]:3128', { kind: 'proxy', uri: 'http://[::1]:3128' }],
    [
      'SOCKS5 socks.corp:1080; PROXY proxy.corp:3128',
      { kind: 'proxy', uri: 'http://proxy.corp:3128' },
    ],
    ['SOCKS5 socks.corp:1080; DIRECT', { kind: 'direct' }],
    ['DIRECT; PROXY proxy.corp:3128', { kind: 'direct' }],
  ] as const)('%j → %j', (answer, choice) => {
    expect(chooseProxy(answer)).toEqual(choice);
  });

  it.each([
    'SOCKS5 socks.corp:1080',
    'SOCKS socks.corp:1080; SOCKS4 other.corp:1080',
    'PROXY',
    'PROXY host:99999',
    'PROXY host:port',
    'PROXY a b',
    'QUIC quic.corp:443',
  ])('%j has nothing undici can use', (answer) => {
    expect(chooseProxy(answer)).toEqual({ kind: 'unsupported' });
  });
});

describe('describeRoute', () => {
  it.each([
    ['DIRECT', 'direct'],
    ['', 'direct'],
    ['PROXY 10.0.0.8:3128; DIRECT', 'through the proxy 10.0.0.8:3128'],
    ['SOCKS5 socks.corp:1080', 'through the socks5 proxy socks.corp:1080'],
  ])('%j says %s', (answer, said) => {
    expect(describeRoute(answer)).toBe(said);
  });
});
