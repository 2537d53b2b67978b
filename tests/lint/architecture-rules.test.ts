/**
 * Proves that the architecture rules in eslint.config.js (docs/ARCHITECTURE.md, "Layers") fire:
 * each forbidden import, linted as if it sat in a given folder, is a no-restricted-imports error,
 * and each allowed one is not.
 *
 * The code is linted through ESLint's Node API with the repository's real eslint.config.js. The
 * file paths are virtual (they need not exist), so type-aware parsing is switched off for this
 * run only: no-restricted-imports needs no type information.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface Case {
  readonly file: string;
  readonly code: string;
}

const forbidden: readonly Case[] = [
  // shared/: no electron, no Node, nothing from main/ or renderer/
  { file: 'shared/x.ts', code: "import { app } from 'electron';" },
  { file: 'shared/x.ts', code: "import fs from 'node:fs';" },
  { file: 'shared/x.ts', code: "import { readFile } from 'fs/promises';" },
  { file: 'shared/x.ts', code: "import { join } from 'path';" },
  { file: 'shared/x.ts', code: "import { createHash } from 'crypto';" },
  { file: 'shared/x.ts', code: "import { request } from 'http';" },
  { file: 'shared/x.ts', code: "import { createCore } from '../main/core/core';" },
  { file: 'shared/nested/x.ts', code: "import { App } from '../../renderer/src/app';" },
  { file: 'shared/x.ts', code: "export { app } from 'electron';" },
  // main/core: plain Node, no electron, no electron-store, no renderer, no shell/preload
  { file: 'main/core/x.ts', code: "import { app } from 'electron';" },
  { file: 'main/core/x.ts', code: "import type { BrowserWindow } from 'electron';" },
  { file: 'main/core/x.ts', code: "import { ipcMain } from 'electron/main';" },
  { file: 'main/core/x.ts', code: "import Store from 'electron-store';" },
  { file: 'main/core/x.ts', code: "import { App } from '../../renderer/src/app';" },
  { file: 'main/core/x.ts', code: "import { registerIpc } from '../shell/ipc-bridge';" },
  { file: 'main/core/oauth/x.ts', code: "import { registerIpc } from '../../shell/ipc-bridge';" },
  {
    file: 'main/core/oauth/x.ts',
    code: "import type { TokendeskBridge } from '../../preload/index';",
  },
  // inside main/core: each folder only imports the ones below it
  { file: 'main/core/storage/x.ts', code: "import { CoreFailure } from '../oauth/x';" },
  { file: 'main/core/http/x.ts', code: "import { maskSentSecrets } from '../oauth/x';" },
  { file: 'main/core/http/x.ts', code: "import type { Repository } from '../storage/repository';" },
  { file: 'main/core/consent/x.ts', code: "import { CoreFailure } from '../oauth/x';" },
  { file: 'main/core/oauth/x.ts', code: "import { Refresher } from '../accounts/refresher';" },
  { file: 'main/core/providers/x.ts', code: "import { createApi } from '../api/create-api';" },
  { file: 'main/core/accounts/x.ts', code: "import { consentByMode } from '../consent/x';" },
  { file: 'main/core/storage/x.ts', code: "import { Refresher } from '../accounts/refresher';" },
  {
    file: 'main/core/accounts/x.ts',
    code: "import type { AccountService } from '../services/account-service';",
  },
  // main/shell and main/index.ts: no renderer; electron-store only through electron-store-kv.ts
  { file: 'main/shell/x.ts', code: "import { App } from '../../renderer/src/app';" },
  { file: 'main/index.ts', code: "import { App } from '../renderer/src/app';" },
  {
    file: 'main/shell/electron-store-kv.ts',
    code: "import { App } from '../../renderer/src/app';",
  },
  { file: 'main/shell/x.ts', code: "import Store from 'electron-store';" },
  { file: 'main/index.ts', code: "import Store from 'electron-store';" },
  // main/preload: no core, no shell, no Node
  { file: 'main/preload/index.ts', code: "import { createCore } from '../core/core';" },
  { file: 'main/preload/index.ts', code: "import { registerIpc } from '../shell/ipc-bridge';" },
  { file: 'main/preload/index.ts', code: "import { join } from 'node:path';" },
  { file: 'main/preload/index.ts', code: "import { readFileSync } from 'fs';" },
  // main/cli: the command, a program of its own: no app code, no electron
  { file: 'main/cli/x.ts', code: "import { createCore } from '../core/core';" },
  { file: 'main/cli/x.ts', code: "import { revealWindow } from '../shell/single-instance';" },
  { file: 'main/cli/x.ts', code: "import { app } from 'electron';" },
  // renderer/: no main/, no electron, no Node
  { file: 'renderer/src/x.ts', code: "import { createCore } from '../../main/core/core';" },
  {
    file: 'renderer/src/x.tsx',
    code: "import type { TokendeskBridge } from '../../main/preload/index';",
  },
  { file: 'renderer/src/x.ts', code: "import { ipcRenderer } from 'electron';" },
  { file: 'renderer/src/x.ts', code: "import fs from 'node:fs';" },
  { file: 'renderer/src/x.ts', code: "import { EventEmitter } from 'events';" },
];

const allowed: readonly Case[] = [
  { file: 'shared/x.ts', code: "import { z } from 'zod';" },
  { file: 'shared/x.ts', code: "import { errorOf } from './errors';" },
  { file: 'main/core/x.ts', code: "import { readFile } from 'node:fs/promises';" },
  { file: 'main/core/x.ts', code: "import * as oauth from 'oauth4webapi';" },
  { file: 'main/core/x.ts', code: "import { errorOf } from '../../shared/errors';" },
  { file: 'main/core/accounts/x.ts', code: "import type { Logger } from '../ports';" },
  { file: 'main/core/storage/x.ts', code: "import { CoreFailure } from '../core-failure';" },
  { file: 'main/core/http/x.ts', code: "import { maskSentSecrets } from '../redaction';" },
  {
    file: 'main/core/oauth/x.ts',
    code: "import { createLimitedFetch } from '../http/http-client';",
  },
  {
    file: 'main/core/accounts/x.ts',
    code: "import { refreshTokens } from '../oauth/token-requests';",
  },
  { file: 'main/core/api/x.ts', code: "import type { ProviderDirectory } from '../providers/x';" },
  {
    file: 'main/core/services/x.ts',
    code: "import type { Refresher } from '../accounts/refresher';",
  },
  { file: 'main/shell/x.ts', code: "import { safeStorage } from 'electron';" },
  { file: 'main/shell/electron-store-kv.ts', code: "import Store from 'electron-store';" },
  { file: 'main/shell/x.ts', code: "import type { Logger } from '../core/ports';" },
  { file: 'main/shell/x.ts', code: "import { join } from 'node:path';" },
  { file: 'main/index.ts', code: "import { createCore } from './core/core';" },
  { file: 'main/cli/x.ts', code: "import { EXIT_CODES } from '../../shared/command-line';" },
  { file: 'main/cli/x.ts', code: "import net from 'node:net';" },
  { file: 'main/preload/index.ts', code: "import { contextBridge, ipcRenderer } from 'electron';" },
  {
    file: 'main/preload/index.ts',
    code: "import type { TokendeskApi } from '../../shared/ipc-contract';",
  },
  { file: 'renderer/src/x.tsx', code: "import { useState } from 'react';" },
  { file: 'renderer/src/x.ts', code: "import { errorOf } from '../../shared/errors';" },
  { file: 'renderer/src/x.ts', code: "import { start } from './main';" },
  { file: 'tests/unit/x.test.ts', code: "import { app } from 'electron';" },
];

describe('architecture rules (no-restricted-imports)', () => {
  let eslint: ESLint;

  beforeAll(() => {
    eslint = new ESLint({
      cwd: repoRoot,
      overrideConfig: [tseslint.configs.disableTypeChecked],
    });
  });

  const restrictedImportMessages = async ({ file, code }: Case) => {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: `${repoRoot}${file}` });
    if (!result) throw new Error(`ESLint returned no result for ${file}`);
    const fatal = result.messages.filter((m) => m.fatal === true || m.ruleId === null);
    // A parse error or "file ignored" warning would make every assertion below meaningless.
    expect(fatal, `${file} must be linted, not ignored or unparsable`).toEqual([]);
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
  };

  it.each(forbidden)('rejects in $file: $code', async (testCase) => {
    const messages = await restrictedImportMessages(testCase);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.severity).toBe(2);
    expect(messages[0]?.message).toContain('must never import');
    expect(messages[0]?.message).toContain('docs/ARCHITECTURE.md');
  });

  it.each(allowed)('allows in $file: $code', async (testCase) => {
    expect(await restrictedImportMessages(testCase)).toEqual([]);
  });

  it('explains the rule in the message', async () => {
    const [message] = await restrictedImportMessages({
      file: 'main/core/x.ts',
      code: "import { app } from 'electron';",
    });
    expect(message?.message).toMatch(
      /main\/core runs in plain Node: it must never import electron/,
    );
  });
});
