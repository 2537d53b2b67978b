// ESLint flat config. The architecture rules of docs/ARCHITECTURE.md ("who may import whom") are
// the no-restricted-imports blocks below; tests/lint/architecture-rules.test.ts proves they fire.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SEE = '(see docs/ARCHITECTURE.md)';

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Bare Node built-ins ('fs', 'fs/promises', 'path', ...) and every 'node:' specifier.
const nodeBuiltins = (message) => ({
  regex: `^(node:.*|(${builtinModules.map(escapeRegex).join('|')})(/.*)?)$`,
  message,
});

const electron = (message) => ({ regex: '^electron(/.*)?$', message });
const electronStore = (message) => ({ regex: '^electron-store(/.*)?$', message });

// Relative imports that climb into another top-level folder: '../main/x', '../../renderer/src/y'.
// No path aliases exist, so every cross-folder import is relative (docs/CONVENTIONS.md).
const climbsInto = (folders, message) => ({
  regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`,
  message,
});

const mainNotRenderer = climbsInto(
  ['renderer'],
  `main/ must never import renderer/: the renderer is a separate Chromium bundle reached over IPC ${SEE}.`,
);

const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** What no file of main/core may import. */
const corePatterns = [
  electron(
    `main/core runs in plain Node: it must never import electron; put the Electron API behind a port in main/core/ports.ts and implement it in main/shell ${SEE}.`,
  ),
  electronStore(
    `main/core runs in plain Node: it must never import electron-store (it imports electron); use the key-value store port ${SEE}.`,
  ),
  climbsInto(
    ['renderer'],
    `main/core must never import renderer/: the renderer talks to main only over IPC ${SEE}.`,
  ),
  climbsInto(
    ['main/shell', 'main/preload', 'shell', 'preload'],
    `main/core must never import main/shell or main/preload: the shell depends on the core, not the other way ${SEE}.`,
  ),
];

/**
 * The core's folders from the bottom up, each with the folders above it. The root (ports, the
 * error class, redaction, events) is below them all; core.ts, which wires them, imports them all.
 */
const CORE_LAYERS = [
  ['http', ['storage', 'oauth', 'providers', 'consent', 'accounts', 'services', 'api']],
  ['storage', ['http', 'oauth', 'providers', 'consent', 'accounts', 'services', 'api']],
  ['consent', ['http', 'storage', 'oauth', 'providers', 'accounts', 'services', 'api']],
  ['oauth', ['providers', 'consent', 'accounts', 'services', 'api']],
  ['providers', ['consent', 'accounts', 'services', 'api']],
  ['accounts', ['consent', 'services', 'api']],
  ['services', ['consent', 'api']],
  ['api', ['consent']],
];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    'out/',
    'dist/',
    'coverage/',
    'test-results/',
    'playwright-report/',
    '.tmp/',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // Plain JS (this file, scripts): not in a tsconfig, so no type-aware rules.
  {
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },

  // A .cjs file is CommonJS: require() is how it imports.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    files: ['main/**', 'tests/**', 'bench/**', 'scripts/**', '*.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },

  // ---- Architecture: who may import whom (docs/ARCHITECTURE.md, "Layers") ----
  restrict(
    ['shared/**'],
    [
      electron(
        `shared/ runs everywhere (main, preload, renderer): it must never import electron ${SEE}.`,
      ),
      nodeBuiltins(
        `shared/ runs everywhere, the renderer included: it must never import Node built-ins or node:* ${SEE}.`,
      ),
      climbsInto(
        ['main', 'renderer'],
        `shared/ is the bottom layer: it must never import from main/ or renderer/ ${SEE}.`,
      ),
    ],
  ),
  restrict(['main/core/**'], corePatterns),
  // Inside the core, each folder imports only the ones below it (docs/ARCHITECTURE.md, "Inside
  // main/core"). Each block repeats corePatterns: a later block's rule replaces an earlier one's.
  ...CORE_LAYERS.map(([folder, above]) =>
    restrict(
      [`main/core/${folder}/**`],
      [
        ...corePatterns,
        climbsInto(
          above,
          `main/core/${folder} sits below ${above.join(', ')}: it must never import them; move what both need down a layer (the error class and the masking rules live in main/core's root) ${SEE}.`,
        ),
      ],
    ),
  ),
  restrict(
    ['main/shell/**', 'main/*.ts'],
    [
      mainNotRenderer,
      electronStore(
        `main/shell must never import electron-store outside electron-store-kv.ts: open stores with openElectronStore, which removes the library's IPC listener that bypasses the trusted-sender gate ${SEE}.`,
      ),
    ],
  ),
  // The one file that may construct an electron-store.
  restrict(['main/shell/electron-store-kv.ts'], [mainNotRenderer]),
  restrict(
    ['main/preload/**'],
    [
      climbsInto(
        ['main/core', 'main/shell', 'core', 'shell'],
        `main/preload is a sandboxed CommonJS bundle: it must never import main/core or main/shell, only shared/ types and electron's contextBridge/ipcRenderer ${SEE}.`,
      ),
      nodeBuiltins(
        `main/preload runs sandboxed, where Node built-ins are unavailable: it must never import node:* or Node built-ins ${SEE}.`,
      ),
      climbsInto(
        ['renderer'],
        `main/preload must never import renderer/: it only exposes the typed bridge ${SEE}.`,
      ),
    ],
  ),
  restrict(
    ['main/cli/**'],
    [
      electron(
        `main/cli is the tokendesk command, a Node program of its own: it must never import electron ${SEE}.`,
      ),
      climbsInto(
        ['main/core', 'main/shell', 'main/preload', 'core', 'shell', 'preload', 'renderer'],
        `main/cli talks to the app over its channel only: it must never import the app's code, only shared/ and Node built-ins ${SEE}.`,
      ),
    ],
  ),
  restrict(
    ['renderer/**'],
    [
      climbsInto(
        ['main'],
        `renderer/ runs in Chromium: it must never import main/; use the typed bridge (window.tokendesk) and shared/ types ${SEE}.`,
      ),
      electron(
        `renderer/ runs in sandboxed Chromium: it must never import electron; use the typed bridge exposed by main/preload ${SEE}.`,
      ),
      nodeBuiltins(
        `renderer/ runs in Chromium without Node: it must never import node:* or Node built-ins ${SEE}.`,
      ),
      {
        regex: '(^|/)shared/ipc-contract$',
        allowTypeImports: true,
        message: `renderer/ imports shared/ipc-contract for its types only: a value from it bundles zod into the window (main validates); put a shared constant in a zod-free file of shared/ ${SEE}.`,
      },
    ],
  ),
);
