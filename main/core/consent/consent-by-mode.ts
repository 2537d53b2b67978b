/**
 * The consent port the app uses: each attempt goes to the embedded window or to the system
 * browser, by the mode configured for the provider (Google defaults to the system browser,
 * which is the only mode its sign-in allows).
 */
import type { BrowserConsentMode } from '../../../shared/providers';
import type { ConsentPort } from '../ports';

// 'device-code' opens no page and has no port: the connector never begins consent for it.
export const consentByMode = (
  ports: Readonly<Record<BrowserConsentMode, ConsentPort>>,
): ConsentPort => ({
  begin: (request) => ports[request.mode].begin(request),
});
