/**
 * A proxy that asks for a user name and password (Electron's `login` event, for main's requests
 * and the consent windows alike) is answered by the user, through the core's ProxySignIn (one
 * prompt per proxy, kept in memory only). A web server's own HTTP authentication is not ours
 * to answer: Electron's default (cancel) applies to it.
 */
import { app, session } from 'electron';
import type { ProxySignIn } from '../core/services/proxy-sign-in';
import type { Logger } from '../core/ports';
import { messageOf } from '../../shared/errors';

export const answerProxyLogins = (proxySignIn: ProxySignIn, logger: Logger): void => {
  app.on('login', (event, webContents, _details, authInfo, callback) => {
    if (!authInfo.isProxy) return;
    event.preventDefault();
    const proxy = `${authInfo.host}:${authInfo.port}`;
    // Chromium keeps an answer per session: main's requests use the default session, each
    // consent window one of its own.
    const requester = webContents?.session ?? session.defaultSession;
    proxySignIn
      .ask(
        { proxy, scheme: authInfo.scheme, ...(authInfo.realm ? { realm: authInfo.realm } : {}) },
        requester,
      )
      .then(
        (credentials) => {
          if (credentials) callback(credentials.username, credentials.password);
          else callback();
        },
        (error: unknown) => {
          logger.warn('the proxy sign-in failed', { proxy, reason: messageOf(error) });
          callback();
        },
      );
  });
};
