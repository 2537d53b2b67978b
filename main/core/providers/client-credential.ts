/**
 * The client's credential in a provider save: a client secret (client_secret_basic or _post)
 * or a private key (private_key_jwt). Both are kept in the same write-only slot of the store
 * (`client:<id>`, encrypted under the secret policy): which one it holds is the configuration's
 * `clientAuth`. So a change of method must bring the new credential: a stored secret is never
 * used as a key, nor a key sent as a secret.
 */
import type { ParsedInput } from '../../../shared/ipc-contract';
import type { ProviderConfigView } from '../../../shared/model';
import type { ConfidentialClientAuth } from '../../../shared/providers';
import { clientKeyProblem } from '../oauth/client-key';
import type { StoredProviderConfig } from '../storage/store-schema';
import { ConfigRejected } from './config-rejected';

export interface ChosenCredential {
  /** The method chosen or kept; undefined: the preset's rule decides (provider-directory.ts). */
  readonly method: ConfidentialClientAuth | undefined;
  readonly usesKey: boolean;
  /** A string sets the stored credential, null removes it, undefined keeps it. */
  readonly value: string | null | undefined;
  readonly keyId?: string;
}

const rejected = (field: string, expression: string, reason: string): ConfigRejected =>
  new ConfigRejected([{ field, expression, reason }]);

export const chosenCredential = (
  input: ParsedInput<'saveProvider'>,
  existing: StoredProviderConfig | undefined,
  hasStored: boolean,
): ChosenCredential => {
  const removing = input.clientSecret === null || input.privateKey === null;
  const kept =
    existing !== undefined && existing.clientAuth !== 'none' && !removing
      ? existing.clientAuth
      : undefined;
  const method = input.clientAuth ?? kept;
  const storedIsKey = existing?.clientAuth === 'private_key_jwt' && hasStored;
  const storedIsSecret = existing?.clientAuth !== 'private_key_jwt' && hasStored;

  if (method === 'private_key_jwt') {
    if (typeof input.clientSecret === 'string')
      throw rejected(
        'clientSecret',
        'rule',
        'a private_key_jwt client sends no client secret: leave it empty, or choose client_secret_basic or client_secret_post',
      );
    const problem = typeof input.privateKey === 'string' ? clientKeyProblem(input.privateKey) : '';
    if (problem !== undefined && problem !== '')
      throw rejected('privateKey', 'rule', `not a usable private key: ${problem}`);
    if (input.privateKey === undefined && storedIsSecret)
      throw rejected(
        'privateKey',
        'required',
        'the stored credential is a client secret, not a private key: paste the private key',
      );
    const keyId = input.keyId === null ? undefined : (input.keyId ?? existing?.keyId);
    return {
      method,
      usesKey: true,
      value: input.privateKey,
      ...(keyId !== undefined ? { keyId } : {}),
    };
  }

  if (typeof input.privateKey === 'string')
    throw rejected('privateKey', 'rule', 'a private key is used with private_key_jwt only');
  if (input.clientSecret === undefined && storedIsKey) {
    // Leaving private_key_jwt: the stored key must not be sent as a secret.
    if (input.privateKey === null) return { method, usesKey: false, value: null };
    throw rejected(
      'clientSecret',
      'required',
      'the stored credential is a private key, not a client secret: enter the client secret',
    );
  }
  return { method, usesKey: false, value: input.clientSecret };
};

/** The view's credential fields: what is stored, never its value. */
export const credentialView = (
  config: StoredProviderConfig,
  hasStored: boolean,
): Pick<ProviderConfigView, 'hasClientSecret' | 'hasPrivateKey' | 'keyId'> =>
  config.clientAuth === 'private_key_jwt'
    ? {
        hasClientSecret: false,
        hasPrivateKey: hasStored,
        ...(config.keyId !== undefined ? { keyId: config.keyId } : {}),
      }
    : { hasClientSecret: hasStored };
