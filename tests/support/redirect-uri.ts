/**
 * The redirect URI a test consent session announces. It follows the app's rule
 * (`http://<host>[:port]/callback/<providerId>`): embedded windows capture the redirect without a
 * listener, so they use the registered form without a port; system-browser sessions carry a
 * port, as the app's loopback listener would, so tests also cover "any loopback port" matching
 * (RFC 8252 §7.3) on the server side. A request that names its redirect URI (a token backend's
 * registered one: `ConsentRequest.redirectUri`) gets exactly that, whatever it is, as the app's
 * ports do: a web URI is caught from the provider's redirect, never requested.
 */
import { createServer } from 'node:net';
import type { ConsentRequest } from '../../main/core/ports';

/** A port that was free a moment ago: nothing listens there, so a stray hit fails fast. */
export const reserveFreePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });

export const redirectUriFor = async (
  request: Pick<ConsentRequest, 'mode' | 'redirectHost' | 'callbackPath' | 'redirectUri'>,
): Promise<string> => {
  if (request.redirectUri !== undefined) return request.redirectUri;
  if (request.mode === 'embedded') return `http://${request.redirectHost}${request.callbackPath}`;
  const port = await reserveFreePort();
  return `http://${request.redirectHost}:${port}${request.callbackPath}`;
};

/** Whether a URL is the redirect: same origin and exactly the same path, query ignored. */
export const isRedirectTo = (candidate: URL, redirectUri: URL): boolean =>
  candidate.origin === redirectUri.origin && candidate.pathname === redirectUri.pathname;
