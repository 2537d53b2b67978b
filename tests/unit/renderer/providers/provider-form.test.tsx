// @vitest-environment happy-dom
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import {
  fail,
  fakeBridge,
  makeAccount,
  makeProvider,
  NOW,
  ok,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

// The accounts' times are fixed: only the date is faked, timers run as usual for user-event.
beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const openAddForm = async (bridge = fakeBridge()) => {
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Add a provider' }));
  const form = screen.getByRole('dialog', { name: 'Add provider' });
  return { user, form, bridge };
};

describe('first run', () => {
  it('explains Tokendesk and leads to adding a provider', async () => {
    await renderApp(fakeBridge());
    expect(screen.getByRole('heading', { name: 'Welcome to Tokendesk' })).toBeTruthy();
    expect(document.body.textContent).toMatch(/never leave the app’s main process/);
    // No header "Add provider" yet: the welcome's button is the way in.
    expect(screen.queryByRole('button', { name: 'Add provider' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Add a provider' })).toBeTruthy();
  });
});

describe('the provider form', () => {
  it('shows each validation error beside its field and focuses the first one', async () => {
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                // Main's order need not be the form's: the focus follows the form.
                {
                  field: 'endpoints.token',
                  expression: 'url',
                  reason: 'must be an https URL (http only for 127.0.0.1, localhost or [::1])',
                },
                {
                  field: 'clientId',
                  expression: 'pattern',
                  reason: 'must be visible ASCII characters without spaces',
                },
                { field: 'endpoints', expression: 'rule', reason: 'unused' },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    await user.type(within(form).getByLabelText('Client ID'), 'has a space');
    await user.type(within(form).getByLabelText('Token endpoint'), 'http://idp.example/token');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    const clientId = within(form).getByLabelText('Client ID');
    const token = within(form).getByLabelText('Token endpoint');
    const authorization = within(form).getByLabelText('Authorization endpoint');
    for (const [input, message] of [
      [clientId, 'Must be visible ASCII characters without spaces.'],
      [token, 'Must be an https URL (http only for 127.0.0.1, localhost or [::1]).'],
      [authorization, 'Required.'],
    ] as const) {
      expect(input.getAttribute('aria-invalid')).toBe('true');
      const errorId = input.getAttribute('aria-describedby')!.split(' ')[0]!;
      expect(document.getElementById(errorId)?.textContent).toBe(message);
    }
    expect(within(form).getByLabelText('Scopes').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(clientId);
    // The request went out as typed, with the endpoints the user gave.
    expect(bridge.api.saveProvider).toHaveBeenCalledWith({
      intent: 'add',
      presetId: 'oauth2',
      clientId: 'has a space',
      scopes: [],
      consentMode: 'embedded',
      endpoints: { authorization: '', token: 'http://idp.example/token' },
    });

    // Fixing a field clears its complaint.
    await user.clear(clientId);
    await user.type(clientId, 'fixed');
    expect(clientId.getAttribute('aria-invalid')).toBeNull();
  });

  it('lists an error no field owns in the form’s alert', async () => {
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                { field: 'extra', expression: 'unknown', reason: '"extra" is not a field' },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.type(within(form).getByLabelText('Client ID'), 'abc');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(within(form).getByRole('alert').textContent).toContain('"extra" is not a field');
  });

  it('prefills scopes and consent from the preset, and Google allows only the system browser', async () => {
    const { user, form } = await openAddForm();
    const select = within(form).getByLabelText('Provider');
    expect(
      within(select)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual([
      'Google',
      'GitHub',
      'Microsoft Entra ID',
      'GitLab',
      'Custom OpenID Connect',
      'Custom OAuth 2.0',
    ]);
    expect(within(form).getByLabelText<HTMLInputElement>('Scopes').value).toBe(
      'openid email profile',
    );
    const embedded = within(form).getByRole<HTMLInputElement>('radio', { name: 'Embedded window' });
    const system = within(form).getByRole<HTMLInputElement>('radio', { name: 'System browser' });
    expect(system.checked).toBe(true);
    expect(embedded.disabled).toBe(true);
    expect(within(form).getByRole('radiogroup', { name: 'Consent' })).toBeTruthy();

    await user.selectOptions(select, 'Microsoft Entra ID');
    expect(within(form).getByLabelText<HTMLInputElement>('Tenant').value).toBe('common');
    expect(within(form).getByLabelText<HTMLInputElement>('Scopes').value).toBe(
      'openid profile email offline_access',
    );
    expect(embedded.disabled).toBe(false);
    expect(within(form).queryByLabelText('Issuer URL')).toBeNull();
  });

  it('says there is nothing to register for Google, instead of offering a URI to copy', async () => {
    const { user, form } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Google');
    expect(within(form).queryByTestId('redirect-uri')).toBeNull();
    expect(within(form).queryByRole('button', { name: 'Copy redirect URI' })).toBeNull();
    expect(within(form).getByTestId('redirect-uri-none').textContent).toBe(
      'Nothing to register: Google accepts any loopback address. Tokendesk signs in through http://127.0.0.1:<port>/callback/google on a free port.',
    );
  });

  it('shows the exact redirect URI for the configuration ID and copies it through main', async () => {
    const { user, form, bridge } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OpenID Connect');
    const uri = within(form).getByTestId('redirect-uri');
    expect(uri.tagName).toBe('CODE');
    expect(uri.textContent).toBe('http://127.0.0.1/callback/oidc');
    await user.type(within(form).getByLabelText('Configuration ID'), 'corp-idp');
    expect(uri.textContent).toBe('http://127.0.0.1/callback/corp-idp');

    await user.click(within(form).getByRole('button', { name: 'Copy redirect URI' }));
    expect(bridge.api.copyRedirectUri).toHaveBeenCalledWith({ presetId: 'oidc', id: 'corp-idp' });
    expect(screen.getByTestId('toast').textContent).toContain('http://127.0.0.1/callback/corp-idp');
    // The console address is text to select, never a link the window could follow.
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    expect(form.textContent).toContain('https://github.com/settings/developers');
    expect(form.querySelector('a')).toBeNull();
  });

  it('saves, closes, and lists the new provider with its Connect button', async () => {
    const saved = makeProvider({ label: 'Local IdP' });
    let configured: (typeof saved)[] = [];
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () => {
          configured = [saved];
          return ok(saved);
        },
        listProviders: async () => {
          const { PRESETS } = await import('../../../../shared/providers');
          return { ok: true, value: { presets: PRESETS, configured } };
        },
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OpenID Connect');
    await user.type(within(form).getByLabelText('Label'), 'Local IdP');
    await user.type(within(form).getByLabelText('Issuer URL'), 'http://127.0.0.1:4000');
    await user.type(within(form).getByLabelText('Client ID'), 'tokendesk-test');
    await user.type(within(form).getByLabelText('Client secret'), 'pssst');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(bridge.api.saveProvider).toHaveBeenCalledWith({
      intent: 'add',
      presetId: 'oidc',
      label: 'Local IdP',
      clientId: 'tokendesk-test',
      clientSecret: 'pssst',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      consentMode: 'embedded',
      issuer: 'http://127.0.0.1:4000',
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    const card = await screen.findByRole('region', { name: 'Local IdP' });
    expect(within(card).getByRole('button', { name: 'Connect Local IdP' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add provider' })).toBeTruthy();
  });
});

describe('the introspection endpoint of typed endpoints', () => {
  const HTTPS_ONLY = 'must be an https URL (http only for 127.0.0.1, localhost or [::1])';

  it('is an optional labelled field beside revocation and user-info, sent as typed, its refusal shown beside it', async () => {
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                { field: 'endpoints.introspection', expression: 'url', reason: HTTPS_ONLY },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    expect(within(form).queryByLabelText('Introspection endpoint')).toBeNull();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    const labels = [...form.querySelectorAll('label')].map((label) => label.textContent);
    expect(labels.indexOf('Introspection endpoint')).toBe(labels.indexOf('User-info endpoint') + 1);
    const introspection = within(form).getByLabelText<HTMLInputElement>('Introspection endpoint');
    expect(introspection.type).toBe('url');
    const hintId = introspection.getAttribute('aria-describedby')!;
    expect(document.getElementById(hintId)?.textContent).toMatch(/^Optional: lets Inspect ask/);

    await user.type(within(form).getByLabelText('Client ID'), 'client');
    await user.type(within(form).getByLabelText('Authorization endpoint'), 'https://as.test/auth');
    await user.type(within(form).getByLabelText('Token endpoint'), 'https://as.test/token');
    await user.type(introspection, 'http://as.test/introspect');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(bridge.api.saveProvider).toHaveBeenCalledWith(
      expect.objectContaining({
        endpoints: {
          authorization: 'https://as.test/auth',
          token: 'https://as.test/token',
          introspection: 'http://as.test/introspect',
        },
      }),
    );
    expect(introspection.getAttribute('aria-invalid')).toBe('true');
    const [errorId, stillHint] = introspection.getAttribute('aria-describedby')!.split(' ');
    expect(document.getElementById(errorId!)?.textContent).toBe(
      'Must be an https URL (http only for 127.0.0.1, localhost or [::1]).',
    );
    expect(stillHint).toBe(hintId);
    expect(document.activeElement).toBe(introspection);
    expect(within(form).getByLabelText('Token endpoint').getAttribute('aria-invalid')).toBeNull();

    // Fixing it clears its complaint.
    await user.clear(introspection);
    await user.type(introspection, 'https://as.test/introspect');
    expect(introspection.getAttribute('aria-invalid')).toBeNull();
  });

  it('an edit shows the stored one and keeps it on save', async () => {
    const endpoints = {
      authorization: 'https://as.test/auth',
      token: 'https://as.test/token',
      introspection: 'https://as.test/introspect',
    };
    const provider = makeProvider({ presetId: 'oauth2', label: 'Work AS', endpoints });
    const bridge = fakeBridge({ providers: [provider] }, { saveProvider: () => ok(provider) });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Work AS' }));
    const form = screen.getByRole('dialog', { name: 'Edit Work AS' });
    expect(within(form).getByLabelText<HTMLInputElement>('Introspection endpoint').value).toBe(
      'https://as.test/introspect',
    );
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({ endpoints });
  });
});

describe('a self-managed GitLab', () => {
  it('offers GitLab an optional Instance URL and sends it as the issuer; empty means gitlab.com', async () => {
    const { user, form, bridge } = await openAddForm(
      fakeBridge({}, { saveProvider: () => ok(makeProvider({ presetId: 'gitlab' })) }),
    );
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitLab');
    expect(within(form).queryByLabelText('Issuer URL')).toBeNull();
    const instance = within(form).getByLabelText<HTMLInputElement>('Instance URL (optional)');
    expect(instance.placeholder).toBe('https://gitlab.com');
    await user.type(instance, 'https://git.example.org/gitlab');
    await user.type(within(form).getByLabelText('Client ID'), 'app-id');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider).toHaveBeenCalledWith(
      expect.objectContaining({ presetId: 'gitlab', issuer: 'https://git.example.org/gitlab' }),
    );
  });

  it('has no Instance URL for presets that are one service only', async () => {
    const { user, form } = await openAddForm();
    for (const name of ['Google', 'GitHub', 'Microsoft Entra ID', 'Custom OpenID Connect']) {
      await user.selectOptions(within(form).getByLabelText('Provider'), name);
      expect(within(form).queryByLabelText('Instance URL (optional)')).toBeNull();
    }
  });
});

describe('copying the redirect URI from the form', () => {
  it('a refused copy says so, beside the field it names, and keeps the save’s errors', async () => {
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                {
                  field: 'clientId',
                  expression: 'pattern',
                  reason: 'must be visible ASCII characters without spaces',
                },
              ],
            }),
          ),
        copyRedirectUri: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                {
                  field: 'id',
                  expression: 'pattern',
                  reason: 'must be lowercase letters, digits and dashes',
                },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    await user.type(within(form).getByLabelText('Client ID'), 'has a space');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const clientId = within(form).getByLabelText('Client ID');
    expect(clientId.getAttribute('aria-invalid')).toBe('true');

    const id = within(form).getByLabelText('Configuration ID');
    await user.type(id, 'Corp IdP');
    await user.click(within(form).getByRole('button', { name: 'Copy redirect URI' }));
    expect(bridge.api.copyRedirectUri).toHaveBeenCalledWith({ presetId: 'github', id: 'Corp IdP' });

    // The save's complaint about the client ID is still there.
    expect(clientId.getAttribute('aria-invalid')).toBe('true');
    const clientIdError = clientId.getAttribute('aria-describedby')!.split(' ')[0]!;
    expect(document.getElementById(clientIdError)?.textContent).toBe(
      'Must be visible ASCII characters without spaces.',
    );
    // The copy's own complaint is beside the Configuration ID.
    expect(id.getAttribute('aria-invalid')).toBe('true');
    const idError = id.getAttribute('aria-describedby')!.split(' ')[0]!;
    expect(document.getElementById(idError)?.textContent).toBe(
      'Must be lowercase letters, digits and dashes.',
    );
    // It takes the focus: that is what to fix before copying again.
    expect(document.activeElement).toBe(id);
    const alert = within(form).getByRole('alert');
    expect(alert.textContent).toContain('The redirect URI was not copied');
    expect(form.textContent).not.toContain('The provider was not saved');
  });

  it('a copy that fails for another reason is an alert of its own', async () => {
    const bridge = fakeBridge(
      {},
      { copyRedirectUri: () => fail(errorOf('internal', { message: 'The clipboard is busy.' })) },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    await user.click(within(form).getByRole('button', { name: 'Copy redirect URI' }));
    const alert = within(form).getByRole('alert');
    expect(alert.textContent).toContain('The redirect URI was not copied');
    expect(alert.textContent).toContain('The clipboard is busy.');
    expect(form.textContent).not.toContain('The provider was not saved');
  });
});

describe('a refused copy of the redirect URI, later', () => {
  const refusedCopy = () =>
    fail(
      errorOf('invalidField', {
        validationDetail: [
          {
            field: 'id',
            expression: 'pattern',
            reason: 'must be lowercase letters, digits and dashes',
          },
        ],
      }),
    );

  it('goes once the Configuration ID it named is being fixed', async () => {
    const bridge = fakeBridge({}, { copyRedirectUri: refusedCopy });
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    const id = within(form).getByLabelText('Configuration ID');
    await user.type(id, 'Corp IdP');
    await user.click(within(form).getByRole('button', { name: 'Copy redirect URI' }));
    expect(within(form).getByRole('alert').textContent).toContain(
      'The redirect URI was not copied',
    );

    await user.clear(id);
    await user.type(id, 'corp-idp');
    expect(id.getAttribute('aria-invalid')).toBeNull();
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('goes when the form is submitted: a refused save then shows its own alert alone', async () => {
    const bridge = fakeBridge(
      {},
      {
        copyRedirectUri: () => fail(errorOf('internal', { message: 'The clipboard is busy.' })),
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                { field: 'extra', expression: 'unknown', reason: '"extra" is not a field' },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    await user.click(within(form).getByRole('button', { name: 'Copy redirect URI' }));
    expect(within(form).getByRole('alert').textContent).toContain('The clipboard is busy.');

    await user.type(within(form).getByLabelText('Client ID'), 'tokendesk');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const alerts = within(form).getAllByRole('alert');
    expect(alerts.map((alert) => alert.textContent)).toEqual([
      expect.stringContaining('The provider was not saved'),
    ]);
    expect(form.textContent).not.toContain('The redirect URI was not copied');
  });
});

describe('a configuration ID already in use', () => {
  const unique = (id: string) =>
    fail(
      errorOf('invalidField', {
        validationDetail: [
          {
            field: 'id',
            expression: 'unique',
            argument: id,
            reason: `"${id}" is already the configuration ID of Local IdP: choose another (it is part of the redirect URI), or edit that provider`,
          },
        ],
      }),
    );

  it.each([
    ['left empty (the preset ID is used)', ''],
    ['typed', 'corp-idp'],
  ])('is shown beside the Configuration ID, %s, which takes the focus', async (_, typed) => {
    const id = typed || 'oidc';
    const bridge = fakeBridge(
      { providers: [makeProvider({ id })] },
      { saveProvider: () => unique(id) },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('dialog', { name: 'Add provider' });
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OpenID Connect');
    await user.type(within(form).getByLabelText('Issuer URL'), 'https://idp.example');
    await user.type(within(form).getByLabelText('Client ID'), 'tokendesk');
    const configurationId = within(form).getByLabelText('Configuration ID');
    if (typed) await user.type(configurationId, typed);
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({ intent: 'add' });
    expect(configurationId.getAttribute('aria-invalid')).toBe('true');
    const errorId = configurationId.getAttribute('aria-describedby')!.split(' ')[0]!;
    expect(document.getElementById(errorId)?.textContent).toBe(
      `"${id}" is already the configuration ID of Local IdP: choose another (it is part of the redirect URI), or edit that provider.`,
    );
    expect(document.activeElement).toBe(configurationId);
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(screen.getByRole('dialog', { name: 'Add provider' })).toBe(form);
  });
});

describe('editing where a provider signs in while accounts use it', () => {
  it('shows main’s refusal in the form and keeps what the user typed', async () => {
    const message =
      '1 account is connected through Local IdP: disconnect it before changing where it signs in (client ID, issuer, tenant or endpoints). Its label, scopes and sign-in mode can change.';
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      { saveProvider: () => fail(errorOf('providerInUse', { message })) },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    const form = screen.getByRole('dialog', { name: 'Edit Local IdP' });
    const clientId = within(form).getByLabelText<HTMLInputElement>('Client ID');
    await user.clear(clientId);
    await user.type(clientId, 'another-client');
    const issuer = within(form).getByLabelText<HTMLInputElement>('Issuer URL');
    await user.clear(issuer);
    await user.type(issuer, 'https://elsewhere.example');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      intent: 'edit',
      id: 'oidc',
      clientId: 'another-client',
    });
    const alert = within(form).getByRole('alert');
    expect(alert.textContent).toContain('The provider was not saved');
    expect(alert.textContent).toContain(message);
    expect(alert.textContent).toContain('oauth/5');
    expect(screen.getByRole('dialog', { name: 'Edit Local IdP' })).toBe(form);
    expect(clientId.value).toBe('another-client');
    expect(issuer.value).toBe('https://elsewhere.example');
  });
});

describe('the client secret is write-only', () => {
  const editForm = async (hasClientSecret: boolean) => {
    const provider = makeProvider({ hasClientSecret });
    const bridge = fakeBridge({ providers: [provider] }, { saveProvider: () => ok(provider) });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    return { user, bridge, form: screen.getByRole('dialog', { name: 'Edit Local IdP' }) };
  };

  it('says a secret is stored and shows no value, then keeps it on save', async () => {
    const { user, bridge, form } = await editForm(true);
    expect(form.textContent).toContain('A secret is stored.');
    expect(within(form).queryByLabelText('Client secret', { selector: 'input' })).toBeNull();
    for (const input of form.querySelectorAll('input')) expect(input.type).not.toBe('password');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).not.toHaveProperty('clientSecret');
  });

  it('Replace gives an empty masked input whose value is sent', async () => {
    const { user, bridge, form } = await editForm(true);
    await user.click(within(form).getByRole('button', { name: 'Replace client secret' }));
    const secret = within(form).getByLabelText<HTMLInputElement>('Client secret');
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
    await user.type(secret, 'new-secret');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      intent: 'edit',
      id: 'oidc',
      clientSecret: 'new-secret',
    });
  });

  it('Remove sends null', async () => {
    const { user, bridge, form } = await editForm(true);
    await user.click(within(form).getByRole('button', { name: 'Remove client secret' }));
    expect(form.textContent).toContain('will be removed when you save');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({ clientSecret: null });
  });

  it('keeps the configuration ID and provider fixed when editing', async () => {
    const { form } = await editForm(false);
    expect(within(form).getByLabelText<HTMLInputElement>('Configuration ID').readOnly).toBe(true);
    expect(within(form).getByLabelText<HTMLSelectElement>('Provider').disabled).toBe(true);
    expect(within(form).getByLabelText<HTMLInputElement>('Client secret').value).toBe('');
  });
});

describe('deleting a provider', () => {
  it('shows main’s refusal while accounts exist', async () => {
    const bridge = fakeBridge(
      { providers: [makeProvider()] },
      {
        deleteProvider: () =>
          fail(
            errorOf('providerInUse', {
              message: 'Disconnect the 2 accounts of this provider before deleting it.',
            }),
          ),
      },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Delete Local IdP' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Local IdP?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(within(dialog).getByRole('alert').textContent).toContain(
      'Disconnect the 2 accounts of this provider before deleting it.',
    );
    expect(bridge.api.deleteProvider).toHaveBeenCalledWith({ providerId: 'oidc' });
  });
});

describe('deleting a provider that accounts still use', () => {
  it('keeps Delete focusable but unavailable, says why, and asks main nothing', async () => {
    const bridge = fakeBridge({
      providers: [makeProvider()],
      accounts: [
        makeAccount(),
        makeAccount({ id: 'acct_bo', subject: 'sub-bo', displayName: 'bo' }),
      ],
    });
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Delete Local IdP' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete Local IdP?' });
    const remove = within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Delete' });
    expect(remove.getAttribute('aria-disabled')).toBe('true');
    expect(remove.disabled).toBe(false);
    const description = remove
      .getAttribute('aria-describedby')!
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent)
      .join(' ');
    expect(description).toContain('2 accounts use it: disconnect them first.');

    remove.focus();
    expect(document.activeElement).toBe(remove);
    await user.click(remove);
    await user.keyboard('{Enter}');
    expect(bridge.api.deleteProvider).not.toHaveBeenCalled();
    expect(screen.getByRole('dialog', { name: 'Delete Local IdP?' })).toBe(dialog);
  });
});
