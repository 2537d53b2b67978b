/**
 * What counts as a secret in text the app did not write: the field names whose values are
 * secret, the shapes of tokens, and the values a request sent. The one set of rules, for the
 * logger (main/shell/redacting-logger.ts) and for provider text entering errors (the token-answer
 * quirks, token-endpoint failures, the connector).
 */

export const REDACTED = '[redacted]';

/** Field (and URL parameter, JSON member) names whose value is a secret, whatever it looks like. */
const SECRET_NAMES =
  /token|secret|code|verifier|password|passphrase|authorization|cookie|credential|assertion|api_?key|private_?key/i;

/** Names that contain "code" but hold a status or an error name, never an authorization code. */
const CODE_NAMES_THAT_ARE_NOT_SECRET = /^(?:http_?)?(?:status|error|exit|reason)_?code$/i;

export const isSecretName = (name: string): boolean =>
  SECRET_NAMES.test(name) && !CODE_NAMES_THAT_ARE_NOT_SECRET.test(name);

/**
 * OAuth error codes that contain a secret word (`invalid_token`, `bad_verification_code`,
 * `authorization_pending`, `expired_token`): in `error: description` the description is the
 * provider's sentence, not a secret.
 */
const ERROR_CODE =
  /^(?:invalid|bad|expired|unsupported|incorrect|insufficient|unauthorized|unknown|missing|revoked)_|_(?:pending|denied|expired|revoked|required|mismatch)$/i;

/** A secret-named label in running text: neither an error code nor "status code", "error code". */
const isSecretLabel = (name: string, wordBefore: string | undefined): boolean =>
  isSecretName(name) &&
  !ERROR_CODE.test(name) &&
  (wordBefore === undefined || !CODE_NAMES_THAT_ARE_NOT_SECRET.test(`${wordBefore}_${name}`));

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
    // Standard base64 (`+`, `/`, `=` padding), 32 characters or more mixing upper and lower case
    // and digits, as random bytes do. It must be the whole word: a path or a URL's path, which
    // also uses `/`, carries a dot, a dash or an underscore somewhere, or lacks digits or capitals.
    `(?<![A-Za-z0-9+/_.~%-])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[A-Z])(?=[A-Za-z0-9+/]*[a-z])[A-Za-z0-9+/]{32,}={0,2}(?![A-Za-z0-9+/=_~%-]|\\.[A-Za-z0-9])`,
    // Anything long and opaque (most access and refresh tokens, UUIDs used as tokens), never
    // half of a longer run.
    `(?<![${T}])[${T}]{32,}`,
  ].join('|'),
  'g',
);

/**
 * A word of token characters joined by dots: a JWT (also one cut short, or whose header does not
 * start with `eyJ`), Google's `ya29.…`, GitLab's routable tokens. Masked whole, prefix included,
 * when it holds a token (see `isDottedToken`); host names, file names and versions never do. A
 * dot at its end is left to the sentence.
 */
const DOTTED_WORD = new RegExp(`(?<![.${T}])[${T}]+(?:\\.+[${T}]+)+`, 'g');
const ONE_TOKEN = new RegExp(`^(?:${TOKEN_SHAPES.source})$`);
const JOSE_PART = new RegExp(`^eyJ[${T}]{8,}$`);
const RANDOM_PART = /^(?=.*[0-9])(?=.*[A-Z])(?=.*[a-z]).{16,}$/;

/**
 * Which dotted words are tokens: one part is a token by itself, or base64url of a JSON object
 * (`eyJ…`, a JWT's header or payload), or two parts of 16 characters or more mix upper and lower
 * case and digits (random dotted tokens whose parts are all short). One such part alone is not
 * enough: a file name with an ISO date has one (`tokendesk.json.corrupt-2025-01-02T03-04-05.006Z`).
 */
const isDottedToken = (word: string): boolean => {
  const parts = word.split(/\.+/);
  return (
    parts.some((part) => ONE_TOKEN.test(part) || JOSE_PART.test(part)) ||
    parts.filter((part) => RANDOM_PART.test(part)).length >= 2
  );
};

/**
 * `Authorization: <scheme> <credential>` as a header line, whatever the scheme (`Token`, `DPoP`,
 * `Bearer` …) or none: the credential is masked, the scheme kept.
 */
