/** Account identity, the stored record built from a token response, and the renderer's view. */
import { createHash } from 'node:crypto';
import type { AccountView } from '../../../shared/model';
import type { ApiError } from '../../../shared/errors';
import type { Identity } from '../oauth/identity';
import type { TokenSet } from '../oauth/token-set';
import type { StoredAccount, StoredProviderConfig } from '../storage/store-schema';

/** Accounts are keyed by provider + stable subject: reconnecting the same person updates one. */
export const accountIdFor = (providerId: string, subject: string): string =>
  createHash('sha256').update(`${providerId}\n${subject}`).digest('base64url').slice(0, 22);

/** Why an account has no tokens this session. */
export const TOKENS_GONE =
  'This account’s tokens were kept in memory only (no keyring) and are gone since Tokendesk restarted: reconnect it.';

export const summarizeError = (error: ApiError): StoredAccount['lastError'] => ({
  group: error.group,
  code: error.code,
  message: error.message,
});

export const accountFromTokens = (
  config: StoredProviderConfig,
  identity: Identity,
  tokens: TokenSet,
  hasRefreshToken: boolean,
  existing: StoredAccount | undefined,
  now: number,
): StoredAccount => ({
  id: accountIdFor(config.id, identity.subject),
  providerId: config.id,
  presetId: config.presetId,
  subject: identity.subject,
  displayName: identity.displayName,
  ...(identity.email !== undefined ? { email: identity.email } : {}),
  scopes: [...(tokens.scopes ?? config.scopes)],
  tokenType: tokens.tokenType,
  expiresAt: tokens.expiresAt,
  obtainedAt: tokens.obtainedAt,
  hasRefreshToken,
  status: 'ok',
  createdAt: existing?.createdAt ?? now,
  updatedAt: now,
});

export const toAccountView = (account: StoredAccount, refreshing: boolean): AccountView => ({
  id: account.id,
  providerId: account.providerId,
  presetId: account.presetId,
  subject: account.subject,
  displayName: account.displayName,
  ...(account.email !== undefined ? { email: account.email } : {}),
  scopes: account.scopes,
  expiresAt: account.expiresAt,
  obtainedAt: account.obtainedAt,
  status: account.status,
  hasToken: true,
  canRefresh: account.hasRefreshToken || account.machine !== undefined,
  refreshing,
  ...(account.lastError !== undefined ? { lastError: account.lastError } : {}),
  createdAt: account.createdAt,
  updatedAt: account.updatedAt,
  ...(account.machine !== undefined
    ? {
        machine: {
          name: account.machine.name,
          ...(account.machine.audience !== undefined ? { audience: account.machine.audience } : {}),
          resources: account.machine.resources,
        },
      }
    : {}),
});
