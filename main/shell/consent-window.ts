/**
 * Embedded consent: a sandboxed window without preload, on a fresh in-memory session partition
 * per attempt, that shows the provider's pages and intercepts the redirect before it loads.
 *
 * The redirect can reach the window three ways — a server redirect (`will-redirect`), a page
 * navigation (`will-navigate`), or any other request (`webRequest.onBeforeRequest`) — and more
 * than one can fire for the same redirect, so the first match settles the attempt and the rest
 * are ignored. Closing the window, cancelling, or the core's time limit ends it as aborted.
 */
import { BrowserWindow, session as electronSession } from 'electron';
import { randomUUID } from 'node:crypto';
import { matchesRedirectUri } from '../core/consent/redirect-match';
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
  type Logger,
} from '../core/ports';
import { hardenedWebPreferences } from './hardened-window';

export interface ConsentWindowOptions {
  /** The app window, to centre the consent window on; optional. */
  readonly parent?: () => BrowserWindow | undefined;
  readonly logger: Logger;
}

const isWebUrl = (url: string): boolean => {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
};

const openConsentWindow = (
  request: ConsentRequest,
  options: ConsentWindowOptions,
): ConsentSession => {
  // No port: embedded mode never listens, it intercepts. The registered URI is this exact string.
  const redirectUri = `http://${request.redirectHost}${request.callbackPath}`;
  // No `persist:` prefix: the partition lives in memory and nothing of the sign-in outlives it,
  // so a second account starts from a signed-out provider page.
  const partition = `consent-${randomUUID()}`;
  const consentSession = electronSession.fromPartition(partition, { cache: false });
  consentSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  consentSession.setPermissionCheckHandler(() => false);

  let settled = false;
  let resolveCallback: (url: URL) => void = () => undefined;
  let rejectCallback: (error: Error) => void = () => undefined;
  const received = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  // The core may not be awaiting yet when the user closes the window.
  received.catch(() => undefined);

  const parent = options.parent?.();
  const window = new BrowserWindow({
    width: 520,
    height: 720,
    title: 'Sign in — Tokendesk',
    show: false,
    autoHideMenuBar: true,
    ...(parent && !parent.isDestroyed() ? { parent } : {}),
    webPreferences: { ...hardenedWebPreferences(), session: consentSession },
  });
  const contents = window.webContents;

  const finish = (outcome: { url: string } | { aborted: ConsentAborted['reason'] }): void => {
    if (settled) return;
    settled = true;
    if ('url' in outcome) resolveCallback(new URL(outcome.url));
    else rejectCallback(new ConsentAborted(outcome.aborted));
    if (!window.isDestroyed()) window.destroy();
  };

  /** Handles a URL the window is about to load; true when it was the redirect (and stopped). */
  const intercept = (url: string): boolean => {
    if (!matchesRedirectUri(url, redirectUri)) return false;
    finish({ url });
    return true;
  };

  consentSession.webRequest.onBeforeRequest((details, callback) => {
    // Only the window's own navigation carries the answer. An image, fetch or frame a page aims
    // at the redirect URI is cancelled (it must not reach a listener) but settles nothing.
    if (!matchesRedirectUri(details.url, redirectUri)) callback({});
    else {
      if (details.resourceType === 'mainFrame') finish({ url: details.url });
      callback({ cancel: true });
    }
  });
  contents.on('will-redirect', (event) => {
    // will-redirect fires for frames as well: like any request above, a frame's redirect to the
    // redirect URI is stopped but settles nothing (only the window's own navigation answers).
    if (!matchesRedirectUri(event.url, redirectUri)) return;
    event.preventDefault();
    if (event.isMainFrame) finish({ url: event.url });
  });
  contents.on('will-navigate', (event) => {
    // Provider pages may navigate among themselves, but never to a custom scheme or a file.
    if (intercept(event.url) || !isWebUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  window.once('ready-to-show', () => {
    if (!window.isDestroyed()) window.show();
  });
  window.on('closed', () => finish({ aborted: 'closed' }));

  const onAbort = (): void =>
    finish({ aborted: request.signal.reason === 'timeout' ? 'timeout' : 'cancelled' });
  request.signal.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri,
    authorize(authorizationUrl) {
      if (request.signal.aborted) onAbort();
      else if (!settled) {
        // loadURL rejects when the interception cancels the final load (ERR_ABORTED): expected.
        window.loadURL(authorizationUrl.href).catch((error: unknown) => {
          if (!settled) {
            options.logger.warn('consent page failed to load', {
              reason: error instanceof Error ? error.message : String(error),
            });
          }
        });
      }
      return received;
    },
    async close() {
      request.signal.removeEventListener('abort', onAbort);
      consentSession.webRequest.onBeforeRequest(null);
      if (!window.isDestroyed()) window.destroy();
      await consentSession.clearStorageData();
    },
  };
};

/** The embedded consent port (a window inside the app). */
export const createConsentWindowPort = (options: ConsentWindowOptions): ConsentPort => ({
  begin: (request) => Promise.resolve(openConsentWindow(request, options)),
});
