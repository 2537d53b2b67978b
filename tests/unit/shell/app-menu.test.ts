/**
 * The application menu: the standard role menus on every platform (Edit is what makes copy and
 * paste work in text fields on macOS), no reload or developer tools in packaged builds, and an
 * About that shows the version.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { appMenuTemplate, installAppMenu } from '../../../main/shell/app-menu';
import type { MenuItemTemplate } from '../helpers/mock-electron';

const electron = await vi.hoisted(async () =>
  (await import('../helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

/** Every role in the menu, submenus included. */
const roles = (items: readonly MenuItemTemplate[]): string[] =>
  items.flatMap((item) => [
    ...(item.role !== undefined ? [item.role] : []),
    ...roles(item.submenu ?? []),
  ]);

const template = (platform: NodeJS.Platform, packaged: boolean, showAbout = vi.fn()) =>
  appMenuTemplate({ platform, packaged, appName: 'Tokendesk', showAbout }) as MenuItemTemplate[];

const installedTemplate = (): readonly MenuItemTemplate[] => {
  const menu = electron.Menu.setApplicationMenu.mock.calls.at(-1)?.[0];
  if (!menu) throw new Error('no application menu was set');
  return menu.template;
};

const aboutItem = (items: readonly MenuItemTemplate[]): MenuItemTemplate | undefined =>
  items
    .find((item) => item.role === 'help')
    ?.submenu?.find((item) => item.label?.startsWith('About'));

beforeEach(() => {
  vi.clearAllMocks();
  electron.state.packaged = false;
});

describe('appMenuTemplate', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    'has the standard File, Edit, View, Window and Help menus on %s',
    (platform) => {
      const menus = template(platform, true).map((item) => item.role ?? item.label);
      expect(menus).toEqual([
        ...(platform === 'darwin' ? ['appMenu'] : []),
        'fileMenu',
        'editMenu',
        'View',
        'windowMenu',
        'help',
      ]);
    },
  );

  it.each(['darwin', 'win32', 'linux'] as const)(
    'on %s, File offers to install the command, and still closes or quits as the standard one',
    (platform) => {
      const installCommand = vi.fn();
      const menus = appMenuTemplate({
        platform,
        packaged: true,
        appName: 'Tokendesk',
        showAbout: vi.fn(),
        installCommand,
      }) as MenuItemTemplate[];
      const file = menus.find((item) => item.label === 'File');
      const install = file?.submenu?.find((item) => item.label === 'Install Command in PATH…');
      install?.click?.();
      expect(installCommand).toHaveBeenCalledOnce();
      expect(roles(file?.submenu ?? [])).toEqual([platform === 'darwin' ? 'close' : 'quit']);
    },
  );

  it('always has the Edit menu, so copy and paste work in text fields', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const packaged of [true, false]) {
        expect(roles(template(platform, packaged))).toContain('editMenu');
      }
    }
  });

  it('leaves reload and the developer tools out of packaged builds', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const packagedRoles = roles(template(platform, true));
      for (const role of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu']) {
        expect(packagedRoles).not.toContain(role);
      }
      expect(packagedRoles).toEqual(
        expect.arrayContaining(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']),
      );
    }
  });

  it('keeps the full View menu (reload, developer tools) in development', () => {
    expect(roles(template('linux', false))).toContain('viewMenu');
  });

  it('has About under Help on Windows and Linux, which shows the about panel', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const showAbout = vi.fn();
      const about = aboutItem(template(platform, true, showAbout));
      expect(about?.label).toBe('About Tokendesk');
      about?.click?.();
      expect(showAbout).toHaveBeenCalledOnce();
    }
  });

  it('leaves About to the app menu on macOS', () => {
    expect(aboutItem(template('darwin', true))).toBeUndefined();
    expect(template('darwin', true)[0]?.role).toBe('appMenu');
  });
});

describe('installAppMenu', () => {
  it('sets the about panel to the app’s name and version', () => {
    installAppMenu();

    expect(electron.app.setAboutPanelOptions).toHaveBeenCalledWith(
      expect.objectContaining({ applicationName: 'Tokendesk', applicationVersion: '1.2.3' }),
    );
  });

  it('installs the menu built for this platform and build', () => {
    electron.state.packaged = true;
    installAppMenu();

    const installed = installedTemplate();
    expect(roles(installed)).toContain('editMenu');
    expect(roles(installed)).not.toContain('toggleDevTools');
  });

  it('About opens the about panel', () => {
    installAppMenu('linux');

    aboutItem(installedTemplate())?.click?.();

    expect(electron.app.showAboutPanel).toHaveBeenCalledOnce();
  });
});
