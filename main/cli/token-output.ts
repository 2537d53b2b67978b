/** `tokendesk token`'s three ways of printing a token. */
import type { HandedToken } from '../../shared/command-line';
import type { TokenFormat } from './arguments';

export const isoOrNull = (epochMs: number | null): string | null =>
  epochMs === null ? null : new Date(epochMs).toISOString();

/** "bearer" as providers spell it in their answers; "Bearer" as HTTP headers write it. */
export const authorizationScheme = (tokenType: string): string =>
  tokenType === '' || tokenType.toLowerCase() === 'bearer' ? 'Bearer' : tokenType;

export const formatToken = (token: HandedToken, format: TokenFormat): string => {
  switch (format) {
    case 'bare':
      return `${token.accessToken}\n`;
    case 'header':
      return `Authorization: ${authorizationScheme(token.tokenType)} ${token.accessToken}\n`;
    case 'json':
      return `${JSON.stringify({
        accessToken: token.accessToken,
        tokenType: token.tokenType,
        expiresAt: isoOrNull(token.expiresAt),
        scopes: token.scopes,
      })}\n`;
  }
};
