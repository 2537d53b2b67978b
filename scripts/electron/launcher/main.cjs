/**
 * Stands in for Electron's default_app in the test runtime, which has none: Electron loads
 * resources/default_app.asar when no app is packaged beside it, and this is what the install
 * puts there. It does what `electron <path>` does with the official binary, so that tests,
 * electron-vite and Playwright start the app the same way on both:
 *
 * - the first argument that is not a switch names the app: a folder (its package.json gives the
 *   name, version and main, and the name gives the userData folder) or a script;
 * - `-r <module>` / `--require <module>` preloads a module first (Playwright's loader);
 * - `--version` prints the Electron version.
 *
 * It runs the main script with import(), which takes ES modules (Tokendesk's main) and CommonJS.
 */
'use strict';
const { app } = require('electron');
const { existsSync, readFileSync, statSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');
const { pathToFileURL } = require('node:url');

const fail = (message) => {
  console.error(`test runtime launcher: ${message}`);
  app.exit(64);
};

const parse = (argv) => {
  const preload = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '-r' || arg === '--require') preload.push(argv[(i += 1)]);
    else if (arg === '--version' || arg === '-v') return { version: true, preload };
    else if (!arg.startsWith('-')) return { target: arg, preload };
  }
  return { preload };
};

/** What default_app does with a folder: name, version, data folders and app path from it. */
const adoptPackage = (folder) => {
  const manifestPath = join(folder, 'package.json');
  if (!existsSync(manifestPath)) return join(folder, 'index.js');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.version) app.setVersion(manifest.version);
  const name = manifest.productName || manifest.name;
  if (name) {
    app.setName(name);
    app.setPath('userData', join(app.getPath('appData'), name));
    app.setPath('userCache', join(app.getPath('cache'), name));
  }
  app.setAppPath(folder);
  return join(folder, manifest.main || 'index.js');
};

const start = () => {
  const options = parse(process.argv.slice(1));
  if (options.version) {
    console.log(`v${process.versions.electron}`);
    app.exit(0);
    return;
  }
  for (const module of options.preload) require(resolve(module));
  if (!options.target) {
    fail('usage: electron <app folder | main script> [switches]');
    return;
  }
  const target = resolve(options.target);
  if (!existsSync(target)) {
    fail(`${target} does not exist`);
    return;
  }
  let main = target;
  if (statSync(target).isDirectory()) main = adoptPackage(target);
  else app.setAppPath(dirname(target));
  Object.defineProperty(process, 'defaultApp', { value: true, enumerable: true });
  import(pathToFileURL(main).href).catch((error) => {
    console.error(error);
    app.exit(1);
  });
};

start();
