/**
 * The tray (menu bar on macOS) menu: one item per account that copies a fresh access token in
 * one click, then "Show Tokendesk" and "Quit". A copy goes through the API object's copyToken —
 * the renderer's path — so the refresh before copying, the clipboard clearing and the error
 * handling are the same wherever the click happened. The menu is rebuilt whenever the accounts
 * change.
 */
import {
  Menu,
  Notification,
  Tray,
  type MenuItemConstructorOptions,
  type NativeImage,
} from 'electron';
import type { ApiError } from '../../shared/errors';
import type { TokendeskApi } from '../../shared/ipc-contract';
import type { AccountView } from '../../shared/model';
import type { CoreEvents } from '../core/events';
import type { Logger } from '../core/ports';

export interface TrayMenuActions {
  copy(account: AccountView): void;
  showWindow(): void;
}

/** "GitHub — octocat": the provider's label, then the email or login the user knows. */
export const accountLabel = (account: AccountView, providerLabel: string | undefined): string =>
  `${providerLabel ?? account.providerId} — ${account.email ?? account.displayName}`;

export const trayMenuTemplate = (
  accounts: readonly AccountView[],
  providerLabels: ReadonlyMap<string, string>,
  actions: TrayMenuActions,
): MenuItemConstructorOptions[] => {
  const accountItems = accounts.map((account): MenuItemConstructorOptions => {
    const label = accountLabel(account, providerLabels.get(account.providerId));
    // Its refresh token was refused: a copy cannot work until the user signs in again.
    const reconnect = account.status === 'reconnect-needed';
    return {
      id: `account:${account.id}`,
      label: reconnect ? `${label} (reconnect needed)` : label,
      enabled: !reconnect,
      click: () => actions.copy(account),
    };
  });
  return [
    ...(accountItems.length > 0
      ? [{ label: 'Copy access token', enabled: false }, ...accountItems]
      : [{ label: 'No accounts connected', enabled: false }]),
    { type: 'separator' },
    { label: 'Show Tokendesk', click: () => actions.showWindow() },
    { label: 'Quit', role: 'quit' },
  ];
};

export interface TrayOptions {
  readonly icon: NativeImage;
  readonly api: Pick<TokendeskApi, 'copyToken' | 'listAccounts' | 'listProviders'>;
  readonly events: Pick<CoreEvents, 'on'>;
  readonly showWindow: () => void;
  readonly logger: Logger;
  readonly platform?: NodeJS.Platform;
}

export interface AppTray {
  /** Rebuilds the menu from the given accounts, or from the API's list. */
  rebuild(accounts?: readonly AccountView[]): Promise<void>;
  /**
   * Says, once per run, that closing the window left Tokendesk running in the tray (tokens are
   * kept fresh and the tray still copies them), and how to quit.
   */
  noteStillRunning(): void;
  dispose(): void;
}

const notify = (title: string, body: string, logger: Logger): void => {
  try {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  } catch (error) {
    logger.warn('could not show a notification', {
      reason: error instanceof Error ? error.name : typeof error,
    });
  }
};

const describeFailure = (error: ApiError): string => `${error.group}/${error.code}`;

export const installTray = (options: TrayOptions): AppTray => {
  const { api, logger } = options;
  const tray = new Tray(options.icon);
  tray.setToolTip('Tokendesk');
  // Windows opens a tray icon's window on a left click; the menu is on the right button.
  if ((options.platform ?? process.platform) === 'win32') {
    tray.on('click', () => options.showWindow());
  }

  const copy = async (account: AccountView): Promise<void> => {
    try {
      const result = await api.copyToken({ accountId: account.id, format: 'bare' });
      if (result.ok) return;
      logger.warn('tray copy failed', {
        accountId: account.id,
        error: describeFailure(result.error),
      });
      notify(
        'Could not copy the token',
        result.error.message || 'Open Tokendesk to see what went wrong.',
        logger,
      );
    } catch (error) {
      // The API answers failures as values; anything thrown is a bug, and its message may carry
      // anything, so only its name is logged.
      logger.error('tray copy crashed', {
        accountId: account.id,
        name: error instanceof Error ? error.name : typeof error,
      });
      notify('Could not copy the token', 'Open Tokendesk to see what went wrong.', logger);
    }
  };
  const actions: TrayMenuActions = {
    copy: (account) => void copy(account),
    showWindow: () => options.showWindow(),
  };

  const providerLabels = async (): Promise<Map<string, string>> => {
    const listing = await api.listProviders();
    return new Map(
      listing.ok ? listing.value.configured.map((config) => [config.id, config.label]) : [],
    );
  };

  // Rebuilds can overlap (each awaits the API); only the latest one may set the menu.
  let generation = 0;
  const rebuild = async (accounts?: readonly AccountView[]): Promise<void> => {
    const mine = ++generation;
    try {
      let list = accounts;
      if (list === undefined) {
        const listed = await api.listAccounts();
        list = listed.ok ? listed.value : [];
      }
      const labels = await providerLabels();
      if (mine !== generation || tray.isDestroyed()) return;
      tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(list, labels, actions)));
    } catch (error) {
      logger.warn('tray menu not updated', {
        reason: error instanceof Error ? error.name : typeof error,
      });
    }
  };

  const unsubscribe = options.events.on('accountsChanged', (accounts) => void rebuild(accounts));
  void rebuild();

  let noted = false;
  return {
    rebuild,
    noteStillRunning() {
      if (noted) return;
      noted = true;
      notify(
        'Tokendesk is still running',
        // Some Linux desktops show no tray icon at all (GNOME without the AppIndicator
        // extension) and Electron cannot tell: say how to get back without one.
        'It keeps your tokens fresh. Copy them from its tray icon, or start Tokendesk again to reopen the window; File → Quit (or Quit in the tray menu) stops it.',
        logger,
      );
    },
    dispose() {
      unsubscribe();
      generation++;
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
};
