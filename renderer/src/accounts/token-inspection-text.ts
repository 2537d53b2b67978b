/**
 * The words and times of the token inspection dialog: local date and time with how far away it
 * is ("in 42 min", "3 h ago"), what an opaque or absent token means, and the facts the dialog
 * lists first, whether main decoded them from a JWT or the provider answered them (RFC 7662).
 */
import type { TokenInspection } from '../../../shared/model';

export type Which = TokenInspection['which'];

export const TOKEN_NAMES: Readonly<Record<Which, string>> = {
  access: 'Access token',
  id: 'ID token',
};

/** The facts listed above the JSON: the registered claims in their registered form. */
export type TokenFacts = Pick<
  TokenInspection,
  'issuer' | 'subject' | 'audience' | 'scopes' | 'issuedAt' | 'notBefore' | 'expiresAt'
>;

/** "in 42 min", "3 h ago", "in 12 s", "5 d ago": the largest whole unit. */
export const relativeTime = (at: number, now: number): string => {
  const seconds = Math.abs(at - now) / 1000;
  let amount: string;
  if (seconds < 60) amount = `${Math.floor(seconds)} s`;
  else if (seconds < 3600) amount = `${Math.floor(seconds / 60)} min`;
  else if (seconds < 2 * 86_400) amount = `${Math.floor(seconds / 3600)} h`;
  else amount = `${Math.floor(seconds / 86_400)} d`;
  return at >= now ? `in ${amount}` : `${amount} ago`;
};

/** The user's local date and time, in their locale's form. */
export const localTime = (at: number): string => new Date(at).toLocaleString();

/** What a token that is not a JWT is, in a sentence. */
export const opaqueText = (which: Which): string =>
  which === 'access'
    ? 'This access token is opaque: only the provider can read it.'
    : 'This ID token is not a JWT Tokendesk can read.';

/** Why there is nothing to show. */
export const absentText = (which: Which): string =>
  which === 'access'
    ? 'Tokendesk holds no access token for this account in this session: reconnect it.'
    : 'This account has no ID token: its provider issued none (OAuth 2.0 providers do not, nor does a sign-in without the openid scope).';

const dateOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 1000) : undefined;

const textsOf = (value: unknown): string[] | undefined => {
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const texts = list.filter((item): item is string => typeof item === 'string' && item !== '');
  return texts.length > 0 ? texts : undefined;
};

/** The facts of an introspection answer's members (RFC 7662 §2.2 names them as JWT claims). */
export const factsOfClaims = (claims: Readonly<Record<string, unknown>>): TokenFacts => {
  const facts: Record<string, unknown> = {
    issuer: typeof claims.iss === 'string' ? claims.iss : undefined,
    subject: typeof claims.sub === 'string' ? claims.sub : undefined,
    audience: textsOf(claims.aud),
    scopes:
      typeof claims.scope === 'string'
        ? textsOf(claims.scope.split(/\s+/).filter(Boolean))
        : undefined,
    issuedAt: dateOf(claims.iat),
    notBefore: dateOf(claims.nbf),
    expiresAt: dateOf(claims.exp),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
};

/** The JSON shown in the dialog: two-space indented. */
export const prettyJson = (value: unknown): string => JSON.stringify(value, null, 2);
