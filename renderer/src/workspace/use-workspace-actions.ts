/**
 * What the workspace's buttons do: connect, cancel a sign-in, copy, refresh, and the weak-storage
 * choice. Each answers with a toast on success; a failure becomes the one action error shown
 * above the lists (a failed connect is shown on its provider's card instead).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { isError, type ApiError } from '../../../shared/errors';
import type { AccountView, TokenFormat } from '../../../shared/model';
import type { AccountActions } from '../accounts/account-row';
import { copiedText } from '../accounts/token-formats';
import type { TokendeskBridge } from '../bridge';
import { settle } from '../common/api-context';
import { useToast } from '../common/toasts';
import type { TokendeskData } from '../data/use-tokendesk-data';
import type { ProviderCardActions } from '../providers/provider-card';
import type { OpenDialog } from './workspace-dialogs';

export interface ActionError {
  readonly title: string;
  readonly error: ApiError;
}

const without = (set: ReadonlySet<string>, id: string): ReadonlySet<string> => {
  const next = new Set(set);
  next.delete(id);
  return next;
};

export const useWorkspaceActions = (
  bridge: TokendeskBridge,
  data: TokendeskData,
  openDialog: (dialog: OpenDialog | undefined) => void,
) => {
  const { api } = bridge;
  const toast = useToast();
  const { dispatchConnect, mergeAccounts, reloadStatus, setSettings } = data;
  const [actionError, setActionError] = useState<ActionError>();
  const [refreshPending, setRefreshPending] = useState<ReadonlySet<string>>(new Set());

  const providers = data.listing?.configured ?? [];
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
    openDialog(undefined);
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
  const handlers = { connect, cancelConnect, copy, refresh, labelOf, openDialog };
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
        latest.current.openDialog({
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
      edit: (provider) => latest.current.openDialog({ kind: 'edit', provider }),
      remove: (provider) => latest.current.openDialog({ kind: 'delete', provider }),
    }),
    [dispatchConnect],
  );

  return {
    accountActions,
    providerActions,
    saveWeakStorage,
    refreshPending,
    actionError,
    dismissActionError: () => setActionError(undefined),
  };
};
