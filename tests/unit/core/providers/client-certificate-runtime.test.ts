/**
 * A provider with a client certificate (mTLS): every request of its runtime goes through the
 * fetch built for its certificate and key, built once and closed when the configuration changes
 * or is deleted; the key is kept like the client secret (ciphertext, removed with the
 * certificate); a runtime is refused, before any request, when the key is gone or the
 * certificate has expired since it was saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ClientCertificate,
  ClientCertificateFetch,
} from '../../../../main/core/http/client-certificate-fetch';
import { DEFAULT_HTTP_LIMITS, type FetchLike } from '../../../../main/core/http/http-client';
import { silentLogger } from '../../../../main/core/ports';
import { ProviderDirectory } from '../../../../main/core/providers/provider-directory';
import { Repository } from '../../../../main/core/storage/repository';
import {
  emptyDocument,
  storeDocument,
  type StoreDocument,
} from '../../../../main/core/storage/store-schema';
import { CoreFailure } from '../../../../main/core/core-failure';
import type { ParsedInput } from '../../../../shared/ipc-contract';
import { PRESETS } from '../../../../shared/providers';
import { createTestPki, pkiUnavailable, type TestPki } from '../../../support/test-pki';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { MemoryKv } from '../../helpers/memory-kv';

const skipReason = pkiUnavailable();

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

interface Built {
  readonly credentials: ClientCertificate;
  readonly requests: string[];
  closed: boolean;
}

const open = (persist = true) => {
  const kv = new MemoryKv();
  const repo = new Repository(
    kv,
    emptyDocument(),
    createTestSecretBox(),
    { persist, protection: 'test-aes-gcm' },
    silentLogger,
  );
  const built: Built[] = [];
  const plainRequests: string[] = [];
  const baseFetch: FetchLike = (input) => {
    plainRequests.push(urlOf(input));
    return Promise.resolve(new Response('{}', { status: 200 }));
  };
  const clock = { now: Date.now() };
  const directory = new ProviderDirectory(
    repo,
    PRESETS,
    {
      limits: DEFAULT_HTTP_LIMITS,
      baseFetch,
      discover: () => Promise.reject(new Error('no discovery in this test')),
      clientCertificateFetch: (credentials): ClientCertificateFetch => {
        const entry: Built = { credentials, requests: [], closed: false };
        built.push(entry);
        return {
          fetch: (input) => {
            entry.requests.push(urlOf(input));
            return Promise.resolve(new Response('{}', { status: 200 }));
          },
          close: () => {
            entry.closed = true;
            return Promise.resolve();
          },
        };
      },
    },
    () => clock.now,
  );
  return { kv, repo, directory, built, plainRequests, clock };
};

const secretsOf = (kv: MemoryKv) => (kv.store as unknown as StoreDocument).secrets;

describe.skipIf(skipReason !== undefined)('a provider with a client certificate', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(() => pki.dispose());

  const custom = (overrides: Partial<ParsedInput<'saveProvider'>> = {}) =>
    ({
      id: 'corp',
      presetId: 'oauth2',
      clientId: 'tokendesk',
      endpoints: {
        authorization: 'https://idp.example/authorize',
        token: 'https://idp.example/token',
      },
      clientCertificate: pki.clientCert,
      clientPrivateKey: pki.clientKey,
      ...overrides,
    }) as ParsedInput<'saveProvider'>;

  it('sends its requests through the fetch built for its certificate and key, built once', async () => {
    const { directory, built, plainRequests } = open();
    await directory.save(custom(), 0);
    const runtime = await directory.runtime('corp');
    await runtime.fetch('https://idp.example/token', { method: 'POST' });
    await (await directory.runtime('corp')).fetch('https://idp.example/token', { method: 'POST' });
    expect(built).toHaveLength(1);
    expect(built[0]?.credentials).toEqual({
      certificate: pki.clientCert,
      privateKey: pki.clientKey,
    });
    expect(built[0]?.requests).toEqual(['https://idp.example/token', 'https://idp.example/token']);
    expect(plainRequests).toEqual([]);
  });

  it('closes its connections when the configuration changes or is deleted', async () => {
    const { directory, built } = open();
    await directory.save(custom(), 0);
    await directory.runtime('corp');
    await directory.save(
      custom({ label: 'Corp', clientCertificate: undefined, clientPrivateKey: undefined }),
      0,
    );
    expect(built.map((entry) => entry.closed)).toEqual([true]);
    await directory.runtime('corp');
    expect(built).toHaveLength(2);
    directory.delete('corp', 0);
    expect(built.map((entry) => entry.closed)).toEqual([true, true]);
  });

  it('keeps the key as ciphertext beside the client secret, and removes it with the certificate', async () => {
    const { kv, directory, plainRequests } = open();
    await directory.save(custom(), 0);
    expect(Object.keys(secretsOf(kv))).toEqual(['client-key:corp']);
    expect(JSON.stringify(kv.store)).not.toContain(pki.clientKey.split('\n')[2]);
    expect(directory.list()[0]?.clientCertificate?.hasPrivateKey).toBe(true);

    await directory.save(custom({ clientCertificate: null, clientPrivateKey: undefined }), 0);
    expect(secretsOf(kv)).toEqual({});
    expect(directory.list()[0]?.clientCertificate).toBeUndefined();
    // Without a certificate, the core's own fetch.
    await (await directory.runtime('corp')).fetch('https://idp.example/token');
    expect(plainRequests).toEqual(['https://idp.example/token']);
  });

  it('a store written before client certificates opens, its providers without one', () => {
    const older = {
      ...emptyDocument(),
      providers: {
        corp: {
          id: 'corp',
          presetId: 'oauth2',
          label: 'Corp',
          clientId: 'tokendesk',
          clientAuth: 'none',
          scopes: [],
          consentMode: 'embedded',
          endpoints: { authorization: 'https://idp.example/a', token: 'https://idp.example/t' },
          createdAt: 1,
          updatedAt: 1,
        },
      },
    };
    const parsed = storeDocument.parse(older);
    const directory = new ProviderDirectory(
      new Repository(
        new MemoryKv(),
        parsed,
        createTestSecretBox(),
        { persist: true, protection: 'test-aes-gcm' },
        silentLogger,
      ),
      PRESETS,
      { limits: DEFAULT_HTTP_LIMITS, discover: () => Promise.reject(new Error('none')) },
      Date.now,
    );
    expect(directory.list()[0]).not.toHaveProperty('clientCertificate');
  });

  it('a key without a certificate, or a certificate without its key, is refused naming the field', async () => {
    const { directory } = open();
    const refused = async (input: ParsedInput<'saveProvider'>) =>
      directory.save(input, 0).then(
        () => [],
        (error: { detail?: { field: string }[] }) => error.detail?.map(({ field }) => field),
      );
    expect(await refused(custom({ clientCertificate: undefined }))).toEqual(['clientCertificate']);
    expect(await refused(custom({ clientPrivateKey: undefined }))).toEqual(['clientPrivateKey']);
    expect(directory.list()).toEqual([]);
  });

  it('refuses a runtime before any request when the key is gone or the certificate has expired', async () => {
    // Memory only (no keyring): another session's repository has no key.
    const first = open(false);
    await first.directory.save(custom(), 0);
    const restarted = new ProviderDirectory(
      new Repository(
        first.kv,
        first.kv.store as unknown as StoreDocument,
        createTestSecretBox(),
        { persist: false, protection: 'basic_text' },
        silentLogger,
      ),
      PRESETS,
      { limits: DEFAULT_HTTP_LIMITS, discover: () => Promise.reject(new Error('none')) },
      Date.now,
    );
    expect(restarted.list()[0]?.clientCertificate?.hasPrivateKey).toBe(false);
    const gone = await restarted.runtime('corp').catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(CoreFailure);
    expect((gone as CoreFailure).errorName).toBe('clientCertificateInvalid');
    expect((gone as CoreFailure).message).toMatch(/no private key/);

    const { directory, built, clock } = open();
    await directory.save(custom(), 0);
    clock.now = (directory.list()[0]?.clientCertificate?.validTo ?? 0) + 1000;
    const expired = await directory.runtime('corp').catch((error: unknown) => error);
    expect((expired as CoreFailure).errorName).toBe('clientCertificateInvalid');
    expect((expired as CoreFailure).message).toMatch(/expired on/);
    expect(built).toEqual([]);
  });
});
