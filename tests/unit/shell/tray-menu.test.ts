/**
 * The tray menu: one item per account that copies a fresh token through the API object (the
 * renderer's path), rebuilt when the accounts change; an account that needs reconnecting is
 * disabled; a failed copy is logged without secrets, shown as a notification, and crashes
 * nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NativeImage } from 'electron';
import type { Result } from '../../../shared/errors';
import type { TokendeskApi } from '../../../shared/ipc-contract';
import type { AccountView, ProviderConfigView } from '../../../shared/model';
import { CoreEvents } from '../../../main/core/events';
import {
  accountLabel,
  installTray,
  trayMenuTemplate,
  type TrayOptions,
} from '../../../main/shell/tray-menu';
import { createApiFixture, ok, type ApiFixture } from '../helpers/api-fixture';
import { createCapturingLogger } from '../helpers/capturing-logger';
import { FakeClock } from '../helpers/fake-clock';
import { answerWithCode, scriptedConsent } from '../helpers/scripted-consent';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../helpers/tiny-oauth-provider';
import type { FakeTray, MenuItemTemplate } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

const icon = {} as NativeImage;

const account = (overrides: Partial<AccountView> = {}): AccountView => ({
  id: 'acc-1',
  providerId: 'github',
  presetId: 'github',
  subject: '583231',
  displayName: 'octocat',
  scopes: ['read:user'],
  expiresAt: null,
  obtainedAt: 0,
  status: 'ok',
  hasToken: true,
  canRefresh: false,
  refreshing: false,
  createdAt: 0,
  updatedAt: 0,
  ...overrides,
});

const provider = (id: string, label: string): ProviderConfigView => ({
  id,
  presetId: 'oauth2',
  label,
  clientId: 'client',
  hasClientSecret: false,
  scopes: [],
  consentMode: 'embedded',
  clientAuth: 'none',
  redirectUri: 'http://127.0.0.1/callback/x',
});

const okResult = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

/** An API double with just what the tray calls. */
const fakeApi = (accounts: readonly AccountView[] = [], labels: ProviderConfigView[] = []) => ({
  copyToken: vi.fn<TokendeskApi['copyToken']>(() =>
    okResult({ format: 'bare' as const, accountId: 'acc-1', expiresAt: null }),
  ),
  listAccounts: vi.fn<TokendeskApi['listAccounts']>(() => okResult(accounts)),
  listProviders: vi.fn<TokendeskApi['listProviders']>(() =>
    okResult({ presets: [], configured: labels }),
  ),
});

const latestTray = (): FakeTray => {
  const tray = electron.Tray.instances.at(-1);
  if (!tray) throw new Error('no tray was created');
  return tray;
};

const menuItems = (tray: FakeTray = latestTray()): readonly MenuItemTemplate[] =>
  tray.menu?.template ?? [];

const itemLabelled = (label: string, tray?: FakeTray): MenuItemTemplate => {
  const item = menuItems(tray).find((candidate) => candidate.label === label);
  if (!item) {
    throw new Error(`no item "${label}" in ${JSON.stringify(menuItems(tray).map((i) => i.label))}`);
  }
  return item;
};

const install = (overrides: Partial<TrayOptions> = {}) => {
  const events = new CoreEvents();
  const logger = createCapturingLogger();
  const showWindow = vi.fn();
  const tray = installTray({
    icon,
    api: fakeApi(),
    events,
    showWindow,
    logger,
    platform: 'linux',
    ...overrides,
  });
  return { tray, events, logger, showWindow };
};

beforeEach(() => {
  vi.clearAllMocks();
  electron.Tray.instances.length = 0;
  electron.Notification.instances.length = 0;
  electron.state.notificationsSupported = true;
});

describe('trayMenuTemplate', () => {
  const actions = { copy: vi.fn(), showWindow: vi.fn() };
  const labels = new Map([
    ['github', 'GitHub'],
    ['work', 'Work Entra'],
  ]);

  it('lists one item per account, provider label then email or login', () => {
    const items = trayMenuTemplate(
      [
        account(),
        account({ id: 'acc-2', providerId: 'work', displayName: 'Ada', email: 'ada@example.test' }),
      ],
      labels,
      actions,
    ) as MenuItemTemplate[];

    const accountItems = items.filter((item) => item.id?.startsWith('account:'));
    expect(accountItems.map((item) => [item.label, item.enabled])).toEqual([
      ['GitHub — octocat', true],
      ['Work Entra — ada@example.test', true],
    ]);
  });

  it('falls back to the provider id when the provider has no label', () => {
    expect(accountLabel(account({ providerId: 'gone' }), undefined)).toBe('gone — octocat');
  });

  it('disables an account that needs reconnecting, and says why', () => {
    const items = trayMenuTemplate(
      [account({ status: 'reconnect-needed' })],
      labels,
      actions,
    ) as MenuItemTemplate[];

    expect(items.find((item) => item.id === 'account:acc-1')).toMatchObject({
      label: 'GitHub — octocat (reconnect needed)',
      enabled: false,
    });
  });

  it('ends with Show Tokendesk and Quit', () => {
    const items = trayMenuTemplate([account()], labels, actions) as MenuItemTemplate[];

    expect(items.slice(-3)).toMatchObject([
      { type: 'separator' },
      { label: 'Show Tokendesk' },
      { label: 'Quit', role: 'quit' },
    ]);
    items.find((item) => item.label === 'Show Tokendesk')?.click?.();
    expect(actions.showWindow).toHaveBeenCalledOnce();
  });

  it('says so when there are no accounts', () => {
    const items = trayMenuTemplate([], labels, actions) as MenuItemTemplate[];
    expect(items[0]).toMatchObject({ label: 'No accounts connected', enabled: false });
    expect(items.some((item) => item.id?.startsWith('account:'))).toBe(false);
  });
});

