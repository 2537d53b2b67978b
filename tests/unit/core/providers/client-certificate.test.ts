/**
 * The checks a client certificate (mTLS) and its private key pass when saved, with certificates
 * from the test's own CA (openssl): they must belong together, the certificate must not have
 * expired, and a key that cannot be used is named without being repeated.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateProblems,
  describeCertificate,
} from '../../../../main/core/providers/client-certificate';
import { createTestPki, pkiUnavailable, type TestPki } from '../../../support/test-pki';
import type { ValidationDetail } from '../../../../shared/errors';

const skipReason = pkiUnavailable();

/** The fields and reasons of the problems found, for one comparison. */
const named = (problems: readonly ValidationDetail[]) =>
  problems.map(({ field, expression }) => `${field}/${expression}`);
const reasons = (problems: readonly ValidationDetail[]) =>
  problems.map(({ reason }) => reason).join(' | ');

describe.skipIf(skipReason !== undefined)('client certificate checks', () => {
  let pki: TestPki;
  let other: TestPki;
  beforeAll(() => {
    pki = createTestPki();
    other = createTestPki('Other');
  });
  afterAll(() => {
    pki.dispose();
    other.dispose();
  });
  const now = () => Date.now();

  it('accepts a certificate with its own key, as a chain with the CA after it too', () => {
    expect(certificateProblems(pki.clientCert, pki.clientKey, now())).toEqual([]);
    expect(certificateProblems(`${pki.clientCert}\n${pki.caCert}`, pki.clientKey, now())).toEqual(
      [],
    );
  });

  it('accepts the key in PKCS#1 (BEGIN RSA PRIVATE KEY) form as well', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = String(privateKey.export({ type: 'pkcs1', format: 'pem' }));
    // Another key: read, then refused as not the certificate's, not as unreadable.
    const problems = certificateProblems(pki.clientCert, pkcs1, now());
    expect(named(problems)).toEqual(['clientPrivateKey/rule']);
    expect(reasons(problems)).toMatch(/is not the private key/);
  });

  it('refuses another certificate’s key, naming the field and the certificate, never the key', () => {
    const problems = certificateProblems(pki.clientCert, other.clientKey, now());
    expect(named(problems)).toEqual(['clientPrivateKey/rule']);
    expect(reasons(problems)).toContain(`CN=${pki.clientName}`);
    expect(JSON.stringify(problems)).not.toContain(other.clientKey.split('\n')[1]);
  });

  it('refuses an expired certificate, saying when it expired', () => {
    const expiry = describeCertificate(pki.clientCert, true)?.validTo ?? 0;
    expect(certificateProblems(pki.clientCert, pki.clientKey, expiry - 1000)).toEqual([]);
    expect(certificateProblems(pki.clientCert, pki.clientKey, expiry + 1000)).toEqual([
      {
        field: 'clientCertificate',
        expression: 'rule',
        reason: `expired on ${new Date(expiry).toISOString()}: ask for a new certificate`,
      },
    ]);
  });

  it('asks for the key when there is none', () => {
    expect(certificateProblems(pki.clientCert, undefined, now())).toEqual([
      expect.objectContaining({ field: 'clientPrivateKey', expression: 'required' }),
    ]);
  });

  it('says a key is encrypted with a passphrase, and one that cannot be read', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const encrypted = String(
      privateKey.export({
        type: 'pkcs8',
        format: 'pem',
        cipher: 'aes-256-cbc',
        passphrase: 'pass phrase',
      }),
    );
    const locked = certificateProblems(pki.clientCert, encrypted, now());
    expect(named(locked)).toEqual(['clientPrivateKey/rule']);
    expect(reasons(locked)).toMatch(/passphrase/);
    const garbled = pki.clientKey.replace(/\n[A-Za-z0-9+/]{20}/, '\n!!!!');
    const unreadable = certificateProblems(pki.clientCert, garbled, now());
    expect(named(unreadable)).toEqual(['clientPrivateKey/rule']);
    expect(reasons(unreadable)).toMatch(/must be a PEM private key/);
  });

  it('refuses a certificate that cannot be read', () => {
    const garbled = pki.clientCert.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA');
    expect(certificateProblems(garbled, pki.clientKey, now())).toEqual([
      expect.objectContaining({ field: 'clientCertificate', expression: 'rule' }),
    ]);
    expect(certificateProblems('no certificate here', pki.clientKey, now())).toEqual([
      expect.objectContaining({ field: 'clientCertificate' }),
    ]);
  });

  it('describes the certificate for the form: subject, issuer, validity, fingerprint', () => {
    const view = describeCertificate(pki.clientCert, false);
    expect(view).toMatchObject({
      subject: `CN=${pki.clientName}`,
      issuer: `CN=${pki.caName}`,
      hasPrivateKey: false,
    });
    expect(view?.validFrom).toBeLessThan(Date.now());
    expect(view?.validTo).toBeGreaterThan(Date.now());
    expect(view?.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(describeCertificate('not a certificate', true)).toBeUndefined();
  });
});
