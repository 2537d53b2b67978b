/**
 * The renderer's figures, in real Chromium on the built renderer (out/renderer):
 * - first render of 1000 accounts: from the moment the account list reaches the page to the
 *   frame after all 1000 rows are in the DOM (two animation frames: the commit, then its paint);
 * - script time per countdown tick: Chromium's own ScriptDuration metric (DevTools Performance
 *   domain) over a run of ticks, divided by the ticks; layout and style time reported beside it;
 * - the built JavaScript's size, gzipped.
 *
 * The page talks to a bench API (synthetic accounts, answers from memory) through the same test
 * host the e2e tests use, so the bridge round trip is the one the app's IPC would have.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import type { EventName, EventPayloads, TokendeskApi } from '../shared/ipc-contract';
import type { AccountView, ProviderConfigView } from '../shared/model';
import { PRESETS, registeredRedirectUri } from '../shared/providers';
import { answer, fakeMain } from '../tests/e2e/support/fake-main';
import { hostRenderer, type EventSource } from '../tests/e2e/support/renderer-host';
import { RENDERER_DIR, serveRenderer } from '../tests/e2e/support/static-server';
import { summarize, type Summary } from './stats';

export interface RendererFigures {
  readonly accounts: number;
  /** ms from the list's arrival in the page to the painted frame with every row. */
  readonly firstRender: Summary;
  readonly tick: {
    readonly ticks: number;
    /** ms of script per tick (Chromium's ScriptDuration). */
    readonly scriptMs: number;
    readonly layoutMs: number;
    readonly styleMs: number;
    /** Rows whose countdown text changed over the run: proof the list was ticking. */
    readonly rowsTicking: number;
  };
  readonly javascript: {
    readonly files: number;
    readonly bytes: number;
    readonly gzipBytes: number;
  };
}

const PROVIDER_COUNT = 4;

const providers = (): ProviderConfigView[] =>
  PRESETS.slice(0, PROVIDER_COUNT).map((preset) => ({
    id: preset.id,
    presetId: preset.id,
    label: preset.name,
    clientId: `${preset.id}-client-id`,
    hasClientSecret: preset.secret === 'required',
    scopes: [...preset.defaultScopes],
    consentMode: preset.defaultConsentMode,
    clientAuth: preset.clientAuth,
    redirectUri: registeredRedirectUri(preset, preset.id),
  }));

/** Accounts spread over the providers, expiries from seconds to an hour, a few odd states. */
export const syntheticAccounts = (count: number, now: number): AccountView[] =>
  Array.from({ length: count }, (_, i) => {
    const preset = PRESETS[i % PROVIDER_COUNT]!;
    const name = `user${String(i).padStart(4, '0')}`;
    return {
      id: `acct_${i.toString(36).padStart(6, '0')}`,
      providerId: preset.id,
      presetId: preset.id,
      subject: `sub-${i}`,
      displayName: `${name}@example.com`,
      email: `${name}@example.com`,
      scopes: [...preset.defaultScopes],
      expiresAt: i % 50 === 0 ? null : now + 30_000 + ((i * 7_919) % 3_600_000),
      obtainedAt: now - 60_000,
      status: i % 97 === 0 ? 'reconnect-needed' : 'ok',
      hasToken: true,
      canRefresh: true,
      refreshing: false,
      createdAt: now - 86_400_000,
      updatedAt: now - 60_000,
    };
  });

const benchApi = (accounts: readonly AccountView[]): TokendeskApi => {
  const configured = providers();
  return fakeMain(() => ({
    listProviders: () => answer({ presets: PRESETS, configured }),
    listAccounts: () => answer(accounts),
    getSettings: () =>
      answer({ persistWeakSecrets: false, clipboardClearSeconds: null, commandLineAccess: false }),
  })).api;
};

const noEvents: EventSource = {
  on:
    <E extends EventName>(_name: E, _listener: (payload: EventPayloads[E]) => void) =>
    () => {},
};

