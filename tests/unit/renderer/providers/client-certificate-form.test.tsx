// @vitest-environment happy-dom
/**
 * The provider form's "Client certificate (mTLS)" section: collapsed by default, PEM text pasted
 * or read from a file and sent once with the save, the stored certificate described as main
 * read it, its private key never shown, a refusal placed beside the box it names.
 */
import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import type { ClientCertificateView } from '../../../../shared/model';
import { fail, fakeBridge, makeProvider, NOW, ok } from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const CERT = '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey-never-shown\n-----END PRIVATE KEY-----';

const stored: ClientCertificateView = {
  subject: 'CN=alice\nO=Example Corp',
  issuer: 'CN=Example Corp Issuing CA',
  validFrom: NOW - 86_400_000,
  validTo: Date.UTC(2031, 4, 17),
  fingerprint: 'AB:CD',
  hasPrivateKey: true,
};

const editForm = async (clientCertificate?: ClientCertificateView) => {
  const provider = makeProvider(clientCertificate ? { clientCertificate } : {});
  const bridge = fakeBridge({ providers: [provider] }, { saveProvider: () => ok(provider) });
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
  const form = screen.getByRole('dialog', { name: 'Edit Local IdP' });
  const section = form.querySelector<HTMLDetailsElement>('details.client-certificate')!;
  return { user, bridge, form, section };
};

describe('the client certificate section', () => {
  it('is collapsed by default and sends nothing about a certificate unless one is added', async () => {
    const { user, bridge, form, section } = await editForm();
    expect(section.open).toBe(false);
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    const sent = bridge.api.saveProvider.mock.calls[0]![0];
    expect(sent).not.toHaveProperty('clientCertificate');
    expect(sent).not.toHaveProperty('clientPrivateKey');
  });

  it('sends the certificate and the key pasted, once, with the save', async () => {
    const { user, bridge, form, section } = await editForm();
    await user.click(within(section).getByText('Client certificate (mTLS)'));
    await user.click(within(section).getByRole('button', { name: 'Add a client certificate' }));
    await user.click(within(section).getByLabelText('Certificate (PEM)'));
    await user.paste(CERT);
    await user.click(within(section).getByLabelText('Private key (PEM)'));
    await user.paste(KEY);
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({
      clientCertificate: `${CERT}\n`,
      clientPrivateKey: `${KEY}\n`,
    });
  });

  it('reads a chosen PEM file into the box', async () => {
    const { user, form, section } = await editForm();
    await user.click(within(section).getByText('Client certificate (mTLS)'));
    await user.click(within(section).getByRole('button', { name: 'Add a client certificate' }));
    await user.upload(
      within(form).getByLabelText('Certificate (PEM): choose a PEM file'),
      new File([CERT], 'client.crt', { type: 'application/x-pem-file' }),
    );
    const box = within(section).getByLabelText<HTMLTextAreaElement>('Certificate (PEM)');
    await vi.waitFor(() => expect(box.value).toBe(CERT));
  });

  it('shows the stored certificate’s subject, issuer and expiry, never a key, and Remove sends null', async () => {
    const { user, bridge, form, section } = await editForm(stored);
    expect(section.textContent).toContain('CN=alice, O=Example Corp');
    await user.click(within(section).getByText(/Client certificate \(mTLS\)/));
    expect(section.textContent).toContain('CN=Example Corp Issuing CA');
    expect(section.textContent).toContain(
      new Date(stored.validTo).toLocaleDateString(undefined, {
        year: 'numeric',
        month: 'long',
        day: 'numeric',
      }),
    );
    expect(within(section).queryByRole('textbox')).toBeNull();
    await user.click(within(section).getByRole('button', { name: 'Remove client certificate' }));
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));
    expect(bridge.api.saveProvider.mock.calls[0]![0]).toMatchObject({ clientCertificate: null });
    expect(bridge.api.saveProvider.mock.calls[0]![0]).not.toHaveProperty('clientPrivateKey');
  });

  it('a key main refuses is named beside its box, which takes the focus', async () => {
    const reason =
      'is not the private key of the certificate for CN=alice: choose the key that was made with it';
    const provider = makeProvider();
    const bridge = fakeBridge(
      { providers: [provider] },
      {
        saveProvider: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [{ field: 'clientPrivateKey', expression: 'rule', reason }],
            }),
          ),
      },
    );
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Edit Local IdP' }));
    const form = screen.getByRole('dialog', { name: 'Edit Local IdP' });
    const section = form.querySelector<HTMLDetailsElement>('details.client-certificate')!;
    await user.click(within(section).getByText('Client certificate (mTLS)'));
    await user.click(within(section).getByRole('button', { name: 'Add a client certificate' }));
    await user.click(within(section).getByLabelText('Certificate (PEM)'));
    await user.paste(CERT);
    await user.click(within(section).getByLabelText('Private key (PEM)'));
    await user.paste(KEY);
    // Closed again before saving: the refusal opens it.
    await user.click(within(section).getByText('Client certificate (mTLS)'));
    await user.click(within(form).getByRole('button', { name: 'Save provider' }));

    const key = within(section).getByLabelText<HTMLTextAreaElement>('Private key (PEM)');
    expect(section.open).toBe(true);
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(section.textContent).toContain('Is not the private key of the certificate for CN=alice');
    expect(document.activeElement).toBe(key);
  });
});
