/**
 * A machine account's token: the client credentials grant (RFC 6749 §4.4) on oauth4webapi, with
 * the account's scopes, `audience` (Auth0 and others) and RFC 8707 `resource` indicators. The
 * client authenticates as its provider configuration says (secret basic or post, or
 * private_key_jwt): the runtime's clientAuth.
 */
import * as oauth from 'oauth4webapi';
import type { MachineGrant } from '../storage/store-schema';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';
import { tokenEndpointFailure } from './token-endpoint-failure';
import { toTokenSet, type TokenSet } from './token-set';

/** The grant's parameters as the token endpoint gets them; `resource` once per indicator. */
export const machineGrantParameters = (grant: MachineGrant): URLSearchParams => {
  const parameters = new URLSearchParams();
  if (grant.scopes.length > 0) parameters.set('scope', grant.scopes.join(' '));
  if (grant.audience !== undefined) parameters.set('audience', grant.audience);
  for (const resource of grant.resources) parameters.append('resource', resource);
  return parameters;
};

export const requestMachineToken = async (
  runtime: ProviderRuntime,
  grant: MachineGrant,
  now: () => number,
): Promise<TokenSet> => {
  // Lifetimes count from when the request left (token-requests.ts says why).
  const sentAt = now();
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      machineGrantParameters(grant),
      requestOptionsFor(runtime, 'token_endpoint'),
    );
    const processed = await oauth.processClientCredentialsResponse(
      runtime.as,
      runtime.client,
      response,
    );
    return toTokenSet(processed, sentAt);
  } catch (error) {
    throw tokenEndpointFailure('client-credentials', error, [runtime.clientSecret]);
  }
};
