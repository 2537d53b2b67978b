/**
 * Consent ports that stand in for the consent window or the system browser: each session answers
 * with a callback URL the test builds from the authorization URL the core produced (so a test can
 * echo the real `state`, or deliberately not). Sessions honour the port contract: when the
 * attempt's signal aborts, `authorize` rejects with `ConsentAborted`.
 */
import {
  ConsentAborted,
  type ConsentPort,
  type ConsentRequest,
  type ConsentSession,
} from '../../../main/core/ports';

/** Builds the provider's redirect: the session's redirect URI plus the given query parameters. */
export type ConsentAnswer = (authorizationUrl: URL, redirectUri: string) => URL | Promise<URL>;

export interface ScriptedConsent extends ConsentPort {
  readonly requests: ConsentRequest[];
  readonly authorizationUrls: URL[];
  /** How many sessions were closed. */
  closed: number;
}

/** The port in the app is on 127.0.0.1 with a random port; a fixed one does for these tests. */
export const REDIRECT_PORT = 53_682;

export const callbackUrl = (redirectUri: string, params: Readonly<Record<string, string>>): URL => {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
  return url;
};

const abortedReason = (signal: AbortSignal): ConsentAborted =>
  new ConsentAborted(signal.reason === 'timeout' ? 'timeout' : 'cancelled');

export const scriptedConsent = (answer: ConsentAnswer): ScriptedConsent => {
  const port: ScriptedConsent = {
    requests: [],
    authorizationUrls: [],
    closed: 0,
    begin(request: ConsentRequest): Promise<ConsentSession> {
      port.requests.push(request);
      // One registered elsewhere (a token backend's client) is used as it is, as the app's ports do.
      const redirectUri =
        request.redirectUri ??
        `http://${request.redirectHost}:${REDIRECT_PORT}${request.callbackPath}`;
      let closed = false;
      return Promise.resolve({
        redirectUri,
        authorize: (authorizationUrl: URL): Promise<URL> => {
          port.authorizationUrls.push(authorizationUrl);
          if (request.signal.aborted) return Promise.reject(abortedReason(request.signal));
          return new Promise<URL>((resolve, reject) => {
            const onAbort = (): void => reject(abortedReason(request.signal));
            request.signal.addEventListener('abort', onAbort, { once: true });
            Promise.resolve()
              .then(() => answer(authorizationUrl, redirectUri))
              .then(resolve, reject)
              .finally(() => request.signal.removeEventListener('abort', onAbort));
          });
        },
        close: (): Promise<void> => {
          if (!closed) {
            closed = true;
            port.closed++;
          }
          return Promise.resolve();
        },
      });
    },
  };
  return port;
};

/** The provider redirects back with a code and the state it was given. */
export const answerWithCode =
  (code = 'auth-code-1'): ConsentAnswer =>
  (authorizationUrl, redirectUri) =>
    callbackUrl(redirectUri, { code, state: authorizationUrl.searchParams.get('state') ?? '' });

/** The provider redirects back with these parameters plus the right state. */
export const answerWithParams =
  (params: Readonly<Record<string, string>>): ConsentAnswer =>
  (authorizationUrl, redirectUri) =>
    callbackUrl(redirectUri, {
      ...params,
      state: authorizationUrl.searchParams.get('state') ?? '',
    });

/** The user never finishes: the answer only comes when the attempt is cancelled or times out. */
export const answerNever: ConsentAnswer = () => new Promise<URL>(() => undefined);

/** A consent port for tests that must never reach consent. */
export const consentThatMustNotRun = (): ConsentPort => ({
  begin: () => Promise.reject(new Error('this test must not open a consent window')),
});
