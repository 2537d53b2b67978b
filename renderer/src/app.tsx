/**
 * The window: header, warnings, providers with their Connect buttons, and the accounts with live
 * countdowns. Everything it knows comes through the typed bridge (window.tokendesk).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { isError, type ApiError } from '../../shared/errors';
import type { AccountView, ProviderConfigView, TokenFormat } from '../../shared/model';
import { PRESETS } from '../../shared/providers';
import type { AccountActions } from './accounts/account-row';
import { AccountsSection } from './accounts/accounts-section';
import { DisconnectDialog } from './accounts/disconnect-dialog';
import { copiedText } from './accounts/token-formats';
import type { TokendeskBridge } from './bridge';
import { ApiProvider, settle } from './common/api-context';
import { ErrorAlert } from './common/error-alert';
import { ToastProvider, useToast } from './common/toasts';
import { useTokendeskData } from './data/use-tokendesk-data';
import type { ProviderCardActions } from './providers/provider-card';
import { DeleteProviderDialog } from './providers/delete-provider-dialog';
import { ProviderFormDialog } from './providers/provider-form-dialog';
import { ProvidersSection } from './providers/providers-section';
import { SettingsDialog } from './settings/settings-dialog';
import { SecretsBanner } from './status/secrets-banner';
import { StorageNotice } from './status/storage-notice';
import { WeakStorageDialog } from './status/weak-storage-dialog';
import { EmptyState } from './welcome/empty-state';
import './styles/base.css';
import './app.css';

type OpenDialog =
  | { readonly kind: 'add' }
  | { readonly kind: 'edit'; readonly provider: ProviderConfigView }
  | { readonly kind: 'delete'; readonly provider: ProviderConfigView }
  | { readonly kind: 'disconnect'; readonly account: AccountView; readonly providerLabel: string }
  | { readonly kind: 'settings' }
  | { readonly kind: 'weak-storage' };

interface ActionError {
  readonly title: string;
  readonly error: ApiError;
}

const without = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => {
  const next = new Set(set);
  next.delete(id);
  return next;
};

const Workspace = ({ bridge }: { readonly bridge: TokendeskBridge }) => {
  const { api } = bridge;
  const toast = useToast();
  const data = useTokendeskData(bridge);
  const { dispatchConnect, mergeAccounts, reloadProviders, reloadStatus, setSettings } = data;
  const [dialog, setDialog] = useState<OpenDialog>();
  const [actionError, setActionError] = useState<ActionError>();
  const [refreshPending, setRefreshPending] = useState<ReadonlySet<string>>(new Set());

  const providers = data.listing?.configured ?? [];
  const presets = data.listing?.presets.length ? data.listing.presets : PRESETS;
  const accountCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const account of data.accounts)
      counts.set(account.providerId, (counts.get(account.providerId) ?? 0) + 1);
    return counts;
  }, [data.accounts]);
  const labelOf = (providerId: string): string =>
    providers.find((provider) => provider.id === providerId)?.label ?? providerId;

  const connect = async (providerId: string) => {
    const label = labelOf(providerId);
    dispatchConnect({ type: 'start', providerId });
    const result = await settle(api.connect({ providerId }));
    if (result.ok) {
      dispatchConnect({ type: 'clear', providerId });
      const { account, created } = result.value;
      toast(
        created
          ? `Connected ${account.displayName} at ${label}.`
          : `Reconnected ${account.displayName}: its tokens are fresh.`,
      );
      // accountsChanged brings the account too; this covers a window that missed the event.
      const list = await settle(api.listAccounts());
      if (list.ok) mergeAccounts(list.value);
    } else if (isError(result.error, 'consentCancelled')) {
      dispatchConnect({ type: 'clear', providerId });
      toast(`Sign-in with ${label} cancelled.`);
    } else {
      dispatchConnect({ type: 'failed', providerId, error: result.error });
    }
  };

  const cancelConnect = async (providerId: string) => {
    const result = await settle(api.cancelConnect({ providerId }));
    if (!result.ok)
      setActionError({
        title: `Could not cancel the sign-in with ${labelOf(providerId)}`,
        error: result.error,
      });
  };

  const copy = async (account: AccountView, format: TokenFormat) => {
    const result = await settle(api.copyToken({ accountId: account.id, format }));
    if (result.ok)
      toast(copiedText(format, account.displayName, result.value.clearsAt, Date.now()));
    else
      setActionError({
        title: `Could not copy the token for ${account.displayName}`,
        error: result.error,
      });
  };

  const refresh = async (account: AccountView) => {
    setRefreshPending((pending) => new Set(pending).add(account.id));
    const result = await settle(api.refreshAccount({ accountId: account.id }));
    setRefreshPending((pending) => without(pending, account.id));
    if (result.ok) toast(`Refreshed the token for ${account.displayName}.`);
    else
      setActionError({
        title: `Could not refresh the token for ${account.displayName}`,
        error: result.error,
      });
  };

  const saveWeakStorage = async (persistWeakSecrets: boolean) => {
    setDialog(undefined);
    const result = await settle(api.saveSettings({ persistWeakSecrets }));
    if (!result.ok) {
      setActionError({ title: 'The setting was not changed', error: result.error });
      return;
    }
    setSettings(result.value);
    void reloadStatus();
    toast(
      persistWeakSecrets
        ? 'Secrets are now stored on disk without real protection.'
        : 'Secrets are now kept in memory only.',
    );
  };

  // Rows and cards are memoised: they get one stable object whose calls reach the latest handlers.
  const handlers = { connect, cancelConnect, copy, refresh, labelOf };
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const accountActions = useMemo<AccountActions>(
    () => ({
      copy: (account, format) => void latest.current.copy(account, format),
      refresh: (account) => void latest.current.refresh(account),
      reconnect: (account) => void latest.current.connect(account.providerId),
      disconnect: (account) =>
        setDialog({
          kind: 'disconnect',
          account,
          providerLabel: latest.current.labelOf(account.providerId),
        }),
    }),
    [],
  );
  const providerActions = useMemo<ProviderCardActions>(
    () => ({
      connect: (providerId) => void latest.current.connect(providerId),
      cancelConnect: (providerId) => void latest.current.cancelConnect(providerId),
      dismissConnectError: (providerId) => dispatchConnect({ type: 'clear', providerId }),
      edit: (provider) => setDialog({ kind: 'edit', provider }),
      remove: (provider) => setDialog({ kind: 'delete', provider }),
    }),
    [dispatchConnect],
  );

  const closeDialog = () => setDialog(undefined);
  const firstRun =
    data.listing !== undefined && providers.length === 0 && data.accounts.length === 0;

  return (
    <div className="app">
      <header className="app-header">
        <h1>Tokendesk</h1>
        <div className="header-actions">
          {providers.length > 0 && (
            <button
              type="button"
              className="button-primary"
              onClick={() => setDialog({ kind: 'add' })}
            >
              Add provider
            </button>
          )}
          {data.settings && (
            <button type="button" onClick={() => setDialog({ kind: 'settings' })}>
              Settings
            </button>
          )}
        </div>
      </header>

      <main className="app-main">
        {data.status && (
          <>
            <SecretsBanner
              secrets={data.status.secrets}
              onOptIn={() => setDialog({ kind: 'weak-storage' })}
              onOptOut={() => void saveWeakStorage(false)}
            />
            <StorageNotice storage={data.status.storage} />
          </>
        )}
        {data.loadError && (
          <div className="load-error">
            <ErrorAlert title="Tokendesk could not load your providers" error={data.loadError} />
            <button type="button" onClick={data.retryLoad}>
              Try again
            </button>
          </div>
        )}
        {actionError && (
          <ErrorAlert
            title={actionError.title}
            error={actionError.error}
            onDismiss={() => setActionError(undefined)}
          />
        )}

        {data.listing === undefined ? (
          !data.loadError && (
            <p role="status" className="muted">
              Loading…
            </p>
          )
        ) : firstRun ? (
          <EmptyState onAddProvider={() => setDialog({ kind: 'add' })} />
        ) : (
          <>
            <ProvidersSection
              presets={presets}
              providers={providers}
              accountCounts={accountCounts}
              connects={data.connects}
              actions={providerActions}
            />
            <AccountsSection
              accounts={data.accounts}
              providers={providers}
              presets={presets}
              refreshPending={refreshPending}
              connects={data.connects}
              actions={accountActions}
            />
          </>
        )}
      </main>

      {(dialog?.kind === 'add' || dialog?.kind === 'edit') && (
        <ProviderFormDialog
          presets={presets}
          editing={dialog.kind === 'edit' ? dialog.provider : undefined}
          onClose={closeDialog}
          onSaved={(saved) => {
            closeDialog();
            toast(`Saved ${saved.label}.`);
            void reloadProviders();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteProviderDialog
          provider={dialog.provider}
          accountCount={accountCounts.get(dialog.provider.id) ?? 0}
          onClose={closeDialog}
          onDeleted={(deleted) => {
            closeDialog();
            toast(`Deleted ${deleted.label}.`);
            void reloadProviders();
          }}
        />
      )}
      {dialog?.kind === 'disconnect' && (
        <DisconnectDialog
          account={dialog.account}
          providerLabel={dialog.providerLabel}
          onClose={closeDialog}
        />
      )}
      {dialog?.kind === 'settings' && data.settings && (
        <SettingsDialog
          settings={data.settings}
          onClose={closeDialog}
          onSaved={(saved) => {
            closeDialog();
            setSettings(saved);
            void reloadStatus();
            toast('Settings saved.');
          }}
        />
      )}
      {dialog?.kind === 'weak-storage' && (
        <WeakStorageDialog onConfirm={() => void saveWeakStorage(true)} onClose={closeDialog} />
      )}
    </div>
  );
};

/** Outside the app (a plain browser) there is no bridge: say so instead of failing. */
const NoBridge = () => (
  <div className="app">
    <header className="app-header">
      <h1>Tokendesk</h1>
    </header>
    <main className="app-main">
      <p>Open Tokendesk from its desktop app: this page needs the app’s bridge.</p>
    </main>
  </div>
);

export const App = ({ bridge }: { readonly bridge: TokendeskBridge | undefined }) =>
  bridge ? (
    <ApiProvider api={bridge.api}>
      <ToastProvider>
        <Workspace bridge={bridge} />
      </ToastProvider>
    </ApiProvider>
  ) : (
    <NoBridge />
  );
