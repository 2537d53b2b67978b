/**
 * Real Electron, the application menu (main/shell/app-menu.ts): the top-level menus it builds
 * for Linux, the Edit menu's standard roles acting on the text field that has the focus, File →
 * Quit ending the app, and Help → About being there. About is not clicked: on Linux it opens a
 * native GTK dialog that nothing here could close.
 */
import { expect, test, type Page } from '@playwright/test';
import { applicationMenu, clickMenuItem } from '../support/electron/app-menu';
import { type RunningApp, withTokendesk } from '../support/electron/electron-harness';

const spec = 'app-menu.spec';

/** The app on a new profile, without a keyring (no secrets are involved). */
const withApp = (work: (running: RunningApp) => Promise<void>): Promise<void> =>
  withTokendesk({ spec }, work);

test('the menu bar has the menus app-menu.ts builds for Linux, About under Help', async () => {
  await withApp(async ({ app }) => {
    const menus = await applicationMenu(app);
    // Not packaged (the specs run out/), so View is Electron's full viewMenu role.
    expect(menus.map(({ label, role }) => ({ label, role }))).toEqual([
      // File is the app's own: the command line's install item, then Quit as the role menu has.
      { label: 'File', role: undefined },
      { label: 'Edit', role: 'editmenu' },
      { label: 'View', role: 'viewmenu' },
      { label: 'Window', role: 'windowmenu' },
      { label: 'Help', role: 'help' },
    ]);
    const items = (role: string) =>
      menus.find((menu) => menu.role === role || menu.label === role)?.items ?? [];
    expect(items('File').map(({ label, role }) => ({ label, role }))).toEqual([
      { label: 'Install Command in PATH…', role: undefined },
      { label: '', role: undefined },
      { label: 'Quit', role: 'quit' },
    ]);
    expect(items('editmenu').map((item) => item.role)).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectall']),
    );
    expect(items('help')).toEqual([
      { label: 'About Tokendesk', role: undefined, enabled: true, items: [] },
    ]);
  });
});

/** The Add provider form's Label and Issuer URL fields (a first run offers "Add a provider"). */
const openProviderForm = async (window: Page) => {
  await window
    .getByRole('button', { name: /^Add (a )?provider$/ })
    .first()
    .click();
  const form = window.getByRole('dialog', { name: 'Add provider' });
  await form
    .getByLabel('Provider', { exact: true })
    .selectOption({ label: 'Custom OpenID Connect' });
  return {
    label: form.getByLabel('Label', { exact: true }),
    issuer: form.getByLabel('Issuer URL', { exact: true }),
  };
};

test('Edit menu items select, copy, cut and paste in the focused text field', async () => {
  await withApp(async ({ app, window }) => {
    const { label, issuer } = await openProviderForm(window);
    const typed = 'Work IdP (typed)';
    await label.click();
    await label.pressSequentially(typed);
    await app.evaluate(({ clipboard }) => clipboard.writeText('on the clipboard before'));
    const clipboardText = () => app.evaluate(({ clipboard }) => clipboard.readText());
    const selection = () =>
      label.evaluate((input) => {
        // An <input>; the Node project's types have no DOM.
        const field = input as unknown as { selectionStart: number; selectionEnd: number };
        return [field.selectionStart, field.selectionEnd];
      });

    // Typing left the caret at the end with nothing selected: Select All selects the whole text.
    expect(await selection()).toEqual([typed.length, typed.length]);
    await clickMenuItem(app, { menu: 'editmenu', role: 'selectall' });
    await expect.poll(selection).toEqual([0, typed.length]);

    await clickMenuItem(app, { menu: 'editmenu', role: 'copy' });
    await expect.poll(clipboardText).toBe(typed);
    await expect(label).toHaveValue(typed);

    // Cut takes the selection out of the field; Paste puts it into the field focused next.
    await app.evaluate(({ clipboard }) => clipboard.writeText('on the clipboard before'));
    await clickMenuItem(app, { menu: 'editmenu', role: 'cut' });
    await expect.poll(clipboardText).toBe(typed);
    await expect(label).toHaveValue('');
    await issuer.click();
    await clickMenuItem(app, { menu: 'editmenu', role: 'paste' });
    await expect(issuer).toHaveValue(typed);
  });
});

test('File → Quit ends the app process', async () => {
  await withApp(async ({ app }) => {
    const process = app.process();
    const exited = new Promise<number | null>((resolve) => {
      if (process.exitCode !== null) resolve(process.exitCode);
      else process.once('exit', (code) => resolve(code));
    });
    await clickMenuItem(app, { menu: 'File', role: 'quit' });
    // Bounded: an app that ignored Quit would keep running.
    const code = await Promise.race([
      exited,
      new Promise<'still running'>((resolve) =>
        setTimeout(() => resolve('still running'), 30_000).unref(),
      ),
    ]);
    expect(code).toBe(0);
  });
});
