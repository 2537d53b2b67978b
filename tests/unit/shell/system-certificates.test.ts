/**
 * main trusts the OS certificate store (a company's private CA) besides Node's own roots, where
 * Node can read it, and changes nothing where it cannot.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  trustSystemCertificates,
  type CaCertificateApi,
} from '../../../main/shell/system-certificates';
import { createCapturingLogger } from '../helpers/capturing-logger';

const NODE_ROOT = '-----BEGIN CERTIFICATE-----\nnode-root\n-----END CERTIFICATE-----\n';
const COMPANY_CA = '-----BEGIN CERTIFICATE-----\ncompany-ca\n-----END CERTIFICATE-----\n';

describe('trusting the OS certificate store', () => {
  it('adds the system certificates to the ones Node trusts, once each', () => {
    const set = vi.fn<(certificates: string[]) => void>();
    const api: CaCertificateApi = {
      getCACertificates: (type) => (type === 'default' ? [NODE_ROOT] : [COMPANY_CA, NODE_ROOT]),
      setDefaultCACertificates: set,
    };

    expect(trustSystemCertificates(createCapturingLogger(), api)).toEqual({
      status: 'added',
      system: 2,
    });
    expect(set).toHaveBeenCalledOnce();
    expect(set.mock.calls[0]?.[0]).toEqual([NODE_ROOT, COMPANY_CA]);
  });

  it('changes nothing, and says so, on a Node without the API', () => {
    const logger = createCapturingLogger();
    expect(trustSystemCertificates(logger, {})).toEqual({ status: 'unsupported' });
    expect(logger.entries.map((e) => e.level)).toEqual(['info']);
  });

  it('keeps Node’s own roots when the store cannot be read', () => {
    const logger = createCapturingLogger();
    const set = vi.fn();
    const api: CaCertificateApi = {
      getCACertificates: (type) => {
        if (type === 'system') throw new Error('keychain locked');
        return [NODE_ROOT];
      },
      setDefaultCACertificates: set,
    };

    expect(trustSystemCertificates(logger, api)).toEqual({ status: 'failed' });
    expect(set).not.toHaveBeenCalled();
    expect(logger.entries).toEqual([
      expect.objectContaining({ level: 'warn', fields: { reason: 'keychain locked' } }),
    ]);
  });
});
