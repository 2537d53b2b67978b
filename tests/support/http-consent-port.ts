/**
 * A ConsentPort without a browser, for the local fake providers: they approve at once and answer
 * the authorization request with a redirect, so "showing" the page is one fetch and the callback
 * is its Location header. Keeps provider-quirk tests fast and independent of Chromium.
 */
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
} from '../../main/core/ports';
import { redirectUriFor } from './redirect-uri';

export interface HttpConsentOptions {
  /** Rewrites the callback before the core sees it (tampering tests). */
  readonly transform?: (callback: URL) => URL;
}

export interface HttpConsentPort extends ConsentPort {
  readonly authorizationUrls: readonly URL[];
  readonly requests: readonly ConsentRequest[];
  readonly lastAuthorizationUrl: URL | undefined;
}

export const createHttpConsentPort = (options: HttpConsentOptions = {}): HttpConsentPort => {
  const authorizationUrls: URL[] = [];
  const requests: ConsentRequest[] = [];

  const begin = async (request: ConsentRequest): Promise<ConsentSession> => {
    requests.push(request);
    const redirectUri = await redirectUriFor(request);
    let closed = false;
    const authorize = async (authorizationUrl: URL): Promise<URL> => {
      authorizationUrls.push(authorizationUrl);
      if (closed) throw new ConsentAborted('closed');
      let response: Response;
      try {
        response = await fetch(authorizationUrl, { redirect: 'manual', signal: request.signal });
      } catch (error) {
        if (request.signal.aborted) throw new ConsentAborted('cancelled');
        throw error;
      }
      const location = response.headers.get('location');
      await response.body?.cancel();
      if (location === null) {
        throw new Error(
          `authorization endpoint answered ${response.status} without a redirect: ${authorizationUrl.href}`,
        );
      }
      const callback = new URL(location, authorizationUrl);
      return options.transform ? options.transform(callback) : callback;
    };
    return {
      redirectUri,
      authorize,
      close: () => {
        closed = true;
        return Promise.resolve();
      },
    };
  };

  return {
    begin,
    authorizationUrls,
    requests,
    get lastAuthorizationUrl() {
      return authorizationUrls.at(-1);
    },
  };
};
