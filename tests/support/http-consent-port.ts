/**
 * A ConsentPort without a browser, for the local fake providers: they answer the authorization
 * request with a redirect, so "showing" the page is one fetch and the callback is its Location
 * header; or with a consent page (GitLab's "Authorize"), whose one POST form is submitted as the
 * user's click would, and the callback is that answer's Location. Keeps provider-quirk tests fast
 * and independent of Chromium.
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

/** The one POST form of a consent page: its action and its fields (the submit button's too). */
const consentForm = (
  html: string,
  page: URL,
): { action: URL; fields: URLSearchParams } | undefined => {
  const form = /<form\b[^>]*\bmethod="post"[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(
    html,
  );
  if (form?.[1] === undefined || form[2] === undefined) return undefined;
  const decode = (text: string) =>
    text
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
      .replaceAll('&amp;', '&');
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(
    /<(?:input|button)\b[^>]*\bname="([^"]*)"[^>]*\bvalue="([^"]*)"/gi,
  ))
    fields.append(decode(input[1] ?? ''), decode(input[2] ?? ''));
  return { action: new URL(decode(form[1]), page), fields };
};

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
      let location: string | null;
      try {
        response = await fetch(authorizationUrl, { redirect: 'manual', signal: request.signal });
        location = response.headers.get('location');
        const form =
          location === null && response.status === 200
            ? consentForm(await response.text(), authorizationUrl)
            : undefined;
        if (form !== undefined) {
          // The consent page (read whole above): the user approves.
          response = await fetch(form.action, {
            method: 'POST',
            body: form.fields,
            redirect: 'manual',
            signal: request.signal,
          });
          location = response.headers.get('location');
        }
      } catch (error) {
        if (request.signal.aborted) throw new ConsentAborted('cancelled');
        throw error;
      }
      await response.body?.cancel().catch(() => undefined);
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
