import { useMemo } from 'react';
import type { AccountView, ProviderConfigView } from '../../../shared/model';
import { findPreset, type ProviderPreset } from '../../../shared/providers';
import type { ConnectStates } from '../providers/connect-state';
import { AccountRow, type AccountActions } from './account-row';
import './accounts.css';

interface AccountGroup {
  readonly providerId: string;
  readonly label: string;
  readonly accounts: readonly AccountView[];
}

/** Accounts by provider, in the providers' order; within one, by name. */
export const groupAccounts = (
  accounts: readonly AccountView[],
  providers: readonly ProviderConfigView[],
  presets: readonly ProviderPreset[],
): AccountGroup[] => {
  const byProvider = new Map<string, AccountView[]>();
  for (const account of accounts) {
    const list = byProvider.get(account.providerId) ?? [];
    list.push(account);
    byProvider.set(account.providerId, list);
  }
  const order = [
    ...providers.map((provider) => provider.id),
    ...[...byProvider.keys()].filter((id) => !providers.some((provider) => provider.id === id)),
  ];
  return order.flatMap((providerId) => {
    const list = byProvider.get(providerId);
    if (!list) return [];
    const label =
      providers.find((provider) => provider.id === providerId)?.label ??
      findPreset(list[0]!.presetId, presets)?.name ??
      providerId;
    const sorted = [...list].sort((a, b) => a.displayName.localeCompare(b.displayName));
    return [{ providerId, label, accounts: sorted }];
  });
};

interface AccountsSectionProps {
  readonly accounts: readonly AccountView[];
  /** Whether a list has arrived: until then an empty one says nothing. */
  readonly loaded: boolean;
  readonly providers: readonly ProviderConfigView[];
  readonly presets: readonly ProviderPreset[];
  readonly refreshPending: ReadonlySet<string>;
  readonly connects: ConnectStates;
  readonly actions: AccountActions;
}

export const AccountsSection = ({
  accounts,
  loaded,
  providers,
  presets,
  refreshPending,
  connects,
  actions,
}: AccountsSectionProps) => {
  const groups = useMemo(
    () => groupAccounts(accounts, providers, presets),
    [accounts, providers, presets],
  );
  return (
    <section className="section" aria-labelledby="accounts-heading">
      {/* Where focus goes when what had it disappears (a disconnected account's row). */}
      <h2 id="accounts-heading" tabIndex={-1} data-focus-fallback="">
        Accounts
      </h2>
      {!loaded ? (
        <p className="muted">Your accounts could not be loaded yet.</p>
      ) : (
        groups.length === 0 && (
          <p className="muted">No accounts yet: use Connect on a provider above to add one.</p>
        )
      )}
      {groups.map((group) => (
        <div className="account-group" key={group.providerId}>
          <h3>{group.label}</h3>
          <ul className="account-list" aria-label={`${group.label} accounts`}>
            {group.accounts.map((account) => (
              <AccountRow
                key={account.id}
                account={account}
                providerLabel={group.label}
                refreshPending={refreshPending.has(account.id)}
                connecting={connects.get(account.providerId)?.phase === 'running'}
                actions={actions}
              />
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
};