describe('installTray', () => {
  it('builds the menu from the API’s accounts and provider labels', async () => {
    const api = fakeApi([account()], [provider('github', 'GitHub')]);
    install({ api });

    await vi.waitFor(() => expect(itemLabelled('GitHub — octocat').enabled).toBe(true));
    expect(latestTray().setToolTip).toHaveBeenCalledWith('Tokendesk');
    expect(latestTray().image).toBe(icon);
  });

  it('a click copies a bare token through the API’s copyToken', async () => {
    const api = fakeApi([account()], [provider('github', 'GitHub')]);
    install({ api });
    await vi.waitFor(() => itemLabelled('GitHub — octocat'));

    itemLabelled('GitHub — octocat').click?.();

    expect(api.copyToken).toHaveBeenCalledWith({ accountId: 'acc-1', format: 'bare' });
    await vi.waitFor(() => expect(api.copyToken).toHaveResolved());
    expect(electron.Notification.instances).toEqual([]);
  });

  it('rebuilds the menu when the accounts change', async () => {
    const api = fakeApi([], [provider('github', 'GitHub')]);
    const { events } = install({ api });
    await vi.waitFor(() => itemLabelled('No accounts connected'));

    events.emit('accountsChanged', [account(), account({ id: 'acc-2', displayName: 'hubot' })]);
    await vi.waitFor(() => itemLabelled('GitHub — hubot'));
    expect(itemLabelled('GitHub — octocat').enabled).toBe(true);

    events.emit('accountsChanged', [account({ status: 'reconnect-needed' })]);
    await vi.waitFor(() =>
      expect(itemLabelled('GitHub — octocat (reconnect needed)').enabled).toBe(false),
    );
    expect(menuItems().some((item) => item.label === 'GitHub — hubot')).toBe(false);
  });

  it('a rebuild that finishes late does not overwrite a newer one', async () => {
    const api = fakeApi([], [provider('github', 'GitHub')]);
    const { tray, events } = install({ api });
    await vi.waitFor(() => itemLabelled('No accounts connected'));
    let releaseSlow: () => void = () => undefined;
    api.listProviders.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          releaseSlow = () =>
            resolve({
              ok: true,
              value: { presets: [], configured: [provider('github', 'GitHub')] },
            });
        }),
    );

    events.emit('accountsChanged', [account({ displayName: 'before' })]);
    await tray.rebuild([account({ displayName: 'after' })]);
    expect(itemLabelled('GitHub — after').enabled).toBe(true);

    releaseSlow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(itemLabelled('GitHub — after').enabled).toBe(true);
    expect(menuItems().some((item) => item.label === 'GitHub — before')).toBe(false);
  });

  it('a failed copy is logged without secrets and shown as a notification', async () => {
    const api = fakeApi([account()], [provider('github', 'GitHub')]);
    api.copyToken.mockResolvedValueOnce({
      ok: false,
      error: { group: 'refresh', code: 1, message: 'GitHub refused the refresh token.' },
    });
    const { logger } = install({ api });
    await vi.waitFor(() => itemLabelled('GitHub — octocat'));

    itemLabelled('GitHub — octocat').click?.();

    await vi.waitFor(() => expect(electron.Notification.instances).toHaveLength(1));
    const [notification] = electron.Notification.instances;
    expect(notification?.options).toEqual({
      title: 'Could not copy the token',
      body: 'GitHub refused the refresh token.',
    });
    expect(notification?.show).toHaveBeenCalledOnce();
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: 'tray copy failed',
        fields: { accountId: 'acc-1', error: 'refresh/1' },
      },
    ]);
  });

  it('without notification support, a failed copy is only logged', async () => {
    electron.state.notificationsSupported = false;
    const api = fakeApi([account()]);
    api.copyToken.mockResolvedValueOnce({
      ok: false,
      error: { group: 'refresh', code: 1, message: '' },
    });
    const { logger } = install({ api });
    await vi.waitFor(() => itemLabelled('github — octocat'));

    itemLabelled('github — octocat').click?.();

    await vi.waitFor(() => expect(logger.entries).toHaveLength(1));
    expect(electron.Notification.instances).toEqual([]);
  });

  it('a copy that throws crashes nothing, and its message is not logged', async () => {
    const api = fakeApi([account()]);
    api.copyToken.mockRejectedValueOnce(new Error('boom eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'));
    const { logger } = install({ api });
    await vi.waitFor(() => itemLabelled('github — octocat'));

    expect(() => itemLabelled('github — octocat').click?.()).not.toThrow();

    await vi.waitFor(() => expect(logger.entries).toHaveLength(1));
    expect(logger.entries[0]).toMatchObject({ level: 'error', fields: { name: 'Error' } });
    expect(logger.dump()).not.toContain('eyJ');
    expect(electron.Notification.instances).toHaveLength(1);
  });

  it('a failing account list leaves an empty menu, not a crash', async () => {
    const api = fakeApi();
    api.listAccounts.mockRejectedValueOnce(new Error('disk'));
    const { logger, tray } = install({ api });

    await vi.waitFor(() => expect(logger.entries).toHaveLength(1));
    await tray.rebuild();
    expect(itemLabelled('No accounts connected').enabled).toBe(false);
  });

  it('opens the window on a left click on Windows only', () => {
    const onWindows = install({ platform: 'win32' });
    latestTray().emit('click');
    expect(onWindows.showWindow).toHaveBeenCalledOnce();

    const onLinux = install({ platform: 'linux' });
    latestTray().emit('click');
    expect(onLinux.showWindow).not.toHaveBeenCalled();
  });

  it('dispose removes the tray and stops listening', async () => {
    const api = fakeApi();
    const { tray, events } = install({ api });
    await vi.waitFor(() => itemLabelled('No accounts connected'));
    const created = latestTray();

    tray.dispose();
    events.emit('accountsChanged', [account()]);
    await Promise.resolve();

    expect(created.destroy).toHaveBeenCalledOnce();
    expect(created.setContextMenu).toHaveBeenCalledOnce();
  });
});

