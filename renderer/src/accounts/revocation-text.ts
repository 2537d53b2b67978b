import type { RevocationOutcome } from '../../../shared/model';

/** What disconnecting did at the provider, in words: the token may still work somewhere. */
export const revocationText = (outcome: RevocationOutcome, providerLabel: string): string => {
  switch (outcome.status) {
    case 'revoked':
      return `${providerLabel} revoked the token: it no longer works anywhere.`;
    case 'unsupported':
      return `${providerLabel} was not asked to revoke the token: ${outcome.message} The last access token keeps working until it expires.`;
    case 'failed':
      return `Revoking the token at ${providerLabel} failed: ${outcome.error.message} To be sure, remove Tokendesk's access in your ${providerLabel} account settings.`;
  }
};
