/**
 * The formats a token can be copied in (oauth2l's: bare, header, curl, json).
 *
 * What lands on the clipboard is pasted into terminals, editors and HTTP tools, so it never
 * carries a control character: ESC, Ctrl-U or CR in a token pasted into a shell can end the
 * terminal's bracketed paste and run a command, and CR/LF in a header line splits it. A token,
 * token type or URL with anything but visible ASCII (0x21–0x7E) is refused with a clear error
 * rather than copied; provider-given text inside the JSON format (scopes) is escaped to ASCII.
 * oauth/token-set.ts already refuses such a token when the provider issues it: this is the
 * second layer, for a token stored by an older Tokendesk or an example URL a provider supplied.
 */
import type { TokenFormat } from '../../../shared/model';
import { CoreFailure } from '../core-failure';
import { isVisibleAscii } from '../oauth/token-set';
import { allowsPlainHttp, HTTPS_ONLY } from '../../../shared/url-rules';

export interface FormattableToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: number | null;
  readonly scopes: readonly string[];
  /** An endpoint that answers with the token's owner, for a curl line that works as pasted. */
  readonly exampleUrl?: string;
}

const PLACEHOLDER_URL = 'https://api.example.com/';

const BAD_CHARACTERS = 'characters it cannot have (spaces or control characters)';

/** Quotes for a POSIX shell: single quotes, with embedded ones closed and escaped. */
const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** Quotes for PowerShell: single-quoted literal strings, an embedded quote doubled. */
const powerShellQuote = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/**
 * The shell a curl line is pasted into. Windows' terminals open PowerShell, where `curl` is an
 * alias of Invoke-WebRequest (5.1) and POSIX quoting breaks: there it is `curl.exe` (shipped
 * with Windows 10 and later) with PowerShell's quoting.
 */
export type CurlShell = 'posix' | 'powershell';

export const curlShellFor = (platform: NodeJS.Platform): CurlShell =>
  platform === 'win32' ? 'powershell' : 'posix';

/**
 * JSON text with everything outside printable ASCII as a `\uXXXX` escape (valid JSON, the same
 * value when parsed). JSON.stringify leaves DEL, the C1 controls, U+2028/U+2029 and bidi
 * controls raw; the only raw line breaks left are the indentation's own.
 */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(
    /[^\x20-\x7e\n]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** Refuses a token whose text would be unsafe on the clipboard; never quotes the token. */
const checkToken = (token: FormattableToken): void => {
  if (!isVisibleAscii(token.accessToken) || !isVisibleAscii(token.tokenType)) {
    throw new CoreFailure(
      'reconnectNeeded',
      `The stored access token has ${BAD_CHARACTERS}, so it was not copied: reconnect the account to get a new one.`,
    );
  }
};

/** https, or plain http to this machine only: where a bearer token may be sent. */
const sendsTokenSafely = (text: string): boolean => {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || allowsPlainHttp(url);
  } catch {
    return false;
  }
};

const exampleUrlOf = (token: FormattableToken): string => {
  const url = token.exampleUrl ?? PLACEHOLDER_URL;
  if (!isVisibleAscii(url)) {
    throw new CoreFailure(
      'discoveryFailed',
      `The provider's example API URL (its user-info endpoint) has ${BAD_CHARACTERS}, so no curl line was copied: check the provider's configuration, or copy the token in another format.`,
    );
  }
  // Held to the rules every request is (a store edited by hand could name plain http to another
  // machine): the pasted line would send the token there.
  if (!sendsTokenSafely(url)) {
    throw new CoreFailure(
      'discoveryFailed',
      `The provider's example API URL (its user-info endpoint) ${HTTPS_ONLY}, so no curl line was copied: check the provider's configuration, or copy the token in another format.`,
    );
  }
  return url;
};

export const formatToken = (
  format: TokenFormat,
  token: FormattableToken,
  now: number,
  shell: CurlShell = 'posix',
): string => {
  checkToken(token);
  const header = `Authorization: ${token.tokenType} ${token.accessToken}`;
  switch (format) {
    case 'bare':
      return token.accessToken;
    case 'header':
      return header;
    case 'curl':
      return shell === 'powershell'
        ? `curl.exe -H ${powerShellQuote(header)} ${powerShellQuote(exampleUrlOf(token))}`
        : `curl -H ${shellQuote(header)} ${shellQuote(exampleUrlOf(token))}`;
    case 'json':
      return asciiJson({
        access_token: token.accessToken,
        token_type: token.tokenType,
        expires_at: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
        expires_in:
          token.expiresAt === null ? null : Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
        scope: token.scopes.join(' '),
      });
  }
};
