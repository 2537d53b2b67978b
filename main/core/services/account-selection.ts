/**
 * Which account a request names, for callers outside the window (a command line, a credential
 * helper), where the user types a name rather than clicks a row. The forms:
 * - an account ID;
 * - a provider's configuration ID, when it has one account;
 * - `provider:login`, the login being the account's email or display name (case-insensitive);
 * - a URL whose host a provider serves (`forUrl`): presets know their API hosts, and the
 *   container registries that take their tokens (`hostKind: 'registry'`, docker's helper).
 * With both a name and a URL, the name decides (the user named the account); the URL picks only
 * when no name is given. None or several matches fail with the candidates named, never a guess.
 */
import { presetAt } from '../../../shared/provider-instance';
import { findPreset, type ProviderPreset } from '../../../shared/providers';
import { CoreFailure } from '../core-failure';
import type { StoredAccount } from '../storage/store-schema';

export interface AccountQuery {
  /** An account ID, a provider ID, or `provider:login`. */
  readonly name?: string;
  /** An API URL: the account whose provider serves its host. */
  readonly forUrl?: string;
  /** Which of a provider's hosts `forUrl` is matched against: its APIs (default) or registries. */
  readonly hostKind?: 'api' | 'registry';
}

export interface SelectionSources {
  readonly accounts: readonly StoredAccount[];
  readonly presets: readonly ProviderPreset[];
  /** A provider configuration's own API hosts (custom providers list theirs), beside its preset's. */
  readonly apiHostsOf?: (providerId: string) => readonly string[];
  /**
   * A provider configuration's issuer: a self-managed instance's hosts replace its preset's
   * (shared/provider-instance.ts).
   */
  readonly issuerOf?: (providerId: string) => string | undefined;
}

/** `provider:login`, as the user would type it back. */
export const nameOf = (
  account: Pick<StoredAccount, 'providerId' | 'email' | 'displayName'>,
): string => `${account.providerId}:${account.email ?? account.displayName}`;

const listed = (accounts: readonly StoredAccount[]): string =>
  accounts.length === 0
    ? 'there are no accounts yet'
    : `the accounts are ${accounts.map((a) => `${nameOf(a)} (${a.id})`).join(', ')}`;

/** Whether `host` is one of `patterns` (`*.example.com` matches subdomains only). */
export const hostMatches = (host: string, patterns: readonly string[]): boolean => {
  const wanted = host.toLowerCase();
  return patterns.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? wanted.endsWith(p.slice(1)) : wanted === p;
  });
};

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    throw new CoreFailure('invalidField', `"${url}" is not a URL.`);
  }
};

const byName = (accounts: readonly StoredAccount[], name: string): StoredAccount[] => {
  const exact = accounts.filter((a) => a.id === name);
  if (exact.length > 0) return exact;
  const colon = name.indexOf(':');
  if (colon === -1) return accounts.filter((a) => a.providerId === name);
  const provider = name.slice(0, colon);
  const login = name.slice(colon + 1).toLowerCase();
  return accounts.filter(
    (a) =>
      a.providerId === provider &&
      (a.email?.toLowerCase() === login ||
        a.displayName.toLowerCase() === login ||
        // A machine account by the name the user gave it (`provider:ci-deploy`).
        a.machine?.name.toLowerCase() === login),
  );
};

export const selectAccount = (sources: SelectionSources, query: AccountQuery): StoredAccount => {
  const { accounts } = sources;
  let matches: StoredAccount[] = [...accounts];
  let asked = 'that';
  if (query.name !== undefined) {
    matches = byName(matches, query.name);
    asked = `"${query.name}"`;
  }
  // A name wins over a URL: the user named the account (a git helper pinned to an account for a
  // server no preset knows). A URL alone picks by the hosts the presets serve.
  if (query.forUrl !== undefined && query.name === undefined) {
    const host = hostOf(query.forUrl);
    const hostsOf = (account: StoredAccount): readonly string[] => {
      const shipped = findPreset(account.presetId, sources.presets);
      const preset = shipped && presetAt(shipped, sources.issuerOf?.(account.providerId));
      if (query.hostKind === 'registry') return preset?.commandLine?.registryHosts ?? [];
      return [...(preset?.apiHosts ?? []), ...(sources.apiHostsOf?.(account.providerId) ?? [])];
    };
    matches = matches.filter((account) => hostMatches(host, hostsOf(account)));
    asked = `an API at ${host}`;
  }
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  if (matches.length === 0)
    throw new CoreFailure('accountNotFound', `No account matches ${asked}: ${listed(accounts)}.`);
  throw new CoreFailure(
    'accountAmbiguous',
    `${matches.length} accounts match ${asked}: ${matches.map((a) => `${nameOf(a)} (${a.id})`).join(', ')}. Name one of them.`,
  );
};
