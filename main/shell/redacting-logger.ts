/**
 * The app's logger: fields that could hold a secret are dropped by name, and token-shaped strings
 * are masked, so logs never carry tokens, codes, verifiers or secrets.
 */
import type { Logger } from '../core/ports';

const REDACTED = '[redacted]';

/** Field (and URL parameter, JSON member) names whose value is a secret, whatever it looks like. */
const SECRET_NAMES =
  /token|secret|code|verifier|password|passphrase|authorization|cookie|credential|assertion|api_?key|private_?key/i;

/** Names that contain "code" but hold a status or an error name, never an authorization code. */
const CODE_NAMES_THAT_ARE_NOT_SECRET = /^(?:http_?)?(?:status|error|exit|reason)_?code$/i;

const isSecretName = (name: string): boolean =>
  SECRET_NAMES.test(name) && !CODE_NAMES_THAT_ARE_NOT_SECRET.test(name);

// The characters of base64url and of most opaque tokens: a token is a whole run of them.
const T = 'A-Za-z0-9_-';
const TOKEN_SHAPES = new RegExp(
  [
    // JWTs (JWS compact form; the signature is empty for alg "none").
    `\\beyJ[${T}]+\\.[${T}]+\\.[${T}]*`,
    // GitHub: ghp_ gho_ ghu_ ghs_ ghr_ and fine-grained github_pat_.
    `\\b(?:gh[oprsu]|github_pat)_[${T}]+`,
    // GitLab's prefixes take a hyphen (glpat-…), and an instance may put its own prefix first.
    `\\bgl(?:pat|oas|dt|rt|rtr|cbt|ptt|ft|imt|agent|soat|ffct)-[${T}]+`,
    // Anything long and opaque (most access and refresh tokens), never half of a longer run.
    `(?<![${T}])[${T}]{32,}`,
  ].join('|'),
  'g',
);
/** A credential after its scheme (`Bearer <token>`, `Basic <base64>`), not a challenge's params. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+(?!(?:realm|error|error_description|scope)=)[^\s"',;]+/gi;
/** `code=…`, `access_token=…` in a URL or form body. */
const SECRET_PARAMETER = /([\w.-]+)=([^&#\s"',;]+)/g;
/** `"refresh_token": "…"` in a JSON body quoted in an error message. */
const SECRET_MEMBER = /"([\w.-]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

const maskString = (text: string): string =>
  text
    .replace(SECRET_MEMBER, (member, name: string, colon: string) =>
      isSecretName(name) ? `"${name}"${colon}"${REDACTED}"` : member,
    )
    .replace(SECRET_PARAMETER, (parameter, name: string) =>
      isSecretName(name) ? `${name}=${REDACTED}` : parameter,
    )
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(TOKEN_SHAPES, REDACTED);

// Nested fields are redacted too, to a depth that logs never need to exceed.
const MAX_DEPTH = 4;

const redactValue = (value: unknown, depth: number): unknown => {
  if (typeof value === 'string') return maskString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // An Error's message can quote a request or a response; its stack adds nothing for a user.
  if (value instanceof Error) return { name: value.name, message: maskString(value.message) };
  if (value instanceof URL) return maskString(value.href);
  if (value instanceof Date) return value;
  // Bytes could be anything, a decrypted secret included.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]';
  return redactFields(value as Record<string, unknown>, depth + 1);
};

const redactFields = (fields: Record<string, unknown>, depth: number): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSecretName(key) ? REDACTED : redactValue(value, depth);
  }
  return out;
};

export const redact = (fields: Record<string, unknown> = {}): Record<string, unknown> =>
  redactFields(fields, 0);

// The message is masked too: it is meant to be a constant, but nothing enforces that.
export const createConsoleLogger = (): Logger => ({
  info: (message, fields) => console.info(`[tokendesk] ${maskString(message)}`, redact(fields)),
  warn: (message, fields) => console.warn(`[tokendesk] ${maskString(message)}`, redact(fields)),
  error: (message, fields) => console.error(`[tokendesk] ${maskString(message)}`, redact(fields)),
});
