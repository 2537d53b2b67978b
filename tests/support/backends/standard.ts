/**
 * A standard token backend (the common server snippet, issue 16): `POST {url}` with an RFC 6749
 * token request in a form body, which the backend sends on to the provider's token endpoint with
 * its own `client_id` and `client_secret` and the redirect URI its client registered, forwarding
 * `code`, `code_verifier`, `refresh_token` and `grant_type`; it answers with the provider's
 * answer as it is (status and JSON body: ID token, refresh token, errors).
 */
import { jsonReply, type RecordedRequest, type Reply } from '../fake-server';
import {
  startTokenBackend,
  type BackendCall,
  type ShapeContext,
  type StartBackendOptions,
  type TokenBackend,
} from './backend-server';

export const STANDARD_PATH = '/token';

/** The fields passed on to the provider; the client's own are the backend's. */
const FORWARDED = ['grant_type', 'code', 'code_verifier', 'refresh_token', 'scope'] as const;

const answer = async (
  call: BackendCall,
  request: RecordedRequest,
  context: ShapeContext,
): Promise<Reply> => {
  const fields: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = request.form[name];
    if (value !== undefined) fields[name] = value;
  }
  if (call === 'exchange') fields.redirect_uri = context.backend.redirectUri;
  const { status, body } = await context.callProvider(call, fields);
  return jsonReply(status, body);
};

export const startStandardBackend = (options: StartBackendOptions): Promise<TokenBackend> =>
  startTokenBackend(
    'standard',
    {
      classify: (request) => {
        if (request.method !== 'POST' || request.path !== STANDARD_PATH) return undefined;
        return request.form.grant_type === 'refresh_token' ? 'refresh' : 'exchange';
      },
      answer,
      unauthorized: () =>
        jsonReply(
          401,
          { error: 'invalid_token', error_description: 'backend credential required' },
          { 'www-authenticate': 'Bearer' },
        ),
    },
    options,
    (base) => `${base}${STANDARD_PATH}`,
  );
