/**
 * Masks secrets in text a provider wrote (`error_description`, `error_uri`, a WWW-Authenticate
 * challenge, a body quoted in a trace) before it enters an error message or a trace. Those end
 * up as an account's `lastError` (the clear-text part of the store) and in the renderer, which
 * must never receive a token, code, verifier or client secret (docs/SECURITY.md). Some servers
 * do echo them: legacy Spring Security OAuth answers `Invalid refresh token: <the token>`.
 *
 * Two nets: the exact values the request sent, where the caller knows them (whatever their
 * length or shape), and anything shaped like a token. The shapes are the logger's (../redaction.ts).
 */
import { maskTokenShapes, REDACTED } from '../redaction';

/** The forms a sent value may come back in: as sent, URL-encoded, form-encoded. */
const spellings = (secret: string): string[] => {
  const encoded = encodeURIComponent(secret);
  return [secret, encoded, encoded.replaceAll('%20', '+')];
};

/**
 * Replaces every occurrence of the given values, however short: a caller passes only values it
 * knows are secret (the refresh token, code, verifier or client secret it sent). Longest first,
 * so a secret that contains another is masked whole.
 */
export const maskSentSecrets = (
  text: string,
  sentSecrets: readonly (string | undefined)[],
): string => {
  const values = [
    ...new Set(
      sentSecrets
        .filter((secret): secret is string => typeof secret === 'string' && secret !== '')
        .flatMap(spellings),
    ),
  ].sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join(REDACTED);
  return out;
};

/**
 * What provider-supplied text may say in an error message or trace: the sent secrets masked
 * first (a short one would not look like a token), then anything token-shaped.
 */
export const maskProviderText = (
  text: string,
  sentSecrets: readonly (string | undefined)[] = [],
): string => maskTokenShapes(maskSentSecrets(text, sentSecrets));
