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

export const useTokendeskData = (bridge: TokendeskBridge) => {
  const { api } = bridge;
  const [listing, setListing] = useState<ProvidersListing>();
  const [accounts, setAccounts] = useState<readonly AccountView[]>([]);
  const [status, setStatus] = useState<AppStatus>();
  const [settings, setSettings] = useState<SettingsView>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [connects, dispatchConnect] = useReducer(connectReducer, NO_CONNECTS);
  const [attempt, setAttempt] = useState(0);

  const reloadProviders = useCallback(async () => {
    const result = await settle(api.listProviders());
    if (result.ok) setListing(result.value);
  }, [api]);

  const reloadStatus = useCallback(async () => {
    const result = await settle(api.getStatus());
    // Read after every pushed list; an unchanged answer must not re-render the window.
    if (result.ok)
      setStatus((previous) => (sameJson(previous, result.value) ? previous : result.value));
  }, [api]);

  const mergeAccounts = useCallback(
    (next: readonly AccountView[]) => setAccounts((previous) => reuseUnchanged(previous, next)),
    [],
  );

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
        setLoadError(providers.error);
        return;
      }
      setLoadError(undefined);
      setListing(providers.value);
      if (list.ok && !pushed) mergeAccounts(list.value);
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
