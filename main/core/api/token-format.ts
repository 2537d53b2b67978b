/** The formats a token can be copied in (oauth2l's: bare, header, curl, json). */
import type { TokenFormat } from '../../../shared/model';

export interface FormattableToken {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: number | null;
  readonly scopes: readonly string[];
  /** An endpoint that answers with the token's owner, for a curl line that works as pasted. */
  readonly exampleUrl?: string;
}

/** Quotes for a POSIX shell: single quotes, with embedded ones closed and escaped. */
const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

export const formatToken = (format: TokenFormat, token: FormattableToken, now: number): string => {
  const header = `Authorization: ${token.tokenType} ${token.accessToken}`;
  switch (format) {
    case 'bare':
      return token.accessToken;
    case 'header':
      return header;
    case 'curl':
      return `curl -H ${shellQuote(header)} ${shellQuote(token.exampleUrl ?? 'https://api.example.com/')}`;
    case 'json':
      return JSON.stringify(
        {
          access_token: token.accessToken,
          token_type: token.tokenType,
          expires_at: token.expiresAt === null ? null : new Date(token.expiresAt).toISOString(),
          expires_in:
            token.expiresAt === null
              ? null
              : Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
          scope: token.scopes.join(' '),
        },
        null,
        2,
      );
  }
};
