/**
 * A ConsentPort that signs in and consents on oidc-provider's development interaction pages over
 * plain HTTP (fetch with a small cookie jar), so the benchmarks connect a real account through
 * the core's own connect flow without starting Chromium. It only knows those dev pages: a form
 * with a hidden `prompt` input (login or consent) posted back to `/interaction/:uid`.
 */
import type { ConsentPort, ConsentRequest, ConsentSession } from '../main/core/ports';

const MAX_HOPS = 20;
const PROMPT = /name="prompt" value="(login|consent)"/;

/** Cookies by name. Paths are ignored: the flow only ever talks to one server. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=.*1970/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const isCallback = (candidate: URL, redirectUri: URL): boolean =>
  candidate.origin === redirectUri.origin && candidate.pathname === redirectUri.pathname;

/** Follows the authorization flow to the redirect, answering the login and consent pages. */
const authorizeOverHttp = async (
  authorizationUrl: URL,
  redirectUri: URL,
  login: string,
): Promise<URL> => {
  const jar = new CookieJar();
  let url = authorizationUrl;
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: form } : {}),
    });
    jar.store(response);
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (isCallback(next, redirectUri)) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const prompt = PROMPT.exec(html)?.[1];
    if (response.status !== 200 || prompt === undefined) {
      throw new Error(`unexpected answer ${response.status} at ${url.href}: ${html.slice(0, 300)}`);
    }
    // The dev pages post back to the page's own URL (/interaction/:uid).
    form =
      prompt === 'login'
        ? new URLSearchParams({ prompt, login, password: 'bench' })
        : new URLSearchParams({ prompt });
  }
  throw new Error(`no redirect to ${redirectUri.href} after ${MAX_HOPS} hops`);
};

export const createOidcHttpUser = (login: string): ConsentPort => ({
  begin(request: ConsentRequest): Promise<ConsentSession> {
    // Embedded mode: the redirect is captured, nothing listens, so no port in the URI.
    const redirectUri = `http://${request.redirectHost}${request.callbackPath}`;
    return Promise.resolve({
      redirectUri,
      authorize: (authorizationUrl: URL) =>
        authorizeOverHttp(authorizationUrl, new URL(redirectUri), login),
      close: () => Promise.resolve(),
    });
  },
});
