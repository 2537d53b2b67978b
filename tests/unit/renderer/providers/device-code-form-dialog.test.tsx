// @vitest-environment happy-dom
/**
 * The provider form's sign-in choice with "Device code": there for GitHub, absent for GitLab,
 * appearing for custom OAuth 2.0 once a device endpoint is typed; chosen, the setup help says no
 * redirect URI is needed, and the save sends the mode.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBridge, NOW } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const openAddForm = async () => {
  const bridge = fakeBridge();
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Add a provider' }));
  const form = screen.getByRole('dialog', { name: 'Add provider' });
  return { user, form, bridge };
};

describe('the sign-in choice "Device code"', () => {
  it('GitHub offers it; chosen, no redirect URI is needed and the save sends it', async () => {
    const { user, form, bridge } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitHub');
    expect(within(form).getByTestId('redirect-uri')).toBeTruthy();

    await user.click(within(form).getByRole('radio', { name: 'Device code' }));
    expect(within(form).queryByTestId('redirect-uri')).toBeNull();
    expect(within(form).getByTestId('redirect-uri-none').textContent).toContain(
      'None needed to sign in with a code',
    );
    // The setup help names the GitHub setting to tick.
    expect(form.textContent).toContain('Enable Device Flow');

    await user.type(within(form).getByLabelText('Client ID'), 'Iv1.device');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider).toHaveBeenCalledWith(
      expect.objectContaining({ presetId: 'github', consentMode: 'device-code' }),
    );
  });

  it('GitLab does not offer it; custom OAuth 2.0 does once its device endpoint is typed', async () => {
    const { user, form } = await openAddForm();
    await user.selectOptions(within(form).getByLabelText('Provider'), 'GitLab');
    expect(within(form).queryByRole('radio', { name: 'Device code' })).toBeNull();

    await user.selectOptions(within(form).getByLabelText('Provider'), 'Custom OAuth 2.0');
    expect(within(form).queryByRole('radio', { name: 'Device code' })).toBeNull();
    await user.type(
      within(form).getByLabelText(/Device authorization endpoint/),
      'https://as.test/device',
    );
    expect(within(form).getByRole('radio', { name: 'Device code' })).toBeTruthy();
  });
});
