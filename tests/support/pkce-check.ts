/**
 * Server-side PKCE verification for the fakes (RFC 7636 §4.6), so a fake refuses a wrong or
 * missing verifier as the real providers do instead of accepting anything.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const s256Challenge = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

export type PkceVerdict = 'ok' | 'missing-verifier' | 'mismatch' | 'unexpected-verifier';

export const checkPkce = (
  challenge: string | undefined,
  method: string | undefined,
  verifier: string | undefined,
): PkceVerdict => {
  if (challenge === undefined) return verifier === undefined ? 'ok' : 'unexpected-verifier';
  if (verifier === undefined || verifier === '') return 'missing-verifier';
  const expected = method === 'plain' ? verifier : s256Challenge(verifier);
  const a = Buffer.from(expected);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b) ? 'ok' : 'mismatch';
};
