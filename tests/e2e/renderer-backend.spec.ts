/**
 * A provider "through a backend" in real Chromium: the provider form's Token exchange choice
 * swaps the client's own credential for the backend's fields, shows the exact URLs Tokendesk
 * will POST to and what the backend's redirect URI and shape mean for signing in, places main's
 * refusal of the redirect URI beside that field, and sends the backend object with its
 * credential, which is never shown again: the edit form only says one is stored. The built
 * renderer talks through the test host to a small in-memory stand-in for main (the core's side
 * has tests of its own).
 */
import { expect, test } from '@playwright/test';
import { errorOf } from '../../shared/errors';
import type { ChannelInput } from '../../shared/ipc-contract';
import type { ProviderConfigView } from '../../shared/model';
import { PRESETS, registeredRedirectUri } from '../../shared/providers';
import { answer, fakeMain, githubProvider } from './support/fake-main';
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

test.use({ viewport: { width: 1200, height: 900 } });

const CREDENTIAL = 'backend-bearer-7f3a9c';
const oidc = PRESETS.find((preset) => preset.id === 'oidc')!;

/** Main as far as this page needs it: saves providers in memory, refusing the first on cue. */
const startFakeMain = () => {
  let configured: ProviderConfigView[] = [githubProvider()];
  const saved: ChannelInput<'saveProvider'>[] = [];
  let refuseNext = false;
  const main = fakeMain(() => ({
    listProviders: () => answer({ presets: PRESETS, configured }),
    saveProvider: (input) => {
      if (input) saved.push(input);
      if (refuseNext) {
        refuseNext = false;
        return Promise.resolve({
          ok: false as const,
          error: errorOf('invalidField', {
            validationDetail: [
              {
                field: 'backend.redirectUri',
                expression: 'custom',
                reason: 'must be the redirect URI the backend’s client registered',
              },
            ],
          }),
        });
      }
      const backend = input?.backend;
      const previous = configured.find((provider) => provider.id === (input?.id ?? 'oidc'));
      const view: ProviderConfigView = {
        id: input?.id ?? 'oidc',
        presetId: 'oidc',
        label: input?.label ?? 'Custom OpenID Connect',
        clientId: input?.clientId ?? '',
        hasClientSecret: false,
        scopes: input?.scopes ?? [],
        consentMode: input?.consentMode ?? 'embedded',
        clientAuth: 'none',
        ...(input?.issuer !== undefined ? { issuer: input.issuer } : {}),
        redirectUri: registeredRedirectUri(oidc, 'oidc'),
        ...(backend
          ? {
              backend: {
                url: backend.url,
                shape: backend.shape,
                redirectUri: backend.redirectUri,
                // Write-only, as main keeps it: only whether one is stored comes back.
                hasCredential:
                  typeof backend.credential === 'string' ||
                  (backend.credential === undefined && previous?.backend?.hasCredential === true),
              },
            }
          : {}),
      };
      configured = [...configured.filter((provider) => provider.id !== view.id), view];
      return answer(view);
    },
  }));
  return {
    api: main.api,
    events: main.events,
    saved,
    refuseNextSave: () => {
      refuseNext = true;
    },
  };
};