describe('installTray on the real API and core', () => {
  let oauth: TinyOAuthProvider;
  let f: ApiFixture;
  let clock: FakeClock;

  beforeEach(async () => {
    oauth = await startTinyOAuthProvider();
    // An access token about to expire: a copy must refresh first.
    oauth.script.code = () =>
      tokenReply({ access_token: 'at-first-7c1f', refresh_token: 'rt-tray-9a9a', expires_in: 20 });
    oauth.script.refresh = () => tokenReply({ access_token: 'at-fresh-2b2b', expires_in: 3600 });
    oauth.script.userinfo = () => ({
      status: 200,
      json: { sub: 'user-1', email: 'ada@example.test' },
    });
    clock = new FakeClock(Date.now());
    f = createApiFixture({ clock, consent: scriptedConsent(answerWithCode('code-1')) });
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        label: 'Local IdP',
        clientId: 'tokendesk-test',
        scopes: ['read'],
        endpoints: oauth.endpoints,
      }),
    );
  });

  afterEach(async () => {
    f.dispose();
    await oauth.close();
  });

  it('lists a newly connected account and copies a refreshed token on click', async () => {
    const logger = createCapturingLogger();
    installTray({ icon, api: f.api, events: f.core.events, showWindow: vi.fn(), logger });
    await vi.waitFor(() => itemLabelled('No accounts connected'));

    ok(await f.api.connect({ providerId: 'local' }));
    await vi.waitFor(() => itemLabelled('Local IdP — ada@example.test'));
    // Within the copy margin of its 20 s lifetime: the copy must refresh first.
    await clock.advance(19_000);

    itemLabelled('Local IdP — ada@example.test').click?.();

    await vi.waitFor(async () => expect(await f.clipboard.readText()).toBe('at-fresh-2b2b'));
    expect(logger.entries).toEqual([]);
  });

  it('a refused refresh: the copy fails with a notification, and the account turns disabled', async () => {
    oauth.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    const logger = createCapturingLogger();
    installTray({ icon, api: f.api, events: f.core.events, showWindow: vi.fn(), logger });
    ok(await f.api.connect({ providerId: 'local' }));
    await vi.waitFor(() => itemLabelled('Local IdP — ada@example.test'));
    await clock.advance(19_000);

    itemLabelled('Local IdP — ada@example.test').click?.();

    await vi.waitFor(() =>
      expect(itemLabelled('Local IdP — ada@example.test (reconnect needed)').enabled).toBe(false),
    );
    await vi.waitFor(() => expect(electron.Notification.instances).toHaveLength(1));
    expect(await f.clipboard.readText()).not.toContain('at-');
    expect(logger.entries.map((entry) => entry.message)).toEqual(['tray copy failed']);
    for (const secret of ['at-first-7c1f', 'rt-tray-9a9a', 'code-1']) {
      expect(logger.dump()).not.toContain(secret);
    }
  });
});
