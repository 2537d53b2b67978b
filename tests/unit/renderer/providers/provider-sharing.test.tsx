// @vitest-environment happy-dom
/**
 * Sharing provider setups in the window: Export (all, or one card's) shows main's text read-only
 * with Copy and Save as file; Import takes a file or pasted text, asks before replacing IDs in
 * use, lists a refusal's problems by their place in the file, and says what it imported.
 */
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorOf } from '../../../../shared/errors';
import {
  fail,
  fakeBridge,
  makeProvider,
  ok,
  type FakeBridge,
} from '../../helpers/renderer/fake-bridge';
import { renderApp } from '../../helpers/renderer/render-app';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const work = makeProvider({ id: 'work', label: 'Work IdP' });
const github = makeProvider({
  id: 'github',
  presetId: 'github',
  label: 'GitHub',
  clientId: 'Iv1.team',
  hasClientSecret: false,
});

const setupText = (ids: readonly string[]) =>
  JSON.stringify({
    tokendesk: 'providers',
    version: 1,
    providers: ids.map((id) => ({ id, presetId: 'oidc', label: `${id} IdP`, clientId: 'c' })),
  });

/** document.execCommand as Chromium answers it for a copy the user clicked for. */
const stubCopyCommand = (answer: boolean) => {
  const execCommand = vi.fn((_command: string) => answer);
  Object.defineProperty(document, 'execCommand', { value: execCommand, configurable: true });
  return execCommand;
};

const openExport = async (bridge: FakeBridge, button: string, title: string) => {
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: button }));
  const dialog = screen.getByRole('dialog', { name: title });
  const text = await within(dialog).findByRole('textbox');
  return { user, dialog, text };
};

describe('export', () => {
  it('Export all shows every setup read-only, and Copy copies it', async () => {
    const bridge = fakeBridge({ providers: [work, github] });
    const execCommand = stubCopyCommand(true);
    const { user, dialog, text } = await openExport(bridge, 'Export all…', 'Export providers');

    expect(bridge.api.exportProviders).toHaveBeenCalledWith({});
    expect(within(dialog).getByLabelText('Setup of 2 providers (JSON)')).toBe(text);
    expect(text).toHaveProperty('readOnly', true);
    expect(JSON.parse((text as HTMLTextAreaElement).value)).toMatchObject({
      tokendesk: 'providers',
      providers: [{ id: 'work' }, { id: 'github' }],
    });
    expect(dialog.textContent).toMatch(/never a client secret or an account/);

    const copy = within(dialog).getByRole('button', { name: 'Copy' });
    await user.click(copy);
    expect(execCommand).toHaveBeenCalledWith('copy');
    expect(within(dialog).getByRole('status').textContent).toBe('Copied to the clipboard.');
    expect(document.activeElement).toBe(copy);
  });

  it('a copy the window refuses leaves the text selected and says how to copy it', async () => {
    stubCopyCommand(false);
    const { user, dialog, text } = await openExport(
      fakeBridge({ providers: [work] }),
      'Export all…',
      'Export providers',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(within(dialog).getByRole('status').textContent).toMatch(
      /selected: copy it with Ctrl\+C/,
    );
    expect(document.activeElement).toBe(text);
  });

  it('a card’s Export exports that provider alone, and Save as file downloads it by its ID', async () => {
    const bridge = fakeBridge({ providers: [work, github] });
    const createObjectURL = vi.fn((_blob: Blob) => 'blob:tokendesk://app/setup');
    Object.defineProperty(URL, 'createObjectURL', { value: createObjectURL, configurable: true });
    Object.defineProperty(URL, 'revokeObjectURL', { value: vi.fn(), configurable: true });
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(this);
    });
    const { user, dialog, text } = await openExport(bridge, 'Export GitHub', 'Export GitHub');

    expect(bridge.api.exportProviders).toHaveBeenCalledWith({ providerIds: ['github'] });
    expect(within(dialog).getByLabelText('Setup of 1 provider (JSON)')).toBe(text);

    await user.click(within(dialog).getByRole('button', { name: 'Save as file…' }));
    expect(clicked).toHaveLength(1);
    expect(clicked[0]?.download).toBe('tokendesk-github.json');
    expect(clicked[0]?.href).toBe('blob:tokendesk://app/setup');
    const blob = createObjectURL.mock.calls[0]?.[0];
    expect(await blob?.text()).toBe((text as HTMLTextAreaElement).value);
    expect(within(dialog).getByRole('status').textContent).toMatch(/tokendesk-github\.json/);
  });

  it('a refused export says so, and Copy does nothing', async () => {
    const bridge = fakeBridge(
      { providers: [work] },
      { exportProviders: () => fail(errorOf('internal')) },
    );
    const execCommand = stubCopyCommand(true);
    const user = userEvent.setup();
    await renderApp(bridge);
    await user.click(screen.getByRole('button', { name: 'Export Work IdP' }));
    const dialog = screen.getByRole('dialog', { name: 'Export Work IdP' });
    expect(await within(dialog).findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('Nothing was exported'),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Copy' }));
    expect(execCommand).not.toHaveBeenCalled();
  });
});

