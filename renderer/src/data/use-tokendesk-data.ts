/**
 * Everything the window shows that comes from main: loaded once at start, then kept current by
 * main's events (accountsChanged carries the whole list) and by re-reading after our own changes.
 */
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProvidersListing } from '../../../shared/ipc-contract';
import type { AccountView, AppStatus, SettingsView } from '../../../shared/model';
import { reuseUnchanged } from '../accounts/reuse-unchanged';
import type { TokendeskBridge } from '../bridge';
import { settle } from '../common/api-context';
import { sameJson } from '../common/same-json';
import { connectReducer, type ConnectStates } from '../providers/connect-state';

const NO_CONNECTS: ConnectStates = new Map();

/** What the first load could not read: the window says which, with Try again. */
export interface LoadError {
  readonly what: 'providers' | 'accounts';
  readonly error: ApiError;
}

export const useTokendeskData = (bridge: TokendeskBridge) => {
  const { api } = bridge;
  const [listing, setListing] = useState<ProvidersListing>();
  const [accounts, setAccounts] = useState<readonly AccountView[]>([]);
  /** Whether a list of accounts has arrived at all: until then "no accounts" is not known. */
  const [accountsLoaded, setAccountsLoaded] = useState(false);
  const [status, setStatus] = useState<AppStatus>();
  const [settings, setSettings] = useState<SettingsView>();
  const [loadError, setLoadError] = useState<LoadError>();
  const [connects, dispatchConnect] = useReducer(connectReducer, NO_CONNECTS);
  const [attempt, setAttempt] = useState(0);

  const reloadProviders = useCallback(async () => {
    const result = await settle(api.listProviders());
    if (result.ok) setListing(result.value);
  }, [api]);

  /** Reads the status again; answers it (undefined when main could not say) for the caller's words. */
  const reloadStatus = useCallback(async (): Promise<AppStatus | undefined> => {
    const result = await settle(api.getStatus());
    if (!result.ok) return undefined;
    // Read after every pushed list; an unchanged answer must not re-render the window.
    setStatus((previous) => (sameJson(previous, result.value) ? previous : result.value));
    return result.value;
  }, [api]);

  const mergeAccounts = useCallback((next: readonly AccountView[]) => {
    setAccounts((previous) => reuseUnchanged(previous, next));
    setAccountsLoaded(true);
    // A list arrived after all: an account list that failed to load no longer matters.
    setLoadError((previous) => (previous?.what === 'accounts' ? undefined : previous));
  }, []);

  useEffect(() => {
    let live = true;
    // A list pushed while the first one is on its way is the newer one.
    let pushed = false;
    const offAccounts = bridge.on('accountsChanged', (next) => {
      pushed = true;
      mergeAccounts(next);
      // A refresh whose result could not be written shows up in the storage status.
      void reloadStatus();
    });
    const offProgress = bridge.on('connectProgress', (progress) =>
      dispatchConnect({ type: 'progress', progress }),
    );
    void Promise.all([
      settle(api.listProviders()),
      settle(api.listAccounts()),
      settle(api.getStatus()),
      settle(api.getSettings()),
    ]).then(([providers, list, appStatus, appSettings]) => {
      if (!live) return;
      if (!providers.ok) {
        setLoadError({ what: 'providers', error: providers.error });
        return;
      }
      setListing(providers.value);
      // A list pushed meanwhile is newer than this answer, and a list all the same.
      if (list.ok && !pushed) mergeAccounts(list.value);
      setLoadError(list.ok || pushed ? undefined : { what: 'accounts', error: list.error });
      if (appStatus.ok) setStatus(appStatus.value);
      if (appSettings.ok) setSettings(appSettings.value);
    });
    return () => {
      live = false;
      offAccounts();
      offProgress();
    };
  }, [bridge, api, attempt, mergeAccounts, reloadStatus]);

  return {
    listing,
    accounts,
    accountsLoaded,
    mergeAccounts,
    status,
    settings,
    setSettings,
    loadError,
    retryLoad: useCallback(() => setAttempt((count) => count + 1), []),
    reloadProviders,
    reloadStatus,
    connects,
    dispatchConnect,
  };
};

export type TokendeskData = ReturnType<typeof useTokendeskData>;