/** Marks when listAccounts' answer reaches the page, and when the rows are painted. */
const installProbe = (expected: number): void => {
  const target = globalThis as unknown as {
    tokendesk: { api: { listAccounts: () => Promise<unknown> } };
    __bench: { listArrived?: number; rowsPainted?: number };
  };
  const bench: { listArrived?: number; rowsPainted?: number } = {};
  Object.defineProperty(globalThis, '__bench', { value: bench });
  // The host's bridge is frozen; wrap the call at the page's first use instead.
  const original = target.tokendesk.api.listAccounts;
  const wrapped = Object.freeze({
    ...target.tokendesk.api,
    listAccounts: () =>
      original().then((answer) => {
        bench.listArrived ??= performance.now();
        return answer;
      }),
  });
  Object.defineProperty(globalThis, 'tokendesk', {
    value: Object.freeze({ ...target.tokendesk, api: wrapped }),
  });
  // This runs in the page; the bench's tsconfig has no DOM types.
  const page = globalThis as unknown as {
    document: { querySelectorAll(selector: string): { length: number } };
    requestAnimationFrame(callback: () => void): number;
  };
  const watch = (): void => {
    if (page.document.querySelectorAll('[data-testid="countdown"]').length >= expected) {
      page.requestAnimationFrame(() => {
        bench.rowsPainted = performance.now();
      });
      return;
    }
    page.requestAnimationFrame(watch);
  };
  page.requestAnimationFrame(watch);
};

const firstRenderOnce = async (page: Page, url: string, accounts: number): Promise<number> => {
  await page.goto(url);
  const handle = await page.waitForFunction(
    () => {
      const bench = (
        globalThis as unknown as { __bench?: { listArrived?: number; rowsPainted?: number } }
      ).__bench;
      return bench?.rowsPainted !== undefined && bench.listArrived !== undefined
        ? bench.rowsPainted - bench.listArrived
        : false;
    },
    undefined,
    { timeout: 30_000, polling: 50 },
  );
  const ms = (await handle.jsonValue()) as number;
  if (typeof ms !== 'number') throw new Error(`the ${accounts} rows never appeared`);
  return ms;
};

const metric = (metrics: { name: string; value: number }[], name: string): number =>
  metrics.find((m) => m.name === name)?.value ?? 0;

const measureTicks = async (page: Page, seconds: number) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const countdownTexts = () =>
    page.$$eval('[data-testid="countdown"]', (nodes: readonly { textContent: string | null }[]) =>
      nodes.map((n) => n.textContent ?? ''),
    );
  const before = (await cdp.send('Performance.getMetrics')).metrics;
  const textsBefore = await countdownTexts();
  const started = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const after = (await cdp.send('Performance.getMetrics')).metrics;
  const elapsed = (Date.now() - started) / 1000;
  const textsAfter = await countdownTexts();
  await cdp.detach();
  // The metric reads ran scripts of their own ($$eval) outside the window; the window holds ticks.
  const ticks = Math.round(elapsed);
  const delta = (name: string) => ((metric(after, name) - metric(before, name)) * 1000) / ticks;
  const changed = textsAfter.filter((text, i) => text !== textsBefore[i]).length;
  return {
    ticks,
    scriptMs: delta('ScriptDuration'),
    layoutMs: delta('LayoutDuration'),
    styleMs: delta('RecalcStyleDuration'),
    rowsTicking: changed,
  };
};

const javascriptSize = () => {
  const assets = join(RENDERER_DIR, 'assets');
  const files = readdirSync(assets).filter((name) => name.endsWith('.js'));
  let bytes = 0;
  let gzipBytes = 0;
  for (const name of files) {
    const content = readFileSync(join(assets, name));
    bytes += content.length;
    gzipBytes += gzipSync(content, { level: 9 }).length;
  }
  return { files: files.length, bytes, gzipBytes };
};

export const measureRenderer = async (
  browser: Browser,
  options: { readonly accounts: number; readonly loads: number; readonly tickSeconds: number },
  progress: (message: string) => void,
): Promise<RendererFigures> => {
  const site = await serveRenderer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // tsx (esbuild with keepNames) wraps named functions in `__name(...)` calls; the functions this
  // file hands to the page carry those calls with them, so the page needs the helper too.
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  try {
    const page = await context.newPage();
    const accounts = syntheticAccounts(options.accounts, Date.now());
    const host = await hostRenderer(page, benchApi(accounts), noEvents);
    await page.addInitScript(installProbe, options.accounts);
    const loads: number[] = [];
    for (let i = 0; i < options.loads; i += 1) {
      loads.push(await firstRenderOnce(page, site.url, options.accounts));
    }
    progress(`   first render: ${loads.map((v) => v.toFixed(1)).join(', ')} ms`);
    const tick = await measureTicks(page, options.tickSeconds);
    host.dispose();
    return {
      accounts: options.accounts,
      firstRender: summarize(loads),
      tick: {
        ticks: tick.ticks,
        scriptMs: Math.round(tick.scriptMs * 1000) / 1000,
        layoutMs: Math.round(tick.layoutMs * 1000) / 1000,
        styleMs: Math.round(tick.styleMs * 1000) / 1000,
        rowsTicking: tick.rowsTicking,
      },
      javascript: javascriptSize(),
    };
  } finally {
    await context.close();
    await site.close();
  }
};
