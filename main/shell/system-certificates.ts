/**
 * main's HTTPS requests (discovery, token, revocation, userinfo) trust the operating system's
 * certificate store as well as Node's bundled roots, as the consent window (Chromium) does.
 * Companies whose identity provider has a certificate from a private CA install that CA in the
 * OS store; without this, the consent window would load the provider's pages and the code
 * exchange in main would then fail on the certificate. NODE_EXTRA_CA_CERTS is no way out in the
 * packaged app: the fuse that turns off NODE_OPTIONS turns it off too (electron-builder.yml).
 *
 * Node 24.5 has the two functions used here (Electron 45 runs Node 24); on an older Node they are
 * missing and nothing changes.
 */
import tls from 'node:tls';
import type { Logger } from '../core/ports';
import { messageOf } from '../../shared/errors';

/** The part of node:tls this needs, missing before Node 23.10 / 24.5. */
export interface CaCertificateApi {
  getCACertificates?: (type: 'default' | 'system') => string[];
  setDefaultCACertificates?: (certificates: string[]) => void;
}

export type SystemTrust =
  | { readonly status: 'added'; readonly system: number }
  | { readonly status: 'unsupported' }
  | { readonly status: 'failed' };

export const trustSystemCertificates = (
  logger: Logger,
  api: CaCertificateApi = tls as unknown as CaCertificateApi,
): SystemTrust => {
  const { getCACertificates, setDefaultCACertificates } = api;
  if (!getCACertificates || !setDefaultCACertificates) {
    logger.info('the OS certificate store is not used: this Node has no API for it');
    return { status: 'unsupported' };
  }
  try {
    // 'default' is what Node trusts now (bundled roots and any extra certificates).
    const trusted = getCACertificates('default');
    const system = getCACertificates('system');
    setDefaultCACertificates([...new Set([...trusted, ...system])]);
    return { status: 'added', system: system.length };
  } catch (error) {
    // A store that cannot be read leaves Node's own roots in place: public providers still work.
    logger.warn('the OS certificate store could not be read', {
      reason: messageOf(error),
    });
    return { status: 'failed' };
  }
};
