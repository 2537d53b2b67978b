// @vitest-environment happy-dom
/**
 * The provider form's "API hosts (optional)" box (for `tokendesk token --for <url>`): offered
 * where the preset knows no API hosts of its own or its tokens open the user's own APIs (Entra),
 * sent as typed, pre-filled and emptied on edit,
 * and refused hosts named beside it.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { ProviderConfigView } from '../../../../shared/model';
import { fail, fakeBridge, makeProvider, NOW, ok } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

const LABEL = 'API hosts (optional)';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const openAddForm = async (bridge = fakeBridge({}, { saveProvider: () => ok(makeProvider()) })) => {
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Add a provider' }));
  return { user, bridge, form: screen.getByRole('dialog', { name: 'Add provider' }) };
};

const openEditForm = async (provider: ProviderConfigView) => {
  const bridge = fakeBridge({ providers: [provider] }, { saveProvider: () => ok(provider) });
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: `Edit ${provider.label}` }));
  return { user, bridge, form: screen.getByRole('dialog', { name: `Edit ${provider.label}` }) };
};

const hostsInput = (form: HTMLElement) => within(form).getByLabelText<HTMLInputElement>(LABEL);

/** The error when there is one, else the hint: the first text that describes the input. */
const describedFirst = (input: HTMLElement) => {
  const errorId = input.getAttribute('aria-describedby')?.split(' ')[0];
  return errorId ? document.getElementById(errorId)?.textContent : undefined;
};

describe('adding a provider with API hosts', () => {
  it('sends what was typed, split on spaces and commas, trimmed but not lower-cased', async () => {
    const { user, bridge, form } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OpenID Connect');
    await user.type(within(form).getByLabelText('Issuer URL'), 'https://idp.work.example');
    await user.type(within(form).getByLabelText('Client ID'), 'tokendesk');
    const hosts = hostsInput(form);
    expect(describedFirst(hosts)).toMatch(/^For the tokendesk command’s --for: hosts whose APIs/);
    await user.type(hosts, '  api.work.example, *.svc.work.example ,,API.Other.example  ');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(bridge.api.saveProvider).toHaveBeenCalledWith({
      intent: 'add',
      presetId: 'oidc',
      clientId: 'tokendesk',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      consentMode: 'embedded',
      issuer: 'https://idp.work.example',
      apiHosts: ['api.work.example', '*.svc.work.example', 'API.Other.example'],
    });
  });

  it('sends no API hosts at all when the box is left empty', async () => {
    const { user, bridge, form } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    await user.type(hostsInput(form), ' , ');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider).toHaveBeenCalledTimes(1);
    expect(bridge.api.saveProvider.mock.calls[0]![0]).not.toHaveProperty('apiHosts');
  });
});

describe('editing a provider’s API hosts', () => {
  const provider = makeProvider({ apiHosts: ['api.work.example', '*.svc.work.example'] });

  it('pre-fills them, and sends them again on save', async () => {
    const { user, bridge, form } = await openEditForm(provider);
    expect(hostsInput(form).value).toBe('api.work.example *.svc.work.example');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      intent: 'edit',
      apiHosts: ['api.work.example', '*.svc.work.example'],
    });
  });

  it('sends [] when the box is emptied, so they are removed', async () => {
    const { user, bridge, form } = await openEditForm(provider);
    await user.clear(hostsInput(form));
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      intent: 'edit',
      id: 'oidc',
      apiHosts: [],
    });
  });

  it('sends nothing about them when there were none and none are typed', async () => {
    const { user, bridge, form } = await openEditForm(makeProvider());
    expect(hostsInput(form).value).toBe('');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).not.toHaveProperty('apiHosts');
  });
});

describe('a refused API host', () => {
  it('is named beside the box, which takes the focus; the form’s alert stays away', async () => {
    const bridge = fakeBridge(
      {},
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                {
                  field: 'apiHosts.1',
                  expression: 'pattern',
                  originalValue: 'API.Other.example',
                  reason: 'must be a host name in lower case, or *. and one',
                },
              ],
            }),
          ),
      },
    );
    const { user, form } = await openAddForm(bridge);
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    const hosts = hostsInput(form);
    await user.type(hosts, 'api.work.example API.Other.example');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    expect(hosts.getAttribute('aria-invalid')).toBe('true');
    expect(describedFirst(hosts)).toBe(
      '“API.Other.example”: must be a host name in lower case, or *. and one.',
    );
    expect(document.activeElement).toBe(hosts);
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(within(form).getByLabelText('Scopes').getAttribute('aria-invalid')).toBeNull();

    // Fixing the box clears its complaint.
    await user.clear(hosts);
    await user.type(hosts, 'api.other.example');
    expect(hosts.getAttribute('aria-invalid')).toBeNull();
  });
});

describe('presets that know their own API hosts', () => {
  it('offer no box to add one (GitHub’s tokens open GitHub’s APIs)', async () => {
    const { user, bridge, form } = await openAddForm();
    // Google is the first preset, then each built-in one; the custom ones have the box.
    expect(within(form).queryByLabelText(LABEL)).toBeNull();
    for (const name of ['GitHub', 'GitLab']) {
      await user.selectOptions(within(form).getByLabelText('Provider'), name);
      expect(within(form).queryByLabelText(LABEL)).toBeNull();
    }
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    await user.type(hostsInput(form), 'api.work.example');
    // Typed for a custom provider, then GitHub chosen after all: not sent for GitHub.
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    await user.type(within(form).getByLabelText('Client ID'), 'Iv1.abc');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).not.toHaveProperty('apiHosts');
  });

  it('Microsoft Entra ID offers the box: its tokens also open the APIs of the user’s own app registrations', async () => {
    const { user, bridge, form } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'Microsoft Entra ID');
    const hosts = hostsInput(form);
    expect(describedFirst(hosts)).toContain('(graph.microsoft.com) need not');
    await user.type(
      within(form).getByLabelText('Client ID'),
      '11111111-2222-3333-4444-555555555555',
    );
    await user.type(hosts, 'api.contoso.example');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      presetId: 'microsoft',
      apiHosts: ['api.contoso.example'],
    });
  });

  it('show the box when the configuration edited has hosts of its own, to see and remove them', async () => {
    const { issuer: _none, ...github } = makeProvider({
      presetId: 'github',
      label: 'GitHub',
      apiHosts: ['uploads.github.com'],
    });
    const { user, bridge, form } = await openEditForm(github);
    const hosts = hostsInput(form);
    expect(hosts.value).toBe('uploads.github.com');
    expect(describedFirst(hosts)).toContain('GitHub’s own (api.github.com github.com) need not');
    await user.clear(hosts);
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({ apiHosts: [] });
  });
});
