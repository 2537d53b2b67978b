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
 * It is an ES module that awaits the app's main script (import(), which takes ES modules —
 * Tokendesk's main — and CommonJS), as Electron's own default_app does: Electron emits `ready`
 * only once the default app's module has finished, top-level await included, so the app's main
 * runs before `ready`, as it does packaged. What must happen before `ready` then works here too
 * (Tokendesk's protocol.registerSchemesAsPrivileged). A CommonJS launcher that did not wait let
 * `ready` come first.
 */
import { app } from 'electron';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

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

/** The app's main script to run, or undefined when there is none (then the launcher has ended). */
const prepare = () => {
  const options = parse(process.argv.slice(1));
  if (options.version) {
    console.log(`v${process.versions.electron}`);
    app.exit(0);
    return undefined;
  }
  for (const module of options.preload) require(resolve(module));
  if (!options.target) {
    fail('usage: electron <app folder | main script> [switches]');
    return undefined;
  }
  const target = resolve(options.target);
  if (!existsSync(target)) {
    fail(`${target} does not exist`);
    return undefined;
  }
  let main = target;
  if (statSync(target).isDirectory()) main = adoptPackage(target);
  else app.setAppPath(dirname(target));
  Object.defineProperty(process, 'defaultApp', { value: true, enumerable: true });
  return main;
};

const main = prepare();
if (main !== undefined) {
  try {
    await import(pathToFileURL(main).href);
  } catch (error) {
    console.error(error);
    app.exit(1);
  }
}