const AUTHORIZATION_HEADER =
  /(?<![\w-])((?:proxy-)?authorization)(\s*:\s*)(?:([A-Za-z][\w-]*)\s+(?![\s"']))?(?=[^\s"'])[^\s"',;]+/gi;
/** A credential after its scheme (`Bearer <token>`, `Basic <base64>`), not a challenge's params. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+(?!(?:realm|error|error_description|scope)=)[^\s"',;]+/gi;
/**
 * `name: value`, `"name": "…"`, `'name': '…'` (a Python dict), `name = value`: a label, then a
 * quoted string or a bare word. The word before the label is kept apart so "status code: 503"
 * reads as a status code. A bare value after a quoted label is a JSON or Python number, boolean
 * or null, left alone: `{"code": 401}` is how APIs (Google's) write an HTTP status.
 */
const SECRET_LABEL =
  /(?<![\w.-])(?:([A-Za-z]+) )?(["']?)([\w.-]+)\2(\s*(?::|(?<=\s)=(?=\s))\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"',;&<>()[\]{}]+)/g;
/**
 * `code=…`, `refresh_token=…` in a URL or form body. The name starts where a word does: without
 * that, a long run with no `=` in it is rescanned from each of its characters (quadratic time on
 * a provider's 1 MiB answer).
 */
const SECRET_PARAMETER = /(?<![\w.-])([\w.-]+)=([^&#\s"',;]+)/g;
/**
 * The same inside a percent-encoded URL (a redirect URI carried in another URL's query):
 * `%3Fcode%3D…%26`. The value ends at `%26` (`&`).
 */
const ENCODED_SECRET_PARAMETER =
  /(?:(?<=%(?:3F|26))|(?<![\w.%-]))([\w.-]+)%3D((?:(?!%26)[^&#\s"',;])+)/gi;

const maskLabelled = (
  whole: string,
  wordBefore: string | undefined,
  quote: string,
  name: string,
  separator: string,
  value: string,
): string => {
  const valueQuote = /^["']/.test(value) ? value[0] : '';
  if (!isSecretLabel(name, wordBefore)) return whole;
  if (quote !== '' && valueQuote === '') return whole;
  // An Authorization header's bare value starts with its scheme: AUTHORIZATION_HEADER kept it.
  if (/^(?:proxy-)?authorization$/i.test(name) && valueQuote === '') return whole;
  const before = wordBefore === undefined ? '' : `${wordBefore} `;
  return `${before}${quote}${name}${quote}${separator}${valueQuote}${REDACTED}${valueQuote}`;
};

/** Masks token-shaped strings, credentials after an auth scheme and secret-named values. */
export const maskTokenShapes = (text: string): string =>
  text
    .replace(AUTHORIZATION_HEADER, (_header, name: string, colon: string, scheme?: string) =>
      scheme === undefined ? `${name}${colon}${REDACTED}` : `${name}${colon}${scheme} ${REDACTED}`,
    )
    .replace(SECRET_LABEL, maskLabelled)
    .replace(SECRET_PARAMETER, (parameter, name: string) =>
      isSecretName(name) ? `${name}=${REDACTED}` : parameter,
    )
    .replace(ENCODED_SECRET_PARAMETER, (parameter, name: string) =>
      isSecretName(name) ? `${name}%3D${REDACTED}` : parameter,
    )
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(DOTTED_WORD, (word) => (isDottedToken(word) ? REDACTED : word))
    .replace(TOKEN_SHAPES, REDACTED);

// ---- Text a provider wrote ----
//
// Masks secrets in text a provider wrote (`error_description`, `error_uri`, a WWW-Authenticate
// challenge, a body quoted in a trace) before it enters an error message or a trace. Those end
// up as an account's `lastError` (the clear-text part of the store) and in the renderer, which
// must never receive a token, code, verifier or client secret (docs/SECURITY.md). Some servers
// do echo them: legacy Spring Security OAuth answers `Invalid refresh token: <the token>`. Two
// nets: the exact values the request sent, where the caller knows them (whatever their length
// or shape), and anything shaped like a token (the shapes above, the logger's).

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
