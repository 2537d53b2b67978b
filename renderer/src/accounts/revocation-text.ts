import type { RevocationOutcome } from '../../../shared/model';

/**
 * What disconnecting did at the provider, in words: the token may still work somewhere.
 * `expiresAt` is the disconnected account's (null: its token does not expire, so nothing but the
 * provider ends it).
 */
export const revocationText = (
  outcome: RevocationOutcome,
  providerLabel: string,
  expiresAt: number | null,
): string => {
  const atTheProvider = `remove Tokendesk's access in your ${providerLabel} account settings`;
  switch (outcome.status) {
    case 'revoked':
      return `${providerLabel} revoked the token: it no longer works anywhere.`;
    case 'unsupported':
      return expiresAt === null
        ? `${providerLabel} was not asked to revoke the token: ${outcome.message} The last access token does not expire: it keeps working until it is revoked at ${providerLabel}. To end it, ${atTheProvider}.`
        : `${providerLabel} was not asked to revoke the token: ${outcome.message} The last access token keeps working until it expires.`;
    case 'failed':
      return `Revoking the token at ${providerLabel} failed: ${outcome.error.message} To be sure, ${atTheProvider}.`;
  }
};