test('through a backend: the form shows the backend’s fields and notes, places main’s refusal, and sends the credential once', async ({
  page,
}) => {
  const main = startFakeMain();
  const host = await hostRenderer(page, main.api, main.events);
  try {
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Add provider' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add provider' });
    await expect(dialog).toBeVisible();

    // Google through a backend with a web redirect URI: the form says it cannot work.
    await dialog.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Google' });
    await dialog.getByRole('radio', { name: 'Through a backend' }).check();
    await expect(dialog.getByRole('combobox', { name: 'Backend shape' })).toHaveValue(
      'google-style',
    );
    await dialog.getByRole('textbox', { name: 'Redirect URI' }).fill('https://app.example.com/cb');
    await expect(dialog.getByTestId('backend-notes')).toContainText(
      'Google blocks sign-in in embedded windows',
    );
    await expect(dialog.getByTestId('backend-notes')).toContainText(
      'Register a loopback redirect URI with a port',
    );

    // A custom OpenID Connect provider, its backend of the Google-style shape.
    await dialog
      .getByRole('combobox', { name: 'Provider' })
      .selectOption({ label: 'Custom OpenID Connect' });
    await dialog.getByRole('textbox', { name: 'Client ID' }).fill('web-client');
    await dialog.getByRole('textbox', { name: 'Issuer URL' }).fill('https://idp.example.com');
    await expect(dialog.getByRole('radio', { name: 'Through a backend' })).toBeChecked();
    // The client's own credential is the backend's business: no secret, no client auth, no code sign-in.
    await expect(dialog.getByLabel('Client secret')).toHaveCount(0);
    await expect(dialog.getByRole('combobox', { name: 'Client authentication' })).toHaveCount(0);
    await expect(dialog.getByRole('radio', { name: 'Device code' })).toHaveCount(0);

    await dialog
      .getByRole('combobox', { name: 'Backend shape' })
      .selectOption({ label: 'Google-style exchange and refresh' });
    await dialog.getByRole('textbox', { name: 'Backend URL' }).fill('https://api.example.com/');
    const calls = dialog.getByTestId('backend-calls');
    await expect(calls).toContainText(
      'Code exchange: https://api.example.com/auth/google/exchange',
    );
    await expect(calls).toContainText('Refresh: https://api.example.com/auth/google/refresh');
    await dialog
      .getByRole('textbox', { name: 'Redirect URI' })
      .fill('https://app.example.com/oauth/callback');
    const notes = dialog.getByTestId('backend-notes');
    await expect(notes).toContainText(
      'With a web redirect URI only the embedded window can catch it',
    );
    await expect(notes).toContainText(
      'This backend cannot pass a PKCE verifier on: the sign-in is protected by state (and nonce) only.',
    );
    await expect(dialog.getByRole('radio', { name: 'System browser' })).toBeDisabled();
    await expect(dialog.getByRole('radio', { name: 'Embedded window' })).toBeChecked();
    await dialog.getByLabel('Backend credential (optional)').fill(CREDENTIAL);
    await expect(dialog.getByLabel('Backend credential (optional)')).toHaveAttribute(
      'type',
      'password',
    );
    await checkAccessibility(page, 'provider-form-backend');

    // Main refuses the redirect URI: said beside that field, which takes the focus.
    main.refuseNextSave();
    await dialog.getByRole('button', { name: 'Save provider' }).click();
    const redirect = dialog.getByRole('textbox', { name: 'Redirect URI' });
    await expect(redirect).toHaveAttribute('aria-invalid', 'true');
    await expect(redirect).toHaveAccessibleDescription(
      /Must be the redirect URI the backend’s client registered\./,
    );
    await expect(redirect).toBeFocused();

    await dialog.getByRole('button', { name: 'Save provider' }).click();
    await expect(dialog).toBeHidden();
    const sent = {
      presetId: 'oidc',
      clientId: 'web-client',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      consentMode: 'embedded',
      issuer: 'https://idp.example.com',
      backend: {
        url: 'https://api.example.com/',
        shape: 'google-style',
        redirectUri: 'https://app.example.com/oauth/callback',
        credential: CREDENTIAL,
      },
      intent: 'add',
    };
    expect(main.saved).toEqual([sent, sent]);

    // The card names the backend; the credential never came back to the page.
    const card = page.getByRole('region', { name: 'Custom OpenID Connect' });
    await expect(card.getByText('Through api.example.com')).toBeVisible();
    await expect(card.getByText('Token exchange')).toBeVisible();
    // The client's credentials are the backend's: no machine account can be asked for here.
    await expect(card.getByRole('button', { name: /^Add machine account/ })).toHaveCount(0);

    // Edited, the form only says a credential is stored, and a save keeps it by sending none.
    await card.getByRole('button', { name: 'Edit Custom OpenID Connect' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Custom OpenID Connect' });
    await expect(edit.getByRole('radio', { name: 'Through a backend' })).toBeChecked();
    await expect(edit.getByText('A backend credential is stored.')).toBeVisible();
    await expect(edit.getByLabel('Backend credential (optional)')).toHaveCount(0);
    await expect(edit.getByRole('button', { name: 'Remove backend credential' })).toBeVisible();
    await edit.getByRole('button', { name: 'Replace backend credential' }).click();
    await expect(edit.getByLabel('Backend credential (optional)')).toHaveValue('');
    await expect(edit.getByText('Replaces the stored credential when you save.')).toBeVisible();
    await edit.getByRole('button', { name: 'Keep the stored credential' }).click();
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await expect(edit).toBeHidden();
    expect(main.saved).toHaveLength(3);
    expect(main.saved[2]?.backend).toEqual({
      url: 'https://api.example.com/',
      shape: 'google-style',
      redirectUri: 'https://app.example.com/oauth/callback',
    });
    expect(main.saved[2]).not.toHaveProperty('clientSecret');

    expect(host.traffic.map((record) => record.json).join('\n')).not.toContain(CREDENTIAL);
  } finally {
    host.dispose();
  }
});
