/**
 * The client's private key for `private_key_jwt` (RFC 7523 §2.2): the text the user pasted (a
 * PKCS#8 PEM private key, or a private JWK) turned into the non-extractable CryptoKey that
 * oauth4webapi's PrivateKeyJwt signs with. The signing algorithm follows from the key, as
 * oauth4webapi reads it from the CryptoKey: RS256 (or PS256 for an RSA-PSS key or a JWK that
 * says `"alg": "PS256"`), ES256 / ES384 by curve, Ed25519 (EdDSA).
 */
import { createPrivateKey, webcrypto, type JsonWebKey, type KeyObject } from 'node:crypto';
import type * as oauth from 'oauth4webapi';
import { CoreFailure } from '../core-failure';

/** What `oauth.PrivateKeyJwt` takes. */
export type ClientKey = oauth.PrivateKey;

/** Why the text is not a usable private key; no part of the text is ever in it. */
export class UnusableClientKey extends Error {}

const parseJwk = (text: string): JsonWebKey | undefined => {
  if (!text.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnusableClientKey('it starts like a JWK but is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new UnusableClientKey('a JWK must be a JSON object');
  return parsed as JsonWebKey;
};

const toKeyObject = (text: string, jwk: JsonWebKey | undefined): KeyObject => {
  if (jwk !== undefined && typeof jwk.d !== 'string')
    throw new UnusableClientKey('the JWK is a public key (it has no "d"): paste the private one');
  try {
    return jwk !== undefined
      ? createPrivateKey({ key: jwk, format: 'jwk' })
      : createPrivateKey({ key: text, format: 'pem' });
  } catch {
    // Node's message may quote the input: say what is expected instead.
    throw new UnusableClientKey(
      jwk !== undefined
        ? 'the JWK is not a private key Tokendesk can read'
        : 'it is not a PEM private key ("-----BEGIN PRIVATE KEY-----"); a public key or certificate will not do',
    );
  }
};

type KeyAlgorithm =
  webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams | { readonly name: 'Ed25519' };

const algorithmFor = (key: KeyObject, jwk: JsonWebKey | undefined): KeyAlgorithm => {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return jwk?.alg === 'PS256'
        ? { name: 'RSA-PSS', hash: 'SHA-256' }
        : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    case 'rsa-pss':
      return { name: 'RSA-PSS', hash: 'SHA-256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1' || curve === 'P-256')
        return { name: 'ECDSA', namedCurve: 'P-256' };
      if (curve === 'secp384r1' || curve === 'P-384') return { name: 'ECDSA', namedCurve: 'P-384' };
      throw new UnusableClientKey(`EC keys on the ${curve ?? 'unknown'} curve are not supported`);
    }
    case 'ed25519':
      return { name: 'Ed25519' };
    default:
      throw new UnusableClientKey(
        `${key.asymmetricKeyType ?? 'this'} keys are not supported (RSA, EC P-256 or P-384, Ed25519)`,
      );
  }
};

/**
 * Why the text is not a private key Tokendesk can sign with, or undefined when it is: the
 * form's check before anything is saved (synchronous, as the rest of a save's checks).
 */
export const clientKeyProblem = (text: string): string | undefined => {
  try {
    const jwk = parseJwk(text);
    algorithmFor(toKeyObject(text, jwk), jwk);
    return undefined;
  } catch (error) {
    if (error instanceof UnusableClientKey) return error.message;
    throw error;
  }
};

/** The key ready for PrivateKeyJwt. Throws UnusableClientKey saying why not. */
export const importClientKey = async (text: string, keyId?: string): Promise<ClientKey> => {
  const jwk = parseJwk(text);
  const keyObject = toKeyObject(text, jwk);
  const algorithm = algorithmFor(keyObject, jwk);
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  let key: ClientKey['key'];
  try {
    // Not extractable: nothing can read the key back out of the CryptoKey.
    key = await webcrypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
  } catch {
    throw new UnusableClientKey(`this runtime cannot sign with ${algorithm.name} keys`);
  }
  const kid = keyId ?? (typeof jwk?.kid === 'string' && jwk.kid !== '' ? jwk.kid : undefined);
  return { key, ...(kid !== undefined ? { kid } : {}) };
};

/** The same, failing as `machine`/1 for a stored key that no longer imports (another runtime). */
export const storedClientKey = async (
  text: string,
  keyId: string | undefined,
  label: string,
): Promise<ClientKey> => {
  try {
    return await importClientKey(text, keyId);
  } catch (error) {
    if (!(error instanceof UnusableClientKey)) throw error;
    throw new CoreFailure(
      'machineKeyInvalid',
      `The private key stored for ${label} cannot be used: ${error.message}. Enter it again (Edit ${label}).`,
      { traces: [error.message] },
    );
  }
};
