/**
 * A provider's client certificate (mTLS), read with node:crypto in main: described for the
 * provider form (subject, issuer, validity; never the key), and checked when saved: the chain
 * parses, the leaf has not expired, and the private key is the leaf's. A problem is a field error
 * naming `clientCertificate` or `clientPrivateKey`; the key's text is never repeated in one.
 */
import { KeyObject, X509Certificate, createPrivateKey } from 'node:crypto';
import type { ValidationDetail } from '../../../shared/errors';
import type { ClientCertificateView } from '../../../shared/model';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM chain, leaf first; throws on one node:crypto cannot read. */
export const readChain = (pem: string): X509Certificate[] => {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new Error('no -----BEGIN CERTIFICATE----- block');
  return blocks.map((block) => new X509Certificate(block));
};

/** What the form shows of a stored certificate; undefined when it does not parse (a hand edit). */
export const describeCertificate = (
  pem: string,
  hasPrivateKey: boolean,
): ClientCertificateView | undefined => {
  let leaf: X509Certificate | undefined;
  try {
    leaf = readChain(pem)[0];
  } catch {
    return undefined;
  }
  if (leaf === undefined) return undefined;
  return {
    subject: leaf.subject,
    issuer: leaf.issuer,
    validFrom: Date.parse(leaf.validFrom),
    validTo: Date.parse(leaf.validTo),
    fingerprint: leaf.fingerprint256,
    hasPrivateKey,
  };
};

/** When the leaf stops being valid (epoch ms). */
export const expiresAt = (leaf: X509Certificate): number => Date.parse(leaf.validTo);

const problem = (
  field: 'clientCertificate' | 'clientPrivateKey',
  expression: string,
  reason: string,
): ValidationDetail => ({ field, expression, reason });

const readKey = (pem: string): KeyObject | ValidationDetail => {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    // The library's message names the reason, never the key; still, only the kind is said.
    const encrypted =
      /passphrase/i.test(error instanceof Error ? error.message : '') || pem.includes('ENCRYPTED');
    return problem(
      'clientPrivateKey',
      'rule',
      encrypted
        ? 'is encrypted with a passphrase: Tokendesk keeps it encrypted itself and needs it without one (openssl pkey -in key.pem -out key-plain.pem)'
        : 'must be a PEM private key (PKCS#8 -----BEGIN PRIVATE KEY-----, or PKCS#1 RSA / SEC1 EC) that can be read',
    );
  }
};

/**
 * What is wrong with a certificate and its private key, checked together: none when they can be
 * used now. `privateKey` undefined: no key was given and none is stored.
 */
export const certificateProblems = (
  certificatePem: string,
  privateKeyPem: string | undefined,
  now: number,
): ValidationDetail[] => {
  let leaf: X509Certificate | undefined;
  try {
    leaf = readChain(certificatePem)[0];
  } catch (error) {
    return [
      problem(
        'clientCertificate',
        'rule',
        `must be PEM certificates that can be read (${error instanceof Error ? error.message : 'unreadable'})`,
      ),
    ];
  }
  if (leaf === undefined) return [];
  const problems: ValidationDetail[] = [];
  if (expiresAt(leaf) <= now) {
    problems.push(
      problem(
        'clientCertificate',
        'rule',
        `expired on ${new Date(expiresAt(leaf)).toISOString()}: ask for a new certificate`,
      ),
    );
  }
  if (privateKeyPem === undefined) {
    problems.push(
      problem('clientPrivateKey', 'required', 'the client certificate needs its private key'),
    );
    return problems;
  }
  const key = readKey(privateKeyPem);
  if (!(key instanceof KeyObject)) {
    problems.push(key);
    return problems;
  }
  if (!leaf.checkPrivateKey(key)) {
    problems.push(
      problem(
        'clientPrivateKey',
        'rule',
        `is not the private key of the certificate for ${leaf.subject.replaceAll('\n', ', ')}: choose the key that was made with it`,
      ),
    );
  }
  return problems;
};
