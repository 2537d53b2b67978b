/**
 * A Google-style token backend (the pattern of flashback's platform API, issue 16):
 * - `POST {base}/auth/google/exchange`, JSON `{ "code": "…" }`;
 * - `POST {base}/auth/google/refresh`, JSON `{ "refresh_token": "…" }`;
 * both answering `{ success, token, refreshToken, expiresAt }`, where `expiresAt` is an integer
 * timestamp whose unit the documentation does not give (switchable here: seconds or
 * milliseconds) and a refresh answer names `refreshToken` only when the provider issued a new one
 * (oidc-provider with rotation on: present; off: absent, as Google does).
 * It exchanges with oidc-provider as a confidential client, without PKCE: its exchange has no
 * field for a verifier.
 */
import { jsonReply, type RecordedRequest, type Reply } from '../fake-server';
import {
  expiresAtFrom,
  startTokenBackend,
  type BackendCall,
  type ShapeContext,
  type StartBackendOptions,
  type TokenBackend,
} from './backend-server';

export const GOOGLE_STYLE_PATHS = {
  exchange: '/auth/google/exchange',
  refresh: '/auth/google/refresh',
} as const;

export interface GoogleStyleBackend extends TokenBackend {
  /** The unit of `expiresAt` in its answers (default seconds). */
  expiresAtUnit: 's' | 'ms';
}

const failure = (status: number, message: string): Reply =>
  jsonReply(status, { success: false, message });

const providerFailure = (body: Readonly<Record<string, unknown>>): string =>
  [body.error, body.error_description].filter((part) => typeof part === 'string').join(': ');

const answer = async (
  call: BackendCall,
  request: RecordedRequest,
  context: ShapeContext,
): Promise<Reply> => {
  const backend = context.backend as GoogleStyleBackend;
  if (call === 'exchange') {
    const { code } = request.form;
    if (code === undefined || code === '') return failure(400, 'code is required');
    const { status, body } = await context.callProvider('exchange', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: backend.redirectUri,
    });
    if (status !== 200) return failure(400, providerFailure(body));
    return jsonReply(200, {
      success: true,
      token: body.access_token,
      refreshToken: body.refresh_token,
      expiresAt: expiresAtFrom(body.expires_in, backend.expiresAtUnit),
    });
  }
  const sent = request.form.refresh_token;
  if (sent === undefined || sent === '') return failure(400, 'refresh_token is required');
  const { status, body } = await context.callProvider('refresh', {
    grant_type: 'refresh_token',
    refresh_token: sent,
  });
  if (status !== 200) return failure(400, providerFailure(body));
  const renewed = typeof body.refresh_token === 'string' && body.refresh_token !== sent;
  return jsonReply(200, {
    success: true,
    token: body.access_token,
    ...(renewed ? { refreshToken: body.refresh_token } : {}),
    expiresAt: expiresAtFrom(body.expires_in, backend.expiresAtUnit),
  });
};

export const startGoogleStyleBackend = async (
  options: StartBackendOptions,
): Promise<GoogleStyleBackend> => {
  const backend = await startTokenBackend(
    'google-style',
    {
      classify: (request) => {
        if (request.method !== 'POST') return undefined;
        if (request.path === GOOGLE_STYLE_PATHS.exchange) return 'exchange';
        if (request.path === GOOGLE_STYLE_PATHS.refresh) return 'refresh';
        return undefined;
      },
      answer,
      unauthorized: () => failure(401, 'unauthorized'),
    },
    options,
    (base) => base,
  );
  const settings: Pick<GoogleStyleBackend, 'expiresAtUnit'> = { expiresAtUnit: 's' };
  return Object.assign(backend, settings);
};
