/**
 * The baseline of the packaged-app figures: an app that opens one window with a line of text,
 * packaged exactly like Tokendesk. It is a copy of Tokendesk's packaged folder — the same
 * Electron binary with the same fuses — whose app.asar holds this app instead, so the two arms
 * differ in the app alone. Its window is made the way Tokendesk makes its own (same size, hidden
 * until ready-to-show, its page served from app.asar through a custom scheme, as Tokendesk's is
 * through tokendesk://, since the fuses refuse file: pages the privileges they would need); what
 * it leaves out is everything Tokendesk does besides: the store, the core, the preload and
 * bridge, React, the tray, the menu.
 *
 * Linux only, like the figures: the copy is hard links (no second 260 MB on disk), and swapping
 * app.asar is possible because Linux Electron has no asar integrity check.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createPackage } from '@electron/asar';
import type { PackagedApp } from '../tests/e2e/support/packaged/packaged-app';

const BARE_MAIN = `
const { app, BrowserWindow, protocol } = require('electron');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
protocol.registerSchemesAsPrivileged([{ scheme: 'bare', privileges: { standard: true, secure: true } }]);
app.whenReady().then(() => {
  protocol.handle('bare', () =>
    new Response(readFileSync(join(__dirname, 'index.html')), {
      headers: { 'content-type': 'text/html; charset=utf-8' },
    }),
  );
  const window = new BrowserWindow({ width: 960, height: 680, title: 'Bare window', show: false });
  window.once('ready-to-show', () => window.show());
  void window.loadURL('bare://app/index.html');
});
`;

const BARE_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Bare window</title></head>
  <body><h1>Bare window</h1></body>
</html>
`;

/** Makes the bare-window package in `dir`; answers its executable. */
export const makeBareWindowPackage = async (
  packaged: PackagedApp,
  dir: string,
): Promise<string> => {
  const source = join(dir, 'bare-window-source');
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(source, 'package.json'),
    JSON.stringify({
      name: 'bare-window',
      productName: 'Bare window',
      version: '1.0.0',
      main: 'main.cjs',
    }),
  );
  writeFileSync(join(source, 'main.cjs'), BARE_MAIN);
  writeFileSync(join(source, 'index.html'), BARE_PAGE);

  const appDir = join(dir, 'bare-window');
  const copied = spawnSync('cp', ['-al', packaged.appDir, appDir], { encoding: 'utf8' });
  if (copied.status !== 0) throw new Error(`copying the package failed: ${copied.stderr}`);
  // A new file, not a write through the hard link into Tokendesk's app.asar.
  const archive = join(appDir, relative(packaged.appDir, packaged.archive));
  rmSync(archive);
  await createPackage(source, archive);
  return join(appDir, relative(packaged.appDir, packaged.executable));
};
