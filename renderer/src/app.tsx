/**
 * The window: header, warnings, providers with their Connect buttons, and the accounts with live
 * countdowns, and the `tokendesk` command's approval prompt over whatever is shown. Everything it
 * knows comes through the typed bridge (window.tokendesk); what its buttons do is in
 * workspace/use-workspace-actions.ts, its dialogs in workspace-dialogs.tsx.
 */
import { useCallback, useMemo, useState } from 'react';
import { PRESETS } from '../../shared/providers';
import { AccountsSection } from './accounts/accounts-section';
import type { TokendeskBridge } from './bridge';
import { ApprovalPrompt } from './command-line/approval-prompt';
import { useCommandLine } from './command-line/use-command-line';
import { ApiProvider, settle } from './common/api-context';
import { ErrorAlert } from './common/error-alert';
import { focusBackOnRemoval } from './common/focus-back';
import { ToastProvider } from './common/toasts';
import { useTokendeskData } from './data/use-tokendesk-data';
import { ProxySignInPrompt } from './network/proxy-sign-in';
import { ProvidersSection } from './providers/providers-section';
import { SecretsBanner } from './status/secrets-banner';
import { StorageNotice } from './status/storage-notice';
import { EmptyState } from './welcome/empty-state';
import { useWorkspaceActions } from './workspace/use-workspace-actions';
import { WorkspaceDialogs, type OpenDialog } from './workspace/workspace-dialogs';
import './styles/base.css';
import './app.css';

const Workspace = ({ bridge }: { readonly bridge: TokendeskBridge }) => {
  const data = useTokendeskData(bridge);
  const commandLine = useCommandLine(bridge);
  const [dialog, setDialog] = useState<OpenDialog>();
  const actions = useWorkspaceActions(bridge, data, setDialog);
  // Only the dialog given: an answer for one closed earlier must not close the one open now.
  const closeDialog = useCallback(
    (which: OpenDialog) => setDialog((current) => (current === which ? undefined : current)),
    [],
  );

  const { mergeAccounts } = data;
  const reloadAccounts = useCallback(async () => {
    const list = await settle(bridge.api.listAccounts());
    if (list.ok) mergeAccounts(list.value);
  }, [bridge, mergeAccounts]);

  const providers = data.listing?.configured ?? [];
  const presets = data.listing?.presets.length ? data.listing.presets : PRESETS;
  const accountCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const account of data.accounts)
      counts.set(account.providerId, (counts.get(account.providerId) ?? 0) + 1);
    return counts;
  }, [data.accounts]);

  // Nothing configured and nothing connected; not known while the account list has not arrived.
  const firstRun =
    data.listing !== undefined &&
    data.accountsLoaded &&
    providers.length === 0 &&
    data.accounts.length === 0;
  // A failed account list with nothing configured: the load error alone says what to do.
  const nothingToShow = !data.accountsLoaded && providers.length === 0;
  // The data file was left as it is (a newer Tokendesk's, or unreadable): nothing can be added or
  // saved, so no first-run invitation either; the storage notice says why and what to do.
  const readOnly = data.status?.storage.readOnly !== undefined;

  return (
    <div className="app">
      <header className="app-header">
        {/* The focus's last resort when what had it is gone (see common/focus-back.ts). */}
        <h1 tabIndex={-1} data-focus-last-resort="">
          Tokendesk
        </h1>
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
              onOptOut={() => void actions.saveWeakStorage(false)}
            />
            <StorageNotice storage={data.status.storage} />
          </>
        )}
        {data.loadError && (
          // Try again worked: the block goes, and the focus on its button to the fallback.
          <div className="load-error" ref={focusBackOnRemoval}>
            <ErrorAlert
              title={`Tokendesk could not load your ${data.loadError.what}`}
              error={data.loadError.error}
            />
            <button type="button" onClick={data.retryLoad}>
              Try again
            </button>
          </div>
        )}
        {actions.actionError && (
          <ErrorAlert
            title={actions.actionError.title}
            error={actions.actionError.error}
            onDismiss={actions.dismissActionError}
          />
        )}

        {data.listing === undefined ? (
          !data.loadError && (
            <p role="status" className="muted">
              Loading…
            </p>
          )
        ) : readOnly ? null : firstRun ? (
          <EmptyState
            onAddProvider={() => setDialog({ kind: 'add' })}
            onImport={() => setDialog({ kind: 'import', providers })}
          />
        ) : nothingToShow ? null : (
          <>
            <ProvidersSection
              presets={presets}
              providers={providers}
              accountCounts={accountCounts}
              connects={data.connects}
              actions={actions.providerActions}
              onImport={() => setDialog({ kind: 'import', providers })}
              onExportAll={() => setDialog({ kind: 'export' })}
            />
            <AccountsSection
              accounts={data.accounts}
              loaded={data.accountsLoaded}
              providers={providers}
              presets={presets}
              refreshPending={actions.refreshPending}
              connects={data.connects}
              actions={actions.accountActions}
            />
          </>
        )}
      </main>

      <WorkspaceDialogs
        dialog={dialog}
        presets={presets}
        accountCounts={accountCounts}
        settings={data.settings}
        secrets={data.status?.secrets}
        onClose={closeDialog}
        reloadProviders={data.reloadProviders}
        reloadStatus={data.reloadStatus}
        reloadAccounts={reloadAccounts}
        setSettings={data.setSettings}
        saveWeakStorage={actions.saveWeakStorage}
        commandLine={commandLine}
      />
      {/* After the other dialogs: opened over any of them, whatever the window shows. */}
      {commandLine.view && (
        <ApprovalPrompt pending={commandLine.view.pending} onView={commandLine.apply} />
      )}
      <ProxySignInPrompt bridge={bridge} />
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
