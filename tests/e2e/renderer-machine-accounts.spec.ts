/**
 * Machine accounts in real Chromium: the provider card's "Add machine account…" dialog sends
 * what was typed, shows the provider's refusal in the dialog (nothing added), and the account
 * it adds is listed with the others, marked "machine". The built renderer talks through the
 * test host to a small in-memory API (the core's side has tests of its own).
 */
import { expect, test } from '@playwright/test';
import { errorOf } from '../../shared/errors';
import type { ChannelInput } from '../../shared/ipc-contract';
import type { AccountView, ProviderConfigView } from '../../shared/model';
import { PRESETS, registeredRedirectUri } from '../../shared/providers';
import { answer, fakeMain } from './support/fake-main';
import { hostRenderer } from './support/renderer-host';
import { checkAccessibility } from './support/screens';
import { serveRenderer, type StaticServer } from './support/static-server';

let site: StaticServer;
test.beforeAll(async () => {
  site = await serveRenderer();
});
test.afterAll(async () => {
  await site.close();
});

test.use({ viewport: { width: 1200, height: 800 } });

const NOW = Date.now();
const oidc = PRESETS.find((preset) => preset.id === 'oidc')!;

const PROVIDER: ProviderConfigView = {
  id: 'services',
  presetId: 'oidc',
  label: 'Services',
  clientId: 'svc-client',
  hasClientSecret: true,
  scopes: ['openid'],
  consentMode: 'embedded',
  clientAuth: 'client_secret_basic',
  issuer: 'https://idp.example.com',
  redirectUri: registeredRedirectUri(oidc, 'services'),
};

const account = (fields: Partial<AccountView> & Pick<AccountView, 'id'>): AccountView => ({
  providerId: 'services',
  presetId: 'oidc',
  subject: fields.id,
  displayName: fields.id,
  scopes: [],
  expiresAt: NOW + 3_600_000,
  obtainedAt: NOW,
  status: 'ok',
  hasToken: true,
  canRefresh: true,
  refreshing: false,
  createdAt: NOW,
  updatedAt: NOW,
  ...fields,
});

/** A stand-in for main: one provider, its accounts in memory, the list pushed as main does. */
const startFakeMain = () => {
  let accounts: AccountView[] = [
    account({ id: 'alice', displayName: 'alice@example.com', email: 'alice@example.com' }),
  ];
  const asked: ChannelInput<'addMachineAccount'>[] = [];
  /** The next add is refused as a wrong secret would be. */
  let refuseNext = false;
  const main = fakeMain((emit) => ({
    listProviders: () => answer({ presets: PRESETS, configured: [PROVIDER] }),
    addMachineAccount: (input) => {
      if (input) asked.push(input);
      if (refuseNext) {
        refuseNext = false;
        return Promise.resolve({
          ok: false as const,
          error: errorOf('invalidClient', {
            message:
              'The provider rejected the client credentials (invalid_client: client authentication failed): check the client ID and its secret or private key.',
          }),
        });
      }
      const added = account({
        id: 'machine-1',
        subject: 'svc-client',
        displayName: `${input?.name ?? ''} (client svc-client)`,
        scopes: input?.scopes ?? [],
        machine: {
          name: input?.name ?? '',
          ...(input?.audience !== undefined ? { audience: input.audience } : {}),
          resources: input?.resources ?? [],
        },
      });
      accounts = [...accounts, added];
      emit('accountsChanged', accounts);
      return answer({ account: added, created: true });
    },
    listAccounts: () => answer(accounts),
  }));
  return {
    api: main.api,
    events: main.events,
    asked,
    refuseNextAdd: () => {
      refuseNext = true;
    },
  };
};

test('Add machine account sends what was typed, and the account is listed, marked machine', async ({
  page,
}) => {
  const main = startFakeMain();
  const host = await hostRenderer(page, main.api, main.events);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add machine account to Services' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a machine account to Services' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('textbox', { name: 'Name' })).toBeFocused();

    await dialog.getByRole('textbox', { name: 'Name' }).fill('deploy-bot');
    await dialog.getByRole('textbox', { name: 'Scopes' }).fill('api:read  api:write');
    await dialog
      .getByRole('textbox', { name: 'Audience (optional)' })
      .fill('https://api.example.com');
    await dialog
      .getByRole('textbox', { name: 'Resources (optional)' })
      .fill('https://api.example.com/ https://other.example.com/');
    await checkAccessibility(page, 'add-machine-account');

    // The provider refuses the client's credentials: said in the dialog, nothing added.
    main.refuseNextAdd();
    await dialog.getByRole('button', { name: 'Add machine account' }).click();
    await expect(dialog.getByRole('alert')).toContainText('invalid_client');
    await expect(page.getByText('deploy-bot (client svc-client)')).toHaveCount(0);

    await dialog.getByRole('button', { name: 'Add machine account' }).click();
    await expect(dialog).toBeHidden();
    const typed = {
      providerId: 'services',
      name: 'deploy-bot',
      scopes: ['api:read', 'api:write'],
      audience: 'https://api.example.com',
      resources: ['https://api.example.com/', 'https://other.example.com/'],
    };
    expect(main.asked).toEqual([typed, typed]);

    const row = page.getByRole('listitem', { name: 'deploy-bot (client svc-client)' });
    await expect(row).toBeVisible();
    await expect(row.getByText('machine', { exact: true })).toBeVisible();
    await expect(
      row.getByRole('button', { name: 'Copy token for deploy-bot (client svc-client)' }),
    ).toBeEnabled();
    await expect(
      row.getByRole('button', { name: 'Refresh deploy-bot (client svc-client)' }),
    ).toBeEnabled();
    // Listed with the person's account, which has no badge.
    const alice = page.getByRole('listitem', { name: 'alice@example.com' });
    await expect(alice).toBeVisible();
    await expect(alice.getByText('machine', { exact: true })).toHaveCount(0);
    await checkAccessibility(page, 'machine-account-listed');
  } finally {
    host.dispose();
  }
});
