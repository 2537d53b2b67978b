/**
 * What the provider form says about a token exchange through a backend, from the values typed:
 * the URLs Tokendesk will POST to, which consent modes can catch the backend's redirect URI, and
 * what the backend's shape gives up (PKCE, refresh). Pure, so the words are tested without a page;
 * main decides the same rules again on save (shared/ipc-contract.ts, the core's validation).
 */
import {
  BACKEND_SHAPE_FACTS,
  backendCallUrl,
  needsSystemBrowser,
  type BackendShape,
  type ProviderPreset,
} from '../../../shared/providers';
import { systemBrowserCanCatch } from '../../../shared/url-rules';

/**
 * `loopback`: plain http on this computer with an explicit port, which the system browser's
 * listener can bind (shared/url-rules.ts, the rule main's save applies too); `web`: any other URL, which only the embedded window can catch (it stops the
 * redirect before it loads); `unknown`: nothing usable typed yet.
 */
export type BackendRedirectKind = 'loopback' | 'web' | 'unknown';

export const backendRedirectKind = (uri: string): BackendRedirectKind => {
  const typed = uri.trim();
  if (!URL.canParse(typed)) return 'unknown';
  return systemBrowserCanCatch(typed) ? 'loopback' : 'web';
};

/** What the backend is asked for, each with the URL it is POSTed to (none before a URL is typed). */
export const backendCalls = (
  url: string,
  shape: BackendShape,
): readonly { readonly what: string; readonly url: string }[] => {
  const base = url.trim();
  if (base === '') return [];
  const exchange = backendCallUrl(base, shape, 'exchange');
  if (!BACKEND_SHAPE_FACTS[shape].refreshes) return [{ what: 'Code exchange', url: exchange }];
  const refresh = backendCallUrl(base, shape, 'refresh');
  return refresh === exchange
    ? [{ what: 'Code exchange and refresh', url: exchange }]
    : [
        { what: 'Code exchange', url: exchange },
        { what: 'Refresh', url: refresh },
      ];
};

export const EXAMPLE_LOOPBACK_REDIRECT = 'http://127.0.0.1:8765/callback';

/** Why the system browser cannot sign in with this redirect URI; undefined when it can. */
export const systemBrowserProblem = (redirectUri: string): string | undefined =>
  backendRedirectKind(redirectUri) === 'web'
    ? `Not with a web redirect URI: the system browser needs a loopback one with a port, such as ${EXAMPLE_LOOPBACK_REDIRECT}.`
    : undefined;

export const NO_PKCE_NOTE =
  'This backend cannot pass a PKCE verifier on: the sign-in is protected by state (and nonce) only.';

/** The notes the form shows under the backend's fields, in reading order. */
export const backendNotes = (
  values: { readonly backendShape: BackendShape; readonly backendRedirectUri: string },
  preset: ProviderPreset,
): readonly string[] => {
  const facts = BACKEND_SHAPE_FACTS[values.backendShape];
  const kind = backendRedirectKind(values.backendRedirectUri);
  const notes: string[] = [];
  if (kind === 'web' && needsSystemBrowser(preset))
    notes.push(
      `${preset.name} blocks sign-in in embedded windows, and only the embedded window can catch a web redirect URI: this cannot work. Register a loopback redirect URI with a port, such as ${EXAMPLE_LOOPBACK_REDIRECT}, with the backend’s client and enter it here.`,
    );
  else if (kind === 'web')
    notes.push(
      'With a web redirect URI only the embedded window can catch it: Tokendesk stops the redirect before the page loads, so nothing is served there and nothing leaves the window. The system browser needs a loopback redirect URI with a port.',
    );
  else if (kind === 'loopback')
    notes.push(
      'A loopback redirect URI with a port: the embedded window and the system browser both work (Tokendesk listens on that port while you sign in).',
    );
  if (!facts.takesPkce) notes.push(NO_PKCE_NOTE);
  if (!facts.refreshes)
    notes.push(
      'This backend does not refresh tokens: a token lasts as long as the provider lets it (GitHub OAuth app tokens do not expire); connect again when it stops working.',
    );
  return notes;
};
