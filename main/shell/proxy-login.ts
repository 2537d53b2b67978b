/**
 * A proxy that asks for a user name and password is answered by the user, through the core's
 * ProxySignIn (one prompt per proxy, kept in memory only): for main's requests through their
 * own `login` event (electron-fetch.ts), for the consent windows through the app's. A web
 * server's own HTTP authentication is not ours to answer, nor is a request of Chromium's own
 * with no window (a dictionary download): Electron's default (cancel) applies to them.
 */
import { app, type AuthInfo } from 'electron';
import type { ProxyCredentials, ProxySignIn } from '../core/services/proxy-sign-in';

/** Asks ProxySignIn; `again`: the same request asked before (its answer was refused). */
export const askProxySignIn = (
  proxySignIn: ProxySignIn,
  authInfo: AuthInfo,
  again: boolean,
): Promise<ProxyCredentials | undefined> =>
  proxySignIn.ask(
    {
      proxy: `${authInfo.host}:${authInfo.port}`,
      scheme: authInfo.scheme,
      ...(authInfo.realm ? { realm: authInfo.realm } : {}),
    },
    again,
  );

/** How long a window's request to a URL counts as the same request asking again. */
const SAME_REQUEST_MS = 60_000;

/** The consent windows' proxy password requests. */
export const answerConsentProxyLogins = (proxySignIn: ProxySignIn): void => {
  // The app's event names no request: one window asking again for one URL within a minute is
  // taken as that request asking again (its answer refused).
  const asked = new Map<string, number>();
  app.on('login', (event, webContents, details, authInfo, callback) => {
    if (!authInfo.isProxy || !webContents) return;
    event.preventDefault();
    const key = `${webContents.id} ${details.url}`;
    const now = Date.now();
    for (const [seen, at] of asked) if (now - at > SAME_REQUEST_MS) asked.delete(seen);
    const again = asked.has(key);
    asked.set(key, now);
    askProxySignIn(proxySignIn, authInfo, again).then(
      (credentials) =>
        credentials ? callback(credentials.username, credentials.password) : callback(),
      () => callback(),
    );
  });
};
