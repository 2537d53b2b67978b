/**
 * The state every fake provider keeps: issued authorization codes and tokens, which grant they
 * belong to, when they expire and whether they were revoked or spent. The fakes differ in
 * policy (Google keeps the refresh token, GitHub rotates both, Entra issues a new refresh token
 * but keeps the old one valid); the bookkeeping is shared here.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface IssuedCode {
  readonly value: string;
  readonly user: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope: readonly string[];
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: string;
  readonly nonce?: string;
  readonly expiresAt: number;
  used: boolean;
}

export interface IssuedToken {
  readonly value: string;
  readonly kind: 'access' | 'refresh';
  readonly user: string;
  readonly clientId: string;
  readonly grantId: string;
  readonly scope: readonly string[];
  /** Epoch ms, or null for tokens that do not expire (GitHub OAuth App tokens). */
  readonly expiresAt: number | null;
  readonly nonce?: string;
  revoked: boolean;
}

export type CodeInput = Omit<IssuedCode, 'value' | 'used' | 'expiresAt'>;
export type TokenInput = Omit<IssuedToken, 'value' | 'revoked' | 'expiresAt' | 'kind'>;

export type CodeLookup =
  | { readonly ok: true; readonly code: IssuedCode }
  | { readonly ok: false; readonly reason: 'unknown' | 'used' | 'expired' };

/** URL-safe random token text with a provider-style prefix (`ya29.`, `gho_`, ...). */
export const randomToken = (prefix: string, bytes = 24): string =>
  `${prefix}${randomBytes(bytes).toString('base64url')}`;

/** Digits derived from a name, so a user keeps the same provider ID across fakes and runs. */
export const stableDigits = (name: string, length: number): string => {
  const digest = createHash('sha256').update(name).digest();
  let digits = '1';
  for (let i = 0; digits.length < length; i += 1)
    digits += String((digest[i % digest.length] ?? 0) % 10);
  return digits;
};

/** A GUID derived from a name (Entra object and tenant IDs). */
export const stableGuid = (name: string): string => {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export class FakeLedger {
  readonly codes = new Map<string, IssuedCode>();
  readonly tokens = new Map<string, IssuedToken>();

  issueCode(input: CodeInput, value: string, ttlSeconds = 600): IssuedCode {
    const code: IssuedCode = {
      ...input,
      value,
      used: false,
      expiresAt: Date.now() + ttlSeconds * 1000,
    };
    this.codes.set(value, code);
    return code;
  }

  /** Looks a code up and marks it used: codes are single-use at every provider. */
  redeemCode(value: string | undefined): CodeLookup {
    const code = value === undefined ? undefined : this.codes.get(value);
    if (code === undefined) return { ok: false, reason: 'unknown' };
    if (code.used) return { ok: false, reason: 'used' };
    code.used = true;
    if (code.expiresAt <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, code };
  }

  issueToken(
    kind: IssuedToken['kind'],
    input: TokenInput,
    value: string,
    ttlSeconds: number | null,
  ): IssuedToken {
    const token: IssuedToken = {
      ...input,
      kind,
      value,
      revoked: false,
      expiresAt: ttlSeconds === null ? null : Date.now() + ttlSeconds * 1000,
    };
    this.tokens.set(value, token);
    return token;
  }

  /** The token if it exists, is of this kind, is not revoked and has not expired. */
  active(value: string | undefined, kind?: IssuedToken['kind']): IssuedToken | undefined {
    const token = value === undefined ? undefined : this.tokens.get(value);
    if (token === undefined || token.revoked) return undefined;
    if (kind !== undefined && token.kind !== kind) return undefined;
    if (token.expiresAt !== null && token.expiresAt <= Date.now()) return undefined;
    return token;
  }

  /** Revokes one token; answers whether it existed. */
  revoke(value: string): boolean {
    const token = this.tokens.get(value);
    if (token === undefined) return false;
    token.revoked = true;
    return true;
  }

  revokeGrant(grantId: string): void {
    for (const token of this.tokens.values()) if (token.grantId === grantId) token.revoked = true;
  }

  revokeWhere(predicate: (token: IssuedToken) => boolean): void {
    for (const token of this.tokens.values()) if (predicate(token)) token.revoked = true;
  }
}