const openImport = async (bridge: FakeBridge, button = 'Import…') => {
  const user = userEvent.setup();
  await renderApp(bridge);
  await user.click(screen.getByRole('button', { name: button }));
  const dialog = screen.getByRole('dialog', { name: 'Import providers' });
  return { user, dialog };
};

const paste = async (
  user: ReturnType<typeof userEvent.setup>,
  dialog: HTMLElement,
  text: string,
) => {
  await user.click(within(dialog).getByLabelText('Setup (JSON)'));
  await user.paste(text);
};

describe('import', () => {
  it('imports pasted text, reloads the providers and names what it imported', async () => {
    const bridge = fakeBridge({ providers: [work] });
    const { user, dialog } = await openImport(bridge);
    const text = setupText(['team']);
    await paste(user, dialog, text);
    const listings = bridge.api.listProviders.mock.calls.length;

    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    expect(bridge.api.importProviders).toHaveBeenCalledWith({ text });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bridge.api.listProviders.mock.calls.length).toBeGreaterThan(listings);
    expect(screen.getByTestId('toast').textContent).toBe('Imported team IdP.');
  });

  it('reads a chosen file into the text, then imports it', async () => {
    const bridge = fakeBridge({});
    const { user, dialog } = await openImport(bridge, 'Import providers…');
    const text = setupText(['team', 'other']);
    await user.upload(
      within(dialog).getByLabelText('Setup file'),
      new File([text], 'team.json', { type: 'application/json' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByLabelText('Setup (JSON)')).toHaveProperty('value', text),
    );
    expect(dialog.textContent).toMatch(/Read team\.json/);

    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(bridge.api.importProviders).toHaveBeenCalledWith({ text });
    expect(screen.getByTestId('toast').textContent).toBe('Imported team IdP and other IdP.');
  });

  it('a file far too big is not read, and nothing is sent', async () => {
    const bridge = fakeBridge({});
    const { user, dialog } = await openImport(bridge, 'Import providers…');
    const huge = new File(['x'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(huge, 'size', { value: 5 * 1024 * 1024 });
    const read = vi.spyOn(huge, 'text');
    await user.upload(within(dialog).getByLabelText('Setup file'), huge);
    expect(await within(dialog).findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringMatching(/huge\.json is 5\.0 MB: a provider setup file is at most 256 KB/),
    );
    expect(read).not.toHaveBeenCalled();
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(bridge.api.importProviders).not.toHaveBeenCalled();
  });

  it('asks before replacing IDs in use, naming them; Replace imports again with them', async () => {
    const bridge = fakeBridge({ providers: [work] });
    const { user, dialog } = await openImport(bridge);
    const text = setupText(['work', 'team']);
    await paste(user, dialog, text);

    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    const confirm = screen.getByRole('dialog', { name: 'Replace a provider?' });
    expect(within(confirm).getByRole('listitem').textContent).toBe('Work IdP work');
    expect(confirm.textContent).toMatch(/a provider with accounts cannot be pointed at another/);
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Back' }));

    await user.click(within(confirm).getByRole('button', { name: 'Replace 1' }));

    expect(bridge.api.importProviders).toHaveBeenLastCalledWith({ text, replace: ['work'] });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('toast').textContent).toBe('Imported work IdP and team IdP.');
  });

  it('Back returns to the text, unchanged', async () => {
    const { user, dialog } = await openImport(fakeBridge({ providers: [work] }));
    const text = setupText(['work']);
    await paste(user, dialog, text);
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    const form = screen.getByRole('dialog', { name: 'Import providers' });
    expect(within(form).getByLabelText('Setup (JSON)')).toHaveProperty('value', text);
  });

  it('lists each problem of a refused setup at its place in the file', async () => {
    const bridge = fakeBridge(
      { providers: [work] },
      {
        importProviders: () =>
          fail(
            errorOf('invalidField', {
              validationDetail: [
                {
                  field: 'providers.0.clientSecret',
                  expression: 'secret',
                  reason:
                    '"clientSecret" is named like a secret: a shared setup never holds one (each person enters their own); remove it from the file',
                },
                {
                  field: 'providers.2.scopes',
                  expression: 'type',
                  reason: 'must be array, not string',
                },
                { field: '', expression: 'type', reason: 'must be a provider setup file' },
              ],
            }),
          ),
      },
    );
    const { user, dialog } = await openImport(bridge);
    await paste(user, dialog, setupText(['team']));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));

    const alert = within(dialog).getByRole('alert');
    expect(alert.textContent).toMatch(/^Nothing was imported/);
    expect(
      within(alert)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      'providers.0.clientSecret: "clientSecret" is named like a secret: a shared setup never holds one (each person enters their own); remove it from the file.',
      'providers.2.scopes: Must be array, not string.',
      'The file: Must be a provider setup file.',
    ]);
    expect(within(dialog).getByLabelText('Setup (JSON)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('dialog', { name: 'Import providers' })).toBe(dialog);
  });

  it('a refused replace (accounts would follow) is shown with main’s words, and nothing closes', async () => {
    const bridge = fakeBridge({ providers: [work] });
    bridge.api.importProviders
      .mockImplementationOnce(() => ok({ imported: [], conflicts: ['work'] }))
      .mockImplementationOnce(() =>
        fail(
          errorOf('providerInUse', {
            message:
              '1 account is connected through Work IdP: disconnect it before changing where it signs in.',
          }),
        ),
      );
    const { user, dialog } = await openImport(bridge);
    await paste(user, dialog, setupText(['work']));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await user.click(screen.getByRole('button', { name: 'Replace 1' }));

    const form = screen.getByRole('dialog', { name: 'Import providers' });
    expect(within(form).getByRole('alert').textContent).toMatch(
      /Nothing was imported.*connected through Work IdP/,
    );
  });

  it('Import with nothing chosen or pasted asks for a setup first', async () => {
    const bridge = fakeBridge({ providers: [work] });
    const { user, dialog } = await openImport(bridge);
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    expect(within(dialog).getByRole('alert').textContent).toMatch(/Choose a setup file, or paste/);
    expect(bridge.api.importProviders).not.toHaveBeenCalled();
  });

  it('says which imported providers still need the user’s own client secret', async () => {
    const bridge = fakeBridge(
      {},
      { importProviders: () => ok({ imported: [github, work], conflicts: [] }) },
    );
    const { user, dialog } = await openImport(bridge, 'Import providers…');
    await paste(user, dialog, setupText(['github', 'work']));
    await user.click(within(dialog).getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByTestId('toast').textContent).toBe(
      'Imported GitHub and Work IdP. GitHub needs your client secret: add it with Edit before connecting.',
    );
  });
});
