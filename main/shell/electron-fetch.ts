/**
 * main's requests on Chromium's network stack (Electron's net.fetch), behind the core's fetch
 * port: the system's proxy settings and PAC file, proxy authentication (the `login` event,
 * main/shell/proxy-sign-in.ts) and the system's certificate store, as the consent window has
 * them. Node's fetch has none of these: on a network where only the proxy reaches the internet,
 * sign-in would succeed in the window and the code exchange in main would then fail.
 *
 * The core's limited fetch (main/core/http/http-client.ts) wraps this one: time limits, body
 * caps and failure classes hold over both stacks. Failures are handed on with Chromium's code
 * (`ERR_NAME_NOT_RESOLVED`) and, for a certificate, which one (certificate-failures.ts).
 */
import type { Session } from 'electron';
import type { FetchLike } from '../core/http/http-client';
import type { CertificateFailures } from './certificate-failures';

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/** What net.fetch says when a redirect meets `redirect: 'error'`. */
const REDIRECT_REFUSED = /redirect policy was 'error'|Redirect was cancelled/i;

/** net.fetch's failure as an error the core classifies: Chromium's code, the certificate. */
const transportError = (
  error: unknown,
  url: string,
  certificates: CertificateFailures,
): unknown => {
  if (!(error instanceof Error) || error.name === 'AbortError') return error;
  const chromium = /net::(ERR_[A-Z0-9_]+)/.exec(error.message)?.[1];
  const code =
    chromium ?? (REDIRECT_REFUSED.test(error.message) ? 'ERR_REDIRECT_REFUSED' : undefined);
  if (code === undefined) return error;
  let hostname = '';
  try {
    hostname = new URL(url).hostname;
  } catch {
    // The URL was checked before the request; nothing to name then.
  }
  const certificate = code.startsWith('ERR_CERT_') ? certificates.about(hostname) : undefined;
  return Object.assign(new Error(error.message, { cause: error }), {
    code,
    ...(certificate ? { certificate } : {}),
  });
};

export const createElectronFetch =
  (session: Session, certificates: CertificateFailures): FetchLike =>
  async (input, init) => {
    const url = urlOf(input);
    try {
      return await session.fetch(url, {
        ...init,
        // oauth4webapi asks for 'manual' (a redirect is an error to it, and is never followed
        // with the request's secrets). Electron 33's net.fetch never settles a 'manual' request
        // that meets a redirect; 'error' refuses it at once, which is what oauth4webapi would do.
        ...(init?.redirect === 'manual' ? { redirect: 'error' as const } : {}),
        // The session's cookies (none: the consent window has sessions of its own) are no
        // business of token requests.
        credentials: 'omit',
        // The app's own scheme handlers (app://) must never answer a provider request.
        bypassCustomProtocolHandlers: true,
      });
    } catch (error) {
      throw transportError(error, url, certificates);
    }
  };
