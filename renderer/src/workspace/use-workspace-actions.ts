/**
 * What the workspace's buttons do: connect, cancel a sign-in, copy, refresh, and the weak-storage
 * choice. Each answers with a toast on success; a failure becomes the one action error shown
 * above the lists (a failed connect is shown on its provider's card instead), until it is
 * dismissed or the same action on the same account or provider succeeds.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { isError, type ApiError } from '../../../shared/errors';
import type { AccountView, TokenFormat } from '../../../shared/model';
import type { AccountActions } from '../accounts/account-row';
import { copiedText } from '../accounts/token-formats';
import type { TokendeskBridge } from '../bridge';
import { settle } from '../common/api-context';
import { focusBack } from '../common/focus-back';
import { useToast } from '../common/toasts';
import type { TokendeskData } from '../data/use-tokendesk-data';
import type { ProviderCardActions } from '../providers/provider-card';
import { weakStorageSavedText } from '../status/secrets-text';
import type { OpenDialog } from './workspace-dialogs';

export interface ActionError {
  readonly title: string;
  readonly error: ApiError;
  /** Which action on what ("refresh acct_1"): its later success clears this error. */
  readonly action: string;
  /** The control that started the action, where the focus goes back when the error is dismissed. */
  readonly trigger: HTMLElement | undefined;
}

/** The focused control when an action starts: the button (or menu trigger) that started it. */
const focusedControl = (): HTMLElement | undefined => {
  const active = document.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : undefined;
};

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

  const failed = (action: string, title: string, error: ApiError, trigger = focusedControl()) =>
    setActionError({ title, error, action, trigger });
  /** The same action on the same account or provider worked: its old failure is out of date. */
  const succeeded = (action: string) =>
    setActionError((current) => (current?.action === action ? undefined : current));

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
    const action = `cancel-connect ${providerId}`;
    const trigger = focusedControl();
    const result = await settle(api.cancelConnect({ providerId }));
    if (result.ok) succeeded(action);
    else
      failed(
        action,
        `Could not cancel the sign-in with ${labelOf(providerId)}`,
        result.error,
        trigger,
      );
  };

  /** Main copies the code and opens the page it holds: a sign-in that has just ended has none. */
  const copyDeviceCode = async (providerId: string) => {
    const action = `device-code ${providerId}`;
    const trigger = focusedControl();
    const result = await settle(api.copyDeviceCode({ providerId }));
    if (!result.ok) {
      failed(action, 'Could not copy the code', result.error, trigger);
      return;
    }
    succeeded(action);
    toast(
      result.value.copied
        ? `Copied the code for ${labelOf(providerId)}.`
        : `The sign-in with ${labelOf(providerId)} is no longer waiting for a code.`,
    );
  };

  const openDevicePage = async (providerId: string) => {
    const action = `device-page ${providerId}`;
    const trigger = focusedControl();
    const result = await settle(api.openDevicePage({ providerId }));
    if (!result.ok) {
      failed(action, 'Could not open the page', result.error, trigger);
      return;
    }
    succeeded(action);
    if (!result.value.opened) {
      toast(`The page for ${labelOf(providerId)} could not be opened: type its address instead.`);
    }
  };

  const copy = async (account: AccountView, format: TokenFormat) => {
    const action = `copy ${account.id}`;
    const trigger = focusedControl();
    const result = await settle(api.copyToken({ accountId: account.id, format }));
    if (result.ok) {
      succeeded(action);
      toast(copiedText(format, account.displayName, result.value.clearsAt, Date.now()));
    } else {
      failed(action, `Could not copy the token for ${account.displayName}`, result.error, trigger);
    }
  };

  const refresh = async (account: AccountView) => {
    const action = `refresh ${account.id}`;
    const trigger = focusedControl();
    setRefreshPending((pending) => new Set(pending).add(account.id));
    const result = await settle(api.refreshAccount({ accountId: account.id }));
    setRefreshPending((pending) => without(pending, account.id));
    if (result.ok) {
      succeeded(action);
      toast(`Refreshed the token for ${account.displayName}.`);
    } else {
      failed(
        action,
        `Could not refresh the token for ${account.displayName}`,
        result.error,
        trigger,
      );
    }
  };

  /** The banner's choice (its dialog closed itself): told in the words of what main now reports. */
  const saveWeakStorage = async (persistWeakSecrets: boolean) => {
    const action = 'weak-storage';
    const result = await settle(api.saveSettings({ persistWeakSecrets }));
    if (!result.ok) {
      // Read now, not before: the confirming dialog has given the focus back to the banner.
      failed(action, 'The setting was not changed', result.error);
      return;
    }
    succeeded(action);
    setSettings(result.value);
    const status = await reloadStatus();
    toast(weakStorageSavedText(persistWeakSecrets, status?.secrets));
  };

  // Rows and cards are memoised: they get one stable object whose calls reach the latest handlers.
  const handlers = {
    connect,
    cancelConnect,
    copyDeviceCode,
    openDevicePage,
    copy,
    refresh,
    labelOf,
    openDialog,
  };
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
      inspect: (account) => latest.current.openDialog({ kind: 'inspect', account }),
    }),
    [],
  );
  const providerActions = useMemo<ProviderCardActions>(
    () => ({
      connect: (providerId) => void latest.current.connect(providerId),
      cancelConnect: (providerId) => void latest.current.cancelConnect(providerId),
      copyDeviceCode: (providerId) => void latest.current.copyDeviceCode(providerId),
      openDevicePage: (providerId) => void latest.current.openDevicePage(providerId),
      dismissConnectError: (providerId) => dispatchConnect({ type: 'clear', providerId }),
      edit: (provider) => latest.current.openDialog({ kind: 'edit', provider }),
      remove: (provider) => latest.current.openDialog({ kind: 'delete', provider }),
      exportSetup: (provider) => latest.current.openDialog({ kind: 'export', provider }),
      addMachineAccount: (provider) => latest.current.openDialog({ kind: 'add-machine', provider }),
    }),
    [dispatchConnect],
  );

  return {
    accountActions,
    providerActions,
    saveWeakStorage,
    refreshPending,
    actionError,
    /** Dismissed: the focus goes back to what started the action, not to the page. */
    dismissActionError: () => {
      focusBack(actionError?.trigger);
      setActionError(undefined);
    },
  };
};
