/**
 * The Electron security scan (tests/lint/electron-security/): the app's own sources give no
 * high finding, and each check fires on a small sample of the mistake it exists for — with the
 * file and line of the mistake — while the patterns the app really uses pass.
 */
import { describe, expect, it } from 'vitest';
import { formatFindings, scan, scanRepository } from './electron-security/scan';
import type { CheckId, Finding, Severity, SourceInput } from './electron-security/types';

describe('the Electron security scan of main/ and renderer/index.html', () => {
  it('finds nothing high in the sources, and looked at every window, handler and policy', () => {
    const { findings, stats } = scanRepository();
    const high = findings.filter((f) => f.severity === 'high');
    const others = findings.filter((f) => f.severity !== 'high');
    if (others.length > 0) console.info(`Electron security scan:\n${formatFindings(others)}`);

    expect(high, `Electron security scan:\n${formatFindings(high)}`).toEqual([]);
    // Not vacuous: the app window and the consent window, the guarded openExternal, the IPC
    // bridge's handlers, the preload's bridge, the meta CSP and the header CSP were all seen.
    expect(stats.windows).toBeGreaterThanOrEqual(2);
    expect(stats.openExternalCalls).toBeGreaterThanOrEqual(1);
    expect(stats.ipcHandlers).toBeGreaterThanOrEqual(1);
    expect(stats.exposures).toBeGreaterThanOrEqual(1);
    expect(stats.cspPolicies).toBeGreaterThanOrEqual(2);
    expect(stats.permissionHandlers).toBeGreaterThanOrEqual(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Samples

/** A correct pair of helpers, as main/shell/hardened-window.ts has them. */
const HELPERS: SourceInput = {
  path: 'main/shell/hardened-window.ts',
  text: `
import type { WebContents } from 'electron';
export const hardenedWebPreferences = (preload?: string) => ({
  ...(preload !== undefined ? { preload } : {}),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
});
export const lockDownContents = (contents: WebContents): void => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.session.setPermissionRequestHandler((_c, _p, callback) => callback(false));
};
`,
};

const GOOD_HTML: SourceInput = {
  path: 'renderer/index.html',
  text: `<!doctype html>
<html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'" />
</head><body></body></html>`,
};

const PRELUDE = `import { app, BrowserWindow, contextBridge, ipcMain, ipcRenderer, shell } from 'electron';
import * as electron from 'electron';
import { hardenedWebPreferences, lockDownContents } from './shell/hardened-window';
import { isAllowedEndpoint } from '../shared/url-rules';
declare const url: string;
declare const code: string;
declare const isDev: boolean;
`;

/** Marks the line a finding must point at. */
const HERE = '// ◀';

interface Sample {
  readonly name: string;
  readonly check: CheckId;
  readonly severity?: Severity;
  /** Where the sample sits (default main/sample.ts). */
  readonly path?: string;
  readonly code?: string;
  readonly html?: string;
  /** Replaces the correct helpers. */
  readonly helpers?: string;
}

const scanSample = (sample: Omit<Sample, 'check' | 'name'>) => {
  const path = sample.path ?? 'main/sample.ts';
  const text = `${PRELUDE}${sample.code ?? ''}`;
  const sources: SourceInput[] = [
    { path: HELPERS.path, text: sample.helpers ?? HELPERS.text },
    ...(sample.code !== undefined ? [{ path, text }] : []),
  ];
  const html = sample.html !== undefined ? { path: GOOD_HTML.path, text: sample.html } : GOOD_HTML;
  return { result: scan({ sources, html: [html] }), path, text, htmlText: html.text };
};

/** The 1-based line of the HERE marker (or of `<meta` for HTML samples), if any. */
const markedLine = (text: string, marker: string): number | undefined => {
  const index = text.split('\n').findIndex((line) => line.includes(marker));
  return index < 0 ? undefined : index + 1;
};

const LOCKED = `lockDownContents(win.webContents);`;

const bad: readonly Sample[] = [
  // webPreferences of every window
  {
    name: 'a window without options',
    check: 'window-web-preferences',
    code: `const win = new BrowserWindow(); ${HERE}\n${LOCKED}`,
  },
  {
    name: 'a window without webPreferences',
    check: 'window-web-preferences',
    code: `const win = new BrowserWindow({ width: 800 }); ${HERE}\n${LOCKED}`,
  },
  {
    name: 'webPreferences from a variable the scan cannot see into',
    check: 'window-web-preferences',
    code: `declare const prefs: object;\nconst win = new BrowserWindow({\n  webPreferences: prefs, ${HERE}\n});\n${LOCKED}`,
  },
  {
    name: 'a literal that leaves out sandbox',
    check: 'window-web-preferences',
    code: `const win = new BrowserWindow({\n  webPreferences: { contextIsolation: true, nodeIntegration: false }, ${HERE}\n});\n${LOCKED}`,
  },
  {
    name: 'a spread after webPreferences that may replace them',
    check: 'window-web-preferences',
    code: `declare const extra: object;\nconst win = new BrowserWindow({\n  webPreferences: hardenedWebPreferences(), ${HERE}\n  ...extra,\n});\n${LOCKED}`,
  },
  {
    name: 'a helper that does not harden (it is not trusted)',
    check: 'window-web-preferences',
    helpers: HELPERS.text.replace('sandbox: true', 'sandbox: isDev'),
    code: `const win = new BrowserWindow({\n  webPreferences: hardenedWebPreferences(), ${HERE}\n});\n${LOCKED}`,
  },
  {
    name: 'BrowserWindow imported under another name',
    check: 'window-web-preferences',
    code: `import { BrowserWindow as Win } from 'electron';\nconst win = new Win({ show: false }); ${HERE}\n${LOCKED}`,
  },
  {
    name: 'a WebContentsView without webPreferences',
    check: 'window-web-preferences',
    code: `const win = new electron.WebContentsView({}); ${HERE}\n${LOCKED}`,
  },
  // insecure values anywhere
  ...(
    [
      ['nodeIntegration: true', 'nodeIntegration: true'],
      ['nodeIntegrationInWorker: true', 'nodeIntegrationInWorker: true'],
      ['contextIsolation: false', 'contextIsolation: false'],
      ['sandbox: false', 'sandbox: false'],
      ['webSecurity: false', 'webSecurity: false'],
      ['allowRunningInsecureContent: true', 'allowRunningInsecureContent: true'],
      ['experimentalFeatures: true', 'experimentalFeatures: true'],
      ['webviewTag: true', 'webviewTag: true'],
      ['enableBlinkFeatures', "enableBlinkFeatures: 'CSSVariables'"],
      ['a computed sandbox value', 'sandbox: !isDev'],
      ['a quoted key', "'webSecurity': false"],
    ] as const
  ).map(([name, property]): Sample => ({
    name: `${name}, even after the helper's spread`,
    check: 'insecure-web-preference',
    code: `const win = new BrowserWindow({\n  webPreferences: {\n    ...hardenedWebPreferences(),\n    ${property}, ${HERE}\n  },\n});\n${LOCKED}`,
  })),
  {
    name: 'an insecure value assigned later',
    check: 'insecure-web-preference',
    code: `const prefs = hardenedWebPreferences();\nprefs.contextIsolation = false; ${HERE}`,
  },
  {
    name: 'a shorthand preference (a computed value)',
    check: 'insecure-web-preference',
    code: `const nodeIntegration = isDev;\nconst prefs = { nodeIntegration }; ${HERE}`,
  },
  // the window's contents
  {
    name: 'a window whose contents are not locked down',
    check: 'window-lockdown',
    code: `const win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}`,
  },
  {
    name: 'a window that denies new windows but may navigate',
    check: 'window-lockdown',
    code: `export const open = () => {\n  const win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}\n  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));\n  win.webContents.session.setPermissionRequestHandler((_c, _p, cb) => cb(false));\n};`,
  },
  {
    name: 'a will-navigate handler that never prevents',
    check: 'window-lockdown',
    code: `export const open = () => {\n  const win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}\n  const contents = win.webContents;\n  contents.on('will-navigate', (event) => console.log(event.url));\n  contents.setWindowOpenHandler(() => ({ action: 'deny' }));\n  contents.session.setPermissionRequestHandler((_c, _p, cb) => cb(false));\n};`,
  },
  {
    name: 'a window without a permission handler',
    check: 'window-lockdown',
    code: `export const open = () => {\n  const win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}\n  win.webContents.on('will-navigate', (event) => event.preventDefault());\n  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));\n};`,
  },
  {
    name: 'a lock-down helper that does not deny new windows (it is not trusted)',
    check: 'window-lockdown',
    helpers: HELPERS.text.replace("action: 'deny'", "action: 'allow'"),
    code: `const win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}\n${LOCKED}`,
  },
  {
    name: 'lockDownContents applied to another window',
    check: 'window-lockdown',
    code: `declare const other: BrowserWindow;\nconst win = new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}\nlockDownContents(other.webContents);`,
  },
  {
    name: 'a window not bound to a name',
    check: 'window-lockdown',
    code: `export const open = () =>\n  new BrowserWindow({ webPreferences: hardenedWebPreferences() }); ${HERE}`,
  },
  {
    name: 'a window-open handler that allows some URLs',
    check: 'window-open-allowed',
    code: `declare const contents: Electron.WebContents;\ncontents.setWindowOpenHandler((details) => ${HERE}\n  details.url.startsWith('https:') ? { action: 'allow' } : { action: 'deny' },\n);`,
  },
  // shell.openExternal
  {
    name: 'shell.openExternal without a check',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string) => {\n  await shell.openExternal(target); ${HERE}\n};`,
  },
  {
    name: 'shell.openExternal checked with startsWith',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string) => {\n  if (!target.startsWith('https:')) throw new Error('no');\n  await shell.openExternal(target); ${HERE}\n};`,
  },
  {
    name: 'shell.openExternal with the check after it',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string) => {\n  await shell.openExternal(target); ${HERE}\n  if (!isAllowedEndpoint(target)) throw new Error('no');\n};`,
  },
  {
    name: 'shell.openExternal of another value than the one checked',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string, other: string) => {\n  if (!isAllowedEndpoint(target)) throw new Error('no');\n  await shell.openExternal(other); ${HERE}\n};`,
  },
  {
    name: 'a check that does not stop (no throw or return)',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string) => {\n  if (!isAllowedEndpoint(target)) console.warn('odd URL');\n  await shell.openExternal(target); ${HERE}\n};`,
  },
  {
    name: 'the checked value reassigned before opening',
    check: 'open-external-unguarded',
    code: `export const open = async (target: string) => {\n  if (!isAllowedEndpoint(target)) throw new Error('no');\n  target = target + '&x=1';\n  await shell.openExternal(target); ${HERE}\n};`,
  },
  {
    name: 'shell.openExternal handed on unguarded',
    check: 'open-external-unguarded',
    code: `declare const consent: (open: (url: string) => Promise<void>) => void;\nconsent(shell.openExternal); ${HERE}`,
  },
  {
    name: 'openExternal taken out of shell',
    check: 'open-external-unguarded',
    code: `const { openExternal } = shell; ${HERE}`,
  },
  {
    name: 'shell.openExternal through the namespace import',
    check: 'open-external-unguarded',
    code: `void electron.shell.openExternal(url); ${HERE}`,
  },
  // the preload
  {
    name: 'ipcRenderer exposed as it is',
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `contextBridge.exposeInMainWorld('ipc', ipcRenderer); ${HERE}`,
  },
  {
    name: 'ipcRenderer inside the exposed object',
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `const bridge = {\n  ipcRenderer, ${HERE}\n};\ncontextBridge.exposeInMainWorld('bridge', bridge);`,
  },
  {
    name: 'a function that returns ipcRenderer',
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `contextBridge.exposeInMainWorld('bridge', {\n  ipc: () => ipcRenderer, ${HERE}\n});`,
  },
  {
    name: "one of ipcRenderer's methods as a value",
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `const send = ipcRenderer.send; ${HERE}\ncontextBridge.exposeInMainWorld('bridge', { send });`,
  },
  {
    name: "the page's own listener given to ipcRenderer.on (it would get the event object)",
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `contextBridge.exposeInMainWorld('bridge', {\n  on: (channel: string, listener: (...args: unknown[]) => void) =>\n    ipcRenderer.on(channel, listener), ${HERE}\n});`,
  },
  {
    name: 'a wrapper that passes the event object on',
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `contextBridge.exposeInMainWorld('bridge', {\n  on: (channel: string, listener: (...args: unknown[]) => void) =>\n    ipcRenderer.on(channel, (event, payload) => listener(event, payload)), ${HERE}\n});`,
  },
  {
    name: 'ipcRenderer through the namespace import',
    check: 'preload-exposes-ipc',
    path: 'main/preload/index.ts',
    code: `contextBridge.exposeInMainWorld('bridge', {\n  raw: electron.ipcRenderer, ${HERE}\n});`,
  },
  {
    name: 'ipcRenderer.sendSync',
    check: 'ipc-send-sync',
    path: 'main/preload/index.ts',
    code: `export const read = () => ipcRenderer.sendSync('read'); ${HERE}`,
  },
  // the remote module
  {
    name: "remote imported from 'electron'",
    check: 'remote-module',
    code: `import { remote } from 'electron'; ${HERE}\nvoid remote;`,
  },
  {
    name: '@electron/remote imported',
    check: 'remote-module',
    code: `import * as remote from '@electron/remote/main'; ${HERE}\nvoid remote;`,
  },
  {
    name: '@electron/remote required',
    check: 'remote-module',
    code: `const remote: unknown = require('@electron/remote'); ${HERE}`,
  },
  {
    name: 'electron.remote',
    check: 'remote-module',
    code: `const remote: unknown = (electron as unknown as { remote: unknown }).remote; ${HERE}`,
  },
  {
    name: 'enableRemoteModule: true',
    check: 'insecure-web-preference',
    code: `const prefs = { enableRemoteModule: true }; ${HERE}`,
  },
  // script and style injection
  {
    name: 'executeJavaScript with a computed script',
    check: 'dynamic-injection',
    code: `declare const contents: Electron.WebContents;\nvoid contents.executeJavaScript(code); ${HERE}`,
  },
  {
    name: 'insertCSS with a template that has substitutions',
    check: 'dynamic-injection',
    code: `declare const contents: Electron.WebContents;\nvoid contents.insertCSS(\`body { color: \${code} }\`); ${HERE}`,
  },
  {
    name: 'executeJavaScriptInIsolatedWorld',
    check: 'dynamic-injection',
    code: `declare const frame: Electron.WebFrameMain;\nvoid (frame as unknown as { executeJavaScriptInIsolatedWorld(w: number, s: unknown[]): unknown }).executeJavaScriptInIsolatedWorld(1, []); ${HERE}`,
  },
  // IPC in main
  {
    name: 'ipcMain.handle outside the bridge',
    check: 'ipc-outside-bridge',
    path: 'main/index.ts',
    code: `ipcMain.handle('secret', () => 'x'); ${HERE}`,
  },
  {
    name: 'ipcMain.on outside the bridge',
    check: 'ipc-outside-bridge',
    path: 'main/shell/tray-menu.ts',
    code: `ipcMain.on('copy', () => undefined); ${HERE}`,
  },
  {
    name: 'a bridge handler without the trusted-sender check',
    check: 'ipc-untrusted-sender',
    path: 'main/shell/ipc-bridge.ts',
    code: `ipcMain.handle('list', (_event, input: unknown) => input); ${HERE}`,
  },
  {
    name: 'a bridge handler that checks the sender but carries on',
    check: 'ipc-untrusted-sender',
    path: 'main/shell/ipc-bridge.ts',
    code: `declare const isTrustedSender: (e: unknown) => boolean;\nipcMain.handle('list', (event, input: unknown) => { ${HERE}\n  if (!isTrustedSender(event)) console.warn('untrusted');\n  return input;\n});`,
  },
  {
    name: 'a bridge handler that checks the sender after acting',
    check: 'ipc-untrusted-sender',
    path: 'main/shell/ipc-bridge.ts',
    code: `declare const isTrustedSender: (e: unknown) => boolean;\ndeclare const act: (x: unknown) => unknown;\nipcMain.handle('list', (event, input: unknown) => { ${HERE}\n  const out = act(input);\n  if (!isTrustedSender(event)) return undefined;\n  return out;\n});`,
  },
  // permissions
  {
    name: 'a permission handler that grants',
    check: 'permission-granted',
    code: `declare const ses: Electron.Session;\nses.setPermissionRequestHandler((_c, _p, callback) => callback(true)); ${HERE}`,
  },
  {
    name: 'a permission handler that grants some permissions',
    check: 'permission-granted',
    code: `declare const ses: Electron.Session;\nses.setPermissionRequestHandler((_c, permission, callback) => { ${HERE}\n  callback(permission === 'clipboard-read');\n});`,
  },
  {
    name: 'the permission handler reset to the default (which grants everything)',
    check: 'permission-granted',
    code: `declare const ses: Electron.Session;\nses.setPermissionRequestHandler(null); ${HERE}`,
  },
  {
    name: 'a permission check handler that answers true',
    check: 'permission-granted',
    code: `declare const ses: Electron.Session;\nses.setPermissionCheckHandler(() => true); ${HERE}`,
  },
  // Chromium switches and certificates
  {
    name: 'a switch that turns off certificate checks',
    check: 'insecure-switch',
    code: `app.commandLine.appendSwitch('ignore-certificate-errors'); ${HERE}`,
  },
  {
    name: 'a computed switch (cannot be checked)',
    check: 'insecure-switch',
    severity: 'medium',
    code: `app.commandLine.appendSwitch(code); ${HERE}`,
  },
  {
    name: 'a certificate verify procedure that decides itself',
    check: 'certificate-bypass',
    code: `declare const ses: Electron.Session;\nses.setCertificateVerifyProc((request, callback) => { ${HERE}\n  callback(request.hostname === 'idp' ? 0 : -3);\n});`,
  },
  {
    name: 'a certificate-error handler that accepts',
    check: 'certificate-bypass',
    code: `app.on('certificate-error', (event, _contents, _url, _error, _cert, callback) => { ${HERE}\n  event.preventDefault();\n  callback(true);\n});`,
  },
  // the renderer's Content-Security-Policy
  {
    name: 'a page without a CSP meta tag',
    check: 'csp',
    html: `<!doctype html>\n<html><head><title>x</title></head></html>`,
  },
  {
    name: "script-src 'unsafe-inline'",
    check: 'csp',
    html: `<!doctype html>\n<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'"> ${HERE}`,
  },
  {
    name: "script-src 'unsafe-eval'",
    check: 'csp',
    html: `<!doctype html>\n<meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'"> ${HERE}`,
  },
  {
    name: "style-src 'unsafe-inline'",
    check: 'csp',
    html: `<!doctype html>\n<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'"> ${HERE}`,
  },
  {
    name: "no script-src, and default-src allows 'unsafe-inline'",
    check: 'csp',
    html: `<!doctype html>\n<meta http-equiv="Content-Security-Policy" content="default-src 'self' 'unsafe-inline'"> ${HERE}`,
  },
  {
    name: 'no default-src',
    check: 'csp',
    html: `<!doctype html>\n<meta http-equiv="Content-Security-Policy" content="script-src 'self'; style-src 'self'"> ${HERE}`,
  },
  {
    name: "a CSP header constant with 'unsafe-inline'",
    check: 'csp',
    code: `export const APP_CONTENT_SECURITY_POLICY = [ ${HERE}\n  "default-src 'self'",\n  "style-src 'self' 'unsafe-inline'",\n].join('; ');`,
  },
];

describe('each check fires on a sample of its mistake', () => {
  it.each(bad)('$check: $name', (sample) => {
    const { result, path, text, htmlText } = scanSample(sample);
    const onHtml = sample.html !== undefined;
    const expectedFile = onHtml ? GOOD_HTML.path : path;
    const expectedLine = onHtml ? (markedLine(htmlText, HERE) ?? 1) : markedLine(text, HERE);
    const matching = result.findings.filter((f: Finding) => f.check === sample.check);

    expect(matching, formatFindings(result.findings)).not.toEqual([]);
    expect(matching[0]).toMatchObject({
      severity: sample.severity ?? 'high',
      file: expectedFile,
      line: expectedLine,
    });
    // The printed report names the check and the place.
    expect(formatFindings(matching)).toContain(`${sample.check} ${expectedFile}:${expectedLine}:`);
  });
});

const good: readonly { readonly name: string; readonly path?: string; readonly code: string }[] = [
  {
    name: 'the app window: helper preferences, locked down by the helper',
    code: `const here = '.';\nexport const createWindow = () => {\n  const window = new BrowserWindow({\n    width: 960,\n    show: false,\n    webPreferences: hardenedWebPreferences(here + '/preload.cjs'),\n  });\n  lockDownContents(window.webContents);\n  return window;\n};`,
  },
  {
    name: "the consent window: the helper's spread plus a session, its own handlers",
    code: `declare const consentSession: Electron.Session;\ndeclare const parent: BrowserWindow | undefined;\ndeclare const intercept: (url: string) => boolean;\nexport const open = () => {\n  consentSession.setPermissionRequestHandler((_c, _p, callback) => callback(false));\n  consentSession.setPermissionCheckHandler(() => false);\n  const window = new BrowserWindow({\n    width: 520,\n    ...(parent ? { parent } : {}),\n    webPreferences: { ...hardenedWebPreferences(), session: consentSession },\n  });\n  const contents = window.webContents;\n  contents.on('will-redirect', (event) => { if (intercept(event.url)) event.preventDefault(); });\n  contents.on('will-navigate', (event) => {\n    if (intercept(event.url)) event.preventDefault();\n  });\n  contents.setWindowOpenHandler(() => ({ action: 'deny' }));\n  return window;\n};`,
  },
  {
    name: 'a window with the secure values written out, locked down by hand',
    code: `const denyAll = () => ({ action: 'deny' as const });\nexport const open = () => {\n  const win = new BrowserWindow({\n    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },\n  });\n  win.webContents.setWindowOpenHandler(denyAll);\n  win.webContents.once('will-navigate', (e) => e.preventDefault());\n  win.webContents.session.setPermissionRequestHandler((_c, _p, cb) => {\n    cb(false);\n  });\n};`,
  },
  {
    name: 'a guarded openExternal (as main/index.ts has it), also under another name',
    code: `import { shell as desktop } from 'electron';\nexport const openAuthorizationUrl = async (target: string): Promise<void> => {\n  if (!isAllowedEndpoint(target)) throw new Error('refusing');\n  await desktop.openExternal(target);\n};\nexport const openQuietly = async (target: string) => {\n  if (!isAllowedEndpoint(target)) {\n    console.warn('refused');\n    return;\n  }\n  await shell.openExternal(target);\n};`,
  },
  {
    name: 'a preload exposing typed invoke functions and a wrapping listener',
    path: 'main/preload/index.ts',
    code: `const api = {\n  list: (input?: unknown) => ipcRenderer.invoke('api:list', input),\n};\nconst bridge = {\n  api,\n  on(name: string, listener: (payload: unknown) => void) {\n    const wrapped = (_event: unknown, payload: unknown) => listener(payload);\n    ipcRenderer.on('event:' + name, wrapped);\n    return () => {\n      ipcRenderer.removeListener('event:' + name, wrapped);\n    };\n  },\n};\ncontextBridge.exposeInMainWorld('tokendesk', bridge);`,
  },
  {
    name: 'the IPC bridge with the trusted-sender check first',
    path: 'main/shell/ipc-bridge.ts',
    code: `declare const isTrustedSender: (e: unknown, w: unknown, u: string) => boolean;\ndeclare const getWindow: () => unknown;\nexport const register = (api: Record<string, (x: unknown) => unknown>) => {\n  for (const name of Object.keys(api)) {\n    ipcMain.handle(name, (event, input: unknown) => {\n      if (!isTrustedSender(event, getWindow(), 'file:///x')) {\n        console.warn('dropped');\n        return undefined;\n      }\n      return api[name]?.(input);\n    });\n  }\n};`,
  },
  {
    name: "a certificate verify procedure that only watches (keeps Chromium's verdict)",
    code: `declare const ses: Electron.Session;\nconst seen = new Map<string, string>();\nses.setCertificateVerifyProc((request, callback) => {\n  if (request.errorCode !== 0) seen.set(request.hostname, request.certificate.subjectName);\n  callback(-3);\n});`,
  },
  {
    name: 'literal scripts and styles, harmless switches, a strict header CSP',
    code: `declare const contents: Electron.WebContents;\nvoid contents.executeJavaScript('document.title');\nvoid contents.insertCSS(\`body { margin: 0 }\`);\napp.commandLine.appendSwitch('lang', 'en-US');\nexport const APP_CONTENT_SECURITY_POLICY = ["default-src 'self'", "script-src 'self'", "style-src 'self'"].join('; ');`,
  },
];

describe('the patterns the app uses pass', () => {
  it.each(good)('$name', ({ path, code }) => {
    const { result } = scanSample({ code, ...(path !== undefined ? { path } : {}) });
    expect(result.findings, formatFindings(result.findings)).toEqual([]);
  });
});
