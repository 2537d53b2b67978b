// @vitest-environment happy-dom
/**
 * private_key_jwt in the provider form: choosing it asks for the private key (masked, several
 * lines) and a key ID instead of the secret, and sends them; a stored key is write-only.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBridge, makeProvider, NOW, ok } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const KEY =
  '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';

const editForm = async (fields: Parameters<typeof makeProvider>[0]) => {
  const provider = makeProvider(fields);
  const bridge = fakeBridge({ providers: [provider] }, { saveProvider: () => ok(provider) });
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
  return { user, bridge, form: screen.getByRole('dialog', { name: 'Edit Local IdP' }) };
};

describe('private_key_jwt in the provider form', () => {
  it('choosing it asks for the key and its ID instead of the secret, and sends them', async () => {
    const { user, bridge, form } = await editForm({ hasClientSecret: false });
    await user.selectOptions(
      within(form).getByLabelText('Client authentication'),
      'private_key_jwt',
    );
    expect(within(form).queryByLabelText('Client secret')).toBeNull();
    const key = within(form).getByLabelText<HTMLTextAreaElement>('Private key');
    expect(key.tagName).toBe('TEXTAREA');
    expect(key.className).toContain('masked-key');
    await user.click(key);
    await user.paste(KEY);
    await user.type(within(form).getByLabelText('Key ID (optional)'), 'key-1');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const sent = bridge.api.saveProvider.mock.calls[0]![0];
    expect(sent).toMatchObject({ clientAuth: 'private_key_jwt', privateKey: KEY, keyId: 'key-1' });
    expect(sent).not.toHaveProperty('clientSecret');
  });

  it('a stored key is never shown: it is kept, replaced or removed', async () => {
    const { user, bridge, form } = await editForm({
      clientAuth: 'private_key_jwt',
      hasClientSecret: false,
      hasPrivateKey: true,
      keyId: 'key-1',
    });
    expect(form.textContent).toContain('A private key is stored.');
    expect(form.querySelector('textarea')).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const kept = bridge.api.saveProvider.mock.calls[0]![0];
    expect(kept).toMatchObject({ clientAuth: 'private_key_jwt', keyId: 'key-1' });
    expect(kept).not.toHaveProperty('privateKey');
  });

  it('a secret method can be chosen outright', async () => {
    const { user, bridge, form } = await editForm({ hasClientSecret: false });
    await user.selectOptions(
      within(form).getByLabelText('Client authentication'),
      'client_secret_post',
    );
    await user.type(within(form).getByLabelText('Client secret'), 'the-secret');
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      clientAuth: 'client_secret_post',
      clientSecret: 'the-secret',
    });
  });
});
