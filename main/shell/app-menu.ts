/**
 * The application menu, built from Electron's standard roles so every platform gets its usual
 * menus and shortcuts. The Edit menu is what makes copy and paste work in text fields on macOS
 * (the shortcuts are menu accelerators there). Packaged builds leave reload and the developer
 * tools out of the View menu: a reload would only lose the UI's state, and the tools are no
 * business of a user's.
 */
import { app, Menu, type MenuItemConstructorOptions } from 'electron';

export interface AppMenuOptions {
  readonly platform: NodeJS.Platform;
  /** Packaged builds: no reload, no developer tools. */
  readonly packaged: boolean;
  readonly appName: string;
  /** Shows the about panel (name and version, from app.setAboutPanelOptions). */
  readonly showAbout: () => void;
  /** Puts the `tokendesk` command on PATH (main/shell/command-install.ts); absent: no item. */
  readonly installCommand?: () => void;
}

const packagedViewMenu: MenuItemConstructorOptions = {
  label: 'View',
  submenu: [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ],
};

export const appMenuTemplate = (options: AppMenuOptions): MenuItemConstructorOptions[] => {
  const mac = options.platform === 'darwin';
  return [
    // macOS: the app-name menu with About, Services, Hide and Quit.
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    options.installCommand
      ? {
          label: 'File',
          submenu: [
            { label: 'Install Command in PATH…', click: options.installCommand },
            { type: 'separator' },
            // What the standard File menu holds: Close on macOS, Quit elsewhere.
            mac ? { role: 'close' } : { role: 'quit' },
          ],
        }
      : { role: 'fileMenu' },
    { role: 'editMenu' },
    options.packaged ? packagedViewMenu : { role: 'viewMenu' },
    { role: 'windowMenu' },
    {
      role: 'help',
      // macOS keeps About in the app menu; elsewhere it belongs under Help.
      submenu: mac ? [] : [{ label: `About ${options.appName}`, click: () => options.showAbout() }],
    },
  ];
};

/** Sets the about panel's name and version and installs the application menu. */
export const installAppMenu = (
  platform: NodeJS.Platform = process.platform,
  installCommand?: () => void,
): void => {
  // Linux shows nothing in the about panel unless told (no defaults there).
  app.setAboutPanelOptions({ applicationName: app.name, applicationVersion: app.getVersion() });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate({
        platform,
        packaged: app.isPackaged,
        appName: app.name,
        showAbout: () => app.showAboutPanel(),
        ...(installCommand ? { installCommand } : {}),
      }),
    ),
  );
};
