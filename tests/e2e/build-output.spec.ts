/**
 * The build output is what Electron will load: `npm run build` must leave the files main points
 * at, in the module formats Electron needs. Runs after the build (`npm run test:e2e` builds
 * first), in plain Node: no browser, no Electron binary.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { expect, test } from '@playwright/test';
import { CHANNEL_NAMES, EVENT_NAMES, ipcChannel } from '../../shared/ipc-channels';
import { pathsMainLoads } from './support/main-bundle';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
};
const mainBundle = resolve(repoRoot, packageJson.main);
const outDir = join(repoRoot, 'out');

const read = (path: string): string => readFileSync(path, 'utf8');

test.beforeAll(() => {
  expect(existsSync(outDir), 'out/ is missing: run `npm run build` first').toBe(true);
});

test('package.json main is the built main process, an ES module importing only electron and Node', () => {
  expect(packageJson.main).toBe('out/main/index.js');
  expect(existsSync(mainBundle), `${packageJson.main} does not exist`).toBe(true);
  const source = read(mainBundle);
  const imported = [...source.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["']/gm)].map(
    (match) => match[1]!,
  );
  expect(imported).toContain('electron');
  // Every npm dependency is bundled, so the packaged app never resolves node_modules at run time.
  const foreign = imported.filter(
    (specifier) =>
      specifier !== 'electron' && !specifier.startsWith('node:') && !/^[a-z_]+$/.test(specifier),
  );
  expect(foreign, 'bare imports left in the main bundle').toEqual([]);
  // A require() of a package would need node_modules too (ajv's generated-code strings, which
  // follow a backtick, are text, not calls).
  expect(source).not.toMatch(/(?<![`\w.])require\(\s*["'](?!electron|node:)/);
});

test('the preload and the page main loads exist where main looks for them', () => {
  const loaded = pathsMainLoads(read(mainBundle));
  // The renderer's folder, which main serves on the app's scheme (main/shell/app-protocol.ts).
  expect(loaded).toEqual(expect.arrayContaining(['../preload/index.cjs', '../renderer']));
  expect(existsSync(resolve(dirname(mainBundle), '../renderer/index.html'))).toBe(true);
  for (const relative of loaded) {
    const target = resolve(dirname(mainBundle), relative);
    expect(existsSync(target), `main loads ${relative}, which resolves to missing ${target}`).toBe(
      true,
    );
  }
});

test('the preload is one CommonJS file that runs with only electron to require', () => {
  const files = readdirSync(join(outDir, 'preload'));
  expect(files).toEqual(['index.cjs']);
  const source = read(join(outDir, 'preload/index.cjs'));
  expect(source).not.toMatch(/^\s*(import|export)\s/m);

  // Run it as a sandboxed preload would: `require` answers electron and nothing else.
  const exposed: Record<string, unknown> = {};
  const invoked: [string, unknown][] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => {
        exposed[key] = value;
      },
    },
    ipcRenderer: {
      invoke: (channel: string, input: unknown) => {
        invoked.push([channel, input]);
        return Promise.resolve({ ok: true, value: null });
      },
      on: () => undefined,
      removeListener: () => undefined,
    },
  };
  const sandboxRequire = (id: string): unknown => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  runInNewContext(source, { require: sandboxRequire, module, exports: module.exports });

  expect(required).toEqual(['electron']);
  expect(Object.keys(exposed)).toEqual(['tokendesk']);
  const bridge = exposed.tokendesk as {
    api: Record<string, (input?: unknown) => Promise<unknown>>;
    on: unknown;
  };
  expect(Object.keys(bridge).sort()).toEqual(['api', 'on']);
  expect(Object.keys(bridge.api).sort()).toEqual([...CHANNEL_NAMES].sort());
  void bridge.api.listAccounts!();
  expect(invoked).toEqual([[ipcChannel('listAccounts'), undefined]]);
  expect(EVENT_NAMES.length).toBeGreaterThan(0);
  // Validation lives in main; a preload that bundles a schema library has pulled in the contract.
  expect(source.length, 'preload size in bytes').toBeLessThan(10_000);
});

test('the renderer has relative assets and no inline script', () => {
  const html = read(join(outDir, 'renderer/index.html'));
  expect(html).toMatch(/http-equiv="Content-Security-Policy"/);
  const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(references.length).toBeGreaterThan(0);
  for (const reference of references) {
    // Relative paths resolve under every base the page is served from: the app's scheme
    // (tokendesk://app/), the dev server, and the renderer specs' static server.
    expect(reference, 'asset paths must be relative').toMatch(/^\.\//);
    expect(existsSync(join(outDir, 'renderer', reference)), `${reference} is missing`).toBe(true);
  }
  const inlineScripts = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>/g)];
  expect(inlineScripts, 'inline scripts are blocked by the CSP').toEqual([]);
  expect(html).not.toMatch(/\sstyle="/);
});
