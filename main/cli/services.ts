/**
 * What the subcommands ask of the app, as one replaceable object: the real exchange over the
 * channel (ask.ts), or canned answers in the tests of each subcommand's output.
 */
import type { AccountListing, HandedToken, RegistryMapping } from '../../shared/command-line';
import {
  askAccounts,
  askRegistries,
  askToken,
  type Failure,
  type Outcome,
  type TokenQuery,
} from './ask';
import type { Host } from './host';

export interface Services {
  token(query: TokenQuery): Promise<Outcome<HandedToken>>;
  accounts(): Promise<Outcome<readonly AccountListing[]>>;
  /** docker's registries mapped to accounts, after setting (an account) or removing (null) one. */
  registries(set?: {
    registry: string;
    account: string | null;
  }): Promise<Outcome<readonly RegistryMapping[]>>;
}

export const appServices = (host: Host): Services => ({
  token: (query) => askToken(host, query),
  accounts: () => askAccounts(host),
  registries: (set) => askRegistries(host, set),
});

/** A failure as the user reads it: one `tokendesk: ` line on stderr; the exit code to use. */
export const report = (host: Host, failure: Failure): number => {
  host.stderr(`tokendesk: ${failure.message}\n`);
  return failure.exitCode;
};
