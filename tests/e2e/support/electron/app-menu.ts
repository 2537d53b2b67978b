/**
 * The application menu as main holds it (Menu.getApplicationMenu()), for the real-Electron
 * specs: its items, and clicking one the way Electron's own menu does when the user picks it.
 */
import type { ElectronApplication } from '@playwright/test';

export interface MenuFacts {
  readonly label: string;
  /** Electron answers roles lower-cased ("editmenu", "selectall"). */
  readonly role: string | undefined;
  readonly enabled: boolean;
  readonly items: readonly MenuFacts[];
}

/** The top-level menus and their items (one level down). */
export const applicationMenu = (app: ElectronApplication): Promise<MenuFacts[]> =>
  app.evaluate(({ Menu }) => {
    const facts = (item: Electron.MenuItem, depth: number): MenuFacts => ({
      label: item.label,
      role: item.role ?? undefined,
      enabled: item.enabled,
      items: depth > 0 ? (item.submenu?.items ?? []).map((child) => facts(child, depth - 1)) : [],
    });
    return (Menu.getApplicationMenu()?.items ?? []).map((item) => facts(item, 1));
  });

/** Which item: the top-level menu's role (or label), and the item's role or label in it. */
export interface MenuPath {
  readonly menu: string;
  readonly role?: string;
  readonly label?: string;
}

/**
 * Clicks an item as a user picking it from the menu bar does: Electron's menu calls the item's
 * click with the focused window and the focused web contents, which is what role items act on
 * (a bare item.click() gives them nothing to act on).
 */
export const clickMenuItem = (app: ElectronApplication, path: MenuPath): Promise<void> =>
  app.evaluate(({ BrowserWindow, Menu, webContents }, path) => {
    const menu = Menu.getApplicationMenu()?.items.find(
      (item) => item.role === path.menu || item.label === path.menu,
    );
    const item = menu?.submenu?.items.find((candidate) =>
      path.role !== undefined ? candidate.role === path.role : candidate.label === path.label,
    );
    if (!item) throw new Error(`no menu item ${JSON.stringify(path)}`);
    // electron.d.ts types it as Function; this is its documented call.
    const click = item.click as (
      event: undefined,
      focusedWindow: Electron.BrowserWindow | undefined,
      focusedWebContents: Electron.WebContents | undefined,
    ) => void;
    click(
      undefined,
      BrowserWindow.getFocusedWindow() ?? undefined,
      webContents.getFocusedWebContents() ?? undefined,
    );
  }, path);
