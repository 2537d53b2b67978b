/**
 * What counts as a secret in text the app did not write: the field names whose values are
 * secret, and the shapes of tokens. One set of rules for the logger (main/shell/redacting-logger.ts)
 * and for provider text entering errors (oauth/provider-text.ts).
 */

export const REDACTED = '[redacted]';

/** Field (and URL parameter, JSON member) names whose value is a secret, whatever it looks like. */
const SECRET_NAMES =
  /token|secret|code|verifier|password|passphrase|authorization|cookie|credential|assertion|api_?key|private_?key/i;

/** Names that contain "code" but hold a status or an error name, never an authorization code. */
const CODE_NAMES_THAT_ARE_NOT_SECRET = /^(?:http_?)?(?:status|error|exit|reason)_?code$/i;

export const isSecretName = (name: string): boolean =>
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
    // Anything long and opaque (most access and refresh tokens, UUIDs used as tokens), never
    // half of a longer run.
    `(?<![${T}])[${T}]{32,}`,
  ].join('|'),
  'g',
);
/** A credential after its scheme (`Bearer <token>`, `Basic <base64>`), not a challenge's params. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+(?!(?:realm|error|error_description|scope)=)[^\s"',;]+/gi;
/** `code=…`, `refresh_token=…` in a URL or form body. */
const SECRET_PARAMETER = /([\w.-]+)=([^&#\s"',;]+)/g;
/** `"refresh_token": "…"` in a JSON body quoted in an error message. */
const SECRET_MEMBER = /"([\w.-]+)"(\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** Masks token-shaped strings, credentials after an auth scheme and secret-named parameters. */
export const maskTokenShapes = (text: string): string =>
  text
    .replace(SECRET_MEMBER, (member, name: string, colon: string) =>
      isSecretName(name) ? `"${name}"${colon}"${REDACTED}"` : member,
    )
    .replace(SECRET_PARAMETER, (parameter, name: string) =>
      isSecretName(name) ? `${name}=${REDACTED}` : parameter,
    )
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(TOKEN_SHAPES, REDACTED);
