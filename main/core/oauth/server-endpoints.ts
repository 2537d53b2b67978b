/**
 * The endpoints of an authorization server that Tokendesk uses, held to the URL rules of
 * shared/url-rules.ts whether the user typed them or a discovery document named them: the token,
 * revocation and user-info endpoints receive tokens and the client secret, and the authorization
 * endpoint is what the consent window or the system browser opens.
 */
import type * as oauth from 'oauth4webapi';
import { endpointUrlProblem } from '../../../shared/url-rules';
import { CoreFailure } from '../core-failure';

/** The metadata members the core sends requests to or opens, in the order they are checked. */
export const USED_ENDPOINTS = [
  'authorization_endpoint',
  'token_endpoint',
  'revocation_endpoint',
  'userinfo_endpoint',
  'device_authorization_endpoint',
] as const;

export type UsedEndpoint = (typeof USED_ENDPOINTS)[number];

/** A server's metadata, or configured endpoints in its shape. */
type Endpoints = Partial<Pick<oauth.AuthorizationServer, UsedEndpoint>>;

/** Each endpoint as the provider form labels it. */
const FORM_LABEL: Readonly<Record<UsedEndpoint, string>> = {
  authorization_endpoint: 'authorization endpoint',
  token_endpoint: 'token endpoint',
  revocation_endpoint: 'revocation endpoint',
  userinfo_endpoint: 'user-info endpoint',
  device_authorization_endpoint: 'device authorization endpoint',
};

/** Why the server's `field` cannot be used, or undefined when it is absent or fine. */
export const endpointBreach = (as: Endpoints, field: UsedEndpoint): string | undefined => {
  const value: unknown = as[field];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? endpointUrlProblem(value) : 'must be a URL';
};

/** Where a server's endpoints came from, for the message. */
export type EndpointSource =
  { readonly discoveredFrom: string } | { readonly configuredIn: string };

/**
 * Throws `oauth`/4 naming the first endpoint that breaks the rules and the rule, before anything
 * is sent to it or opened. The URL itself is left out of the message: it may carry a user name
 * and password.
 */
export const assertUsableEndpoints = (as: Endpoints, source: EndpointSource): void => {
  for (const field of USED_ENDPOINTS) {
    const problem = endpointBreach(as, field);
    if (problem === undefined) continue;
    const message =
      'discoveredFrom' in source
        ? `The OpenID configuration of ${source.discoveredFrom} cannot be used: its ${field} ${problem}, as every endpoint typed in Tokendesk must. Nothing was sent to it; the identity provider's configuration must be corrected.`
        : `${source.configuredIn}'s ${FORM_LABEL[field]} ${problem}. Nothing was sent to it; edit ${source.configuredIn} to correct it.`;
    throw new CoreFailure('discoveryFailed', message, { traces: [`${field} ${problem}`] });
  }
};
