/**
 * Embedded consent: a sandboxed window without preload, on a fresh in-memory session partition
 * per attempt, that shows the provider's pages and intercepts the redirect before it loads.
 *
 * The redirect can reach the window three ways — a server redirect (`will-redirect`), a page
 * navigation (`will-navigate`), or any other request (`webRequest.onBeforeRequest`) — and more
 * than one can fire for the same redirect, so the first match settles the attempt and the rest
 * are ignored. Closing the window, cancelling, or the core's time limit ends it as aborted.
 *
 * The window has no address bar, so it holds the line a browser would show: it loads only https
 * pages, or plain http on this computer (consent-page-rule.ts), first URL and every navigation
 * and redirect alike; it downloads nothing; and its title is its own (naming the provider and
 * the host of the page shown), never the page's.
 */
import { BrowserWindow, session as electronSession } from 'electron';
import { randomUUID } from 'node:crypto';
import {
  mayLoadInConsentWindow,
  originOf,
  refusedNextPage,
  refusedSignInPage,
} from '../core/consent/consent-page-rule';
import { matchesRedirectUri } from '../core/consent/redirect-match';
import type { CoreFailure } from '../core/core-failure';
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
  type Logger,
} from '../core/ports';
import { hardenedWebPreferences } from './hardened-window';
import { messageOf } from '../../shared/errors';

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

/**
 * The window's title: what it is for and, once a page is shown, where that page is (the ASCII
 * form of the host, so a lookalike international name shows as what it is).
 */
const titleFor = (providerName: string | undefined, host?: string): string =>
  `Sign in${providerName ? ` to ${providerName}` : ''}${host ? ` at ${host}` : ''} — Tokendesk`;

const hostOf = (url: string): string | undefined => {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
};

const openConsentWindow = (
  request: ConsentRequest,
  options: ConsentWindowOptions,
): ConsentSession => {
  // No port: embedded mode never listens, it intercepts. The registered URI is this exact string,
  // or the one a token backend's client registered, whatever it is (an https page of the team's
  // own included): caught before it loads, so nothing is asked of that server.
  const redirectUri =
    request.redirectUri ?? `http://${request.redirectHost}${request.callbackPath}`;
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
    title: titleFor(request.providerName),
    show: false,
    autoHideMenuBar: true,
    ...(parent && !parent.isDestroyed() ? { parent } : {}),
    webPreferences: { ...hardenedWebPreferences(), session: consentSession },
  });
  const contents = window.webContents;

  const finish = (
    outcome: { url: string } | { aborted: ConsentAborted['reason'] } | { failure: CoreFailure },
  ): void => {
    if (settled) return;
    settled = true;
    if ('url' in outcome) resolveCallback(new URL(outcome.url));
    else if ('failure' in outcome) rejectCallback(outcome.failure);
    else rejectCallback(new ConsentAborted(outcome.aborted));
    if (!window.isDestroyed()) window.destroy();
  };

  /** The window itself was to go somewhere it may not: the sign-in stops, saying where. */
  const refuseNextPage = (url: string): void => {
    options.logger.warn('consent window refused a page', { target: originOf(url) });
    finish({ failure: refusedNextPage(url) });
  };

  /** Handles a URL the window is about to load; true when it was the redirect (and stopped). */
  const intercept = (url: string): boolean => {
    if (!matchesRedirectUri(url, redirectUri)) return false;
    finish({ url });
    return true;
  };

  consentSession.webRequest.onBeforeRequest((details, callback) => {
    const mainFrame = details.resourceType === 'mainFrame';
    if (matchesRedirectUri(details.url, redirectUri)) {
      // Only the window's own navigation carries the answer. An image, fetch or frame a page
      // aims at the redirect URI is cancelled (it must not reach a listener) but settles nothing.
      if (mainFrame) finish({ url: details.url });
      callback({ cancel: true });
      return;
    }
    // Every request passes here, whichever way it started: the one place nothing slips past.
    const kind = mainFrame || details.resourceType === 'subFrame' ? 'page' : 'resource';
    if (mayLoadInConsentWindow(details.url, kind)) {
      callback({});
      return;
    }
    callback({ cancel: true });
    if (mainFrame) refuseNextPage(details.url);
    else
      options.logger.warn('consent window refused an insecure request', {
        target: originOf(details.url),
      });
  });
  contents.on('will-redirect', (event) => {
    // will-redirect fires for frames as well: like any request above, a frame's redirect to the
    // redirect URI is stopped but settles nothing (only the window's own navigation answers).
    if (matchesRedirectUri(event.url, redirectUri)) {
      event.preventDefault();
      if (event.isMainFrame) finish({ url: event.url });
      return;
    }
    if (mayLoadInConsentWindow(event.url, 'page')) return;
    event.preventDefault();
    // A redirect the window may not follow would leave it on an error page: the sign-in stops
    // and says why. A frame's is only stopped.
    if (event.isMainFrame) refuseNextPage(event.url);
    else
      options.logger.warn('consent window refused an insecure request', {
        target: originOf(event.url),
      });
  });
  contents.on('will-navigate', (event) => {
    if (intercept(event.url)) {
      event.preventDefault();
      return;
    }
    if (mayLoadInConsentWindow(event.url, 'page')) return;
    event.preventDefault();
    // A web page off limits ends the sign-in, saying where. Any other scheme (file:, javascript:,
    // an app's own) is not a page at all: stopped, and the sign-in goes on.
    if (isWebUrl(event.url)) refuseNextPage(event.url);
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // A sign-in page has nothing to save on the user's disk; Electron would ask where to put it.
  consentSession.on('will-download', (event, item) => {
    event.preventDefault();
    options.logger.warn('consent window refused a download', { target: originOf(item.getURL()) });
  });
  // The title says what the window is for; a page could otherwise call itself anything.
  window.on('page-title-updated', (event) => event.preventDefault());
  contents.on('did-navigate', (_event, url) => {
    if (!window.isDestroyed()) window.setTitle(titleFor(request.providerName, hostOf(url)));
  });
  window.once('ready-to-show', () => {
    if (!window.isDestroyed()) window.show();
  });
  window.on('closed', () => finish({ aborted: 'closed' }));

  const onAbort = (): void => finish({ aborted: ConsentAborted.of(request.signal).reason });
  request.signal.addEventListener('abort', onAbort, { once: true });

  return {
    redirectUri,
    authorize(authorizationUrl) {
      if (request.signal.aborted) onAbort();
      else if (!mayLoadInConsentWindow(authorizationUrl.href, 'page'))
        finish({ failure: refusedSignInPage(authorizationUrl.href) });
      else if (!settled) {
        // loadURL rejects when the interception cancels the final load (ERR_ABORTED): expected.
        window.loadURL(authorizationUrl.href).catch((error: unknown) => {
          if (!settled) {
            options.logger.warn('consent page failed to load', {
              reason: messageOf(error),
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
