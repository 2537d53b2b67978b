/**
 * URL rules shared by the IPC schemas and the core. Pure: no Node or DOM API beyond `URL`.
 *
 * Each rule answers what is wrong with a value as a `validationDetail` reason ("must …"), or
 * undefined when it is fine. A value is checked as typed and stored as typed: nothing here
 * normalizes it. The WHATWG parser alone would be too forgiving for values the user reads back
 * and the app pastes into a terminal: it drops tabs and line breaks, trims spaces and controls,
 * reads `\` as `/` and turns a Unicode host into punycode, so what was typed and what is used
 * would differ. Those are refused before parsing.
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK_HOSTS.has(hostname);

/**
 * Whether a request to this URL may go out over plain http: only to a loopback host, where local
 * identity providers and tests run. Decided for each request from its own URL, never for a whole
 * provider.
 */
export const allowsPlainHttp = (url: URL): boolean =>
  url.protocol === 'http:' && isLoopbackHost(url.hostname);

/** The server (scheme, host, port) a URL points at; a value that does not parse stands for itself. */
export const serverOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

/** Why an endpoint's scheme is refused; the renderer shows it beside the field. */
export const HTTPS_ONLY = 'must be an https URL (http only for 127.0.0.1, localhost or [::1])';

/** Whitespace (ASCII or Unicode), C0/C1 controls and DEL, and invisible format characters. */
const SPACE_OR_CONTROL = /[\s\p{Cc}\p{Cf}\p{Zs}\p{Zl}\p{Zp}]/u;
const NON_ASCII = /[^\p{ASCII}]/u;
/** `scheme://authority`: the authority as typed, up to the path, query or fragment. */
const AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/;

/** The authority as typed; undefined when the value does not start with `scheme://`. */
const typedAuthority = (value: string): string | undefined => AUTHORITY.exec(value)?.[1];

/** The host (and port) as typed, without any user-info. */
const hostOf = (authority: string): string => authority.slice(authority.lastIndexOf('@') + 1);

/** Characters no URL the user types may have, whatever its scheme. */
const characterProblem = (value: string): string | undefined => {
  if (SPACE_OR_CONTROL.test(value)) return 'must not contain spaces or control characters';
  if (value.includes('\\')) return 'must not contain backslashes (use / in URLs)';
  if (NON_ASCII.test(value)) {
    return NON_ASCII.test(hostOf(typedAuthority(value) ?? ''))
      ? 'must use the ASCII (punycode, xn--…) form of the host name'
      : 'must percent-encode characters outside ASCII (as %XX)';
  }
  return undefined;
};

const parsed = (value: string): URL | undefined => {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
};

/**
 * Endpoints (authorization, token, revocation, user-info) must be `https:`; plain `http:` is
 * accepted only for loopback, where local identity providers and tests run. The same rules hold
 * for endpoints the user types and for those a discovery document names
 * (main/core/oauth/server-endpoints.ts). Parsed with a real URL parser, never with
 * `startsWith`. No credentials (they would be sent to every request's logs) and no fragment
 * (RFC 6749 §3.1, §3.2: endpoint URIs MUST NOT include one).
 */
export const endpointUrlProblem = (value: string): string | undefined => {
  const characters = characterProblem(value);
  if (characters !== undefined) return characters;
  const url = parsed(value);
  if (url === undefined) return HTTPS_ONLY;
  if (url.protocol !== 'https:' && !allowsPlainHttp(url)) return HTTPS_ONLY;
  // `https:idp.example.com` and `https:///idp.example.com` parse (the parser mends the slashes),
  // but the user must see the host that is used where the URL says it.
  const authority = typedAuthority(value);
  if (authority === undefined || hostOf(authority) === '')
    return `must start with ${url.protocol}// and the host name`;
  if (url.username !== '' || url.password !== '' || authority.includes('@'))
    return 'must not contain a user name or password';
  // The parser decodes a percent-encoded host: `%D0%B0ccounts…` is not `accounts…`.
  if (hostOf(authority).includes('%')) return 'must not percent-encode the host name';
  if (value.includes('#')) return 'must not have a #fragment';
  return undefined;
};

/**
 * An OpenID Connect issuer: an endpoint URL with no query and no fragment (OpenID Connect
 * Discovery 1.0 §2: "a case-sensitive URL using the https scheme that contains scheme, host, and
 * optionally, port number and path components and no query or fragment components").
 */
export const issuerUrlProblem = (value: string): string | undefined => {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) return problem;
  if (value.includes('?')) return 'must not have a ?query (an issuer is a scheme, host and path)';
  return undefined;
};

/**
 * A redirect URI sent with an authorization code from elsewhere (the `exchange` channel): any
 * scheme (native apps use private-use ones, RFC 8252 §7.1), but an absolute URL without a
 * fragment (RFC 6749 §3.1.2) and without spaces or control characters.
 */
export const redirectUriProblem = (value: string): string | undefined => {
  const characters = characterProblem(value);
  if (characters !== undefined) return characters;
  if (parsed(value) === undefined)
    return 'must be an absolute URL, such as http://127.0.0.1:8080/callback';
  if (value.includes('#')) return 'must not have a #fragment';
  return undefined;
};

/**
 * The redirect URI a token backend's OAuth client registered (a provider "through a backend"):
 * Tokendesk sends it as it is, so the backend's exchange names the same one. https, or plain
 * http on this computer (the system browser's listener takes its port); no query, which the
 * provider would have to keep, and no fragment.
 */
export const backendRedirectUriProblem = (value: string): string | undefined => {
  const problem = endpointUrlProblem(value);
  if (problem !== undefined) return problem;
  if (value.includes('?')) return 'must not have a ?query';
  return undefined;
};

/**
 * Whether the system browser's listener can take a redirect to this URI (a token backend's
 * registered one, used as it is): loopback http with a port, the listener's. `localhost` too (the
 * listener holds ::1 beside 127.0.0.1); `[::1]` alone is not listened on. Anything else only the
 * embedded window can catch. One rule for the form's notes and the save's check.
 */
export const systemBrowserCanCatch = (redirectUri: string): boolean => {
  const url = parsed(redirectUri);
  return (
    url !== undefined &&
    url.protocol === 'http:' &&
    isLoopbackHost(url.hostname) &&
    url.hostname !== '[::1]' &&
    url.port !== ''
  );
};

/**
 * An RFC 8707 resource indicator (a machine account's `resource`): an absolute URI without a
 * fragment (§2); any scheme, since APIs are named `api://…` (Entra) or `urn:…` as often as
 * `https://…`. No spaces or control characters: it travels in a form body.
 */
export const resourceIndicatorProblem = (value: string): string | undefined => {
  const characters = characterProblem(value);
  if (characters !== undefined) return characters;
  if (parsed(value) === undefined)
    return 'must be an absolute URI, such as https://api.example.com/';
  if (value.includes('#')) return 'must not have a #fragment';
  return undefined;
};

/** Whether a value passes the endpoint rules: what `shell.openExternal` may open (main/index.ts). */
export const isAllowedEndpoint = (value: string): boolean =>
  endpointUrlProblem(value) === undefined;
