/**
 * Signs ID tokens for the fake providers with a fresh RS256 key and publishes it as a JWKS, so the
 * app's ID-token validation (signature, iss, aud, nonce, exp) runs against real signatures.
 * node:crypto instead of jose: jose is only a transitive dependency here.
 */
import { generateKeyPairSync, randomBytes, sign, type JsonWebKey } from 'node:crypto';

export interface Rs256Signer {
  readonly kid: string;
  readonly jwks: { readonly keys: readonly JsonWebKey[] };
  sign(payload: Readonly<Record<string, unknown>>): string;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export const createRs256Signer = (): Rs256Signer => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const publicJwk: JsonWebKey = {
    ...publicKey.export({ format: 'jwk' }),
    kid,
    alg: 'RS256',
    use: 'sig',
  };
  return {
    kid,
    jwks: { keys: [publicJwk] },
    sign(payload) {
      const input = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(payload)}`;
      const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
      return `${input}.${signature}`;
    },
  };
};
