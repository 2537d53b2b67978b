/**
 * A GitHub-style token backend (the pattern of GMI Cloud's IAM API, issue 16): `POST
 * {base}/oauth/token` with JSON `{ "provider": "github", "code": "…" }`, both required, answering
 * `{ accessToken }`; errors are `ErrStatusMsg` (`{ group, code, message, traces,
 * validationDetail }`, the table in backend-server.ts); no refresh (GitHub OAuth app tokens do not
 * expire). It exchanges with oidc-provider as a confidential client, without PKCE.
 *
 * The same server stands in for github.com and api.github.com in front of oidc-provider, so the
 * shipped GitHub preset can be pointed at it:
 * - `GET /login/oauth/authorize` redirects to oidc-provider's authorization endpoint with the same
 *   query, less `prompt=select_account` (GitHub's account picker; oidc-provider refuses prompts
 *   it does not know). Nothing else changes: client, redirect URI, state, scope are the app's.
 * - `GET /user` answers GitHub's shape (numeric `id`, `login`, `name`, `email`) for an access
 *   token oidc-provider issued and still accepts, 401 otherwise.
 */
import { stableDigits } from '../fake-ledger';
import {
  bearerToken,
  jsonReply,
  redirectReply,
  sendReply,
  type RecordedRequest,
  type Reply,
} from '../fake-server';
import {
  errStatusMsg,
  startTokenBackend,
  type ShapeContext,
  type StartBackendOptions,
  type TokenBackend,
} from './backend-server';

export const GITHUB_STYLE_PATHS = {
  exchange: '/oauth/token',
  authorization: '/login/oauth/authorize',
  user: '/user',
} as const;

export interface GitHubStyleBackend extends TokenBackend {
  /** The GitHub stand-in's endpoints, for the GitHub preset. */
  readonly github: { readonly authorization: string; readonly user: string };
}

/** The numeric GitHub `id` the stand-in gives a login (stable across runs). */
export const githubIdOf = (login: string): number => Number(stableDigits(login, 8));

const answer = async (request: RecordedRequest, context: ShapeContext): Promise<Reply> => {
  const sent = request.form;
  if (request.rawBody.trim() === '') return errStatusMsg('request/1', sent);
  if (sent.provider === undefined || sent.code === undefined || sent.code === '')
    return errStatusMsg('request/0', sent);
  if (sent.provider !== 'github') return errStatusMsg('oauth/0', sent);
  const { status, body } = await context.callProvider('exchange', {
    grant_type: 'authorization_code',
    code: sent.code,
    redirect_uri: context.backend.redirectUri,
  });
  if (status === 200 && typeof body.access_token === 'string')
    return jsonReply(200, { accessToken: body.access_token });
  return errStatusMsg(body.error === 'invalid_grant' ? 'oauth/2' : 'oauth/1200', sent);
};

export const startGitHubStyleBackend = async (
  options: StartBackendOptions,
): Promise<GitHubStyleBackend> => {
  const { server } = options;
  const backend = await startTokenBackend(
    'github-style',
    {
      classify: (request) =>
        request.method === 'POST' && request.path === GITHUB_STYLE_PATHS.exchange
          ? 'exchange'
          : undefined,
      answer: (_call, request, context) => answer(request, context),
      other: async (request, res) => {
        if (request.method === 'GET' && request.path === GITHUB_STYLE_PATHS.authorization) {
          const query = new URLSearchParams(request.query);
          if (query.get('prompt') === 'select_account') query.delete('prompt');
          sendReply(res, redirectReply(`${server.issuer}/auth?${query.toString()}`));
          return true;
        }
        if (request.method === 'GET' && request.path === GITHUB_STYLE_PATHS.user) {
          const token = bearerToken(request);
          const stored =
            token === undefined ? undefined : await server.provider.AccessToken.find(token);
          const login = stored?.accountId;
          if (
            token === undefined ||
            login === undefined ||
            !(await server.isAccessTokenActive(token))
          ) {
            sendReply(res, jsonReply(401, { message: 'Bad credentials' }));
            return true;
          }
          sendReply(
            res,
            jsonReply(200, {
              id: githubIdOf(login),
              login,
              name: login,
              email: `${login}@example.test`,
            }),
          );
          return true;
        }
        return false;
      },
      unauthorized: () =>
        jsonReply(401, {
          group: 'auth',
          code: 0,
          message: 'unauthorized',
          traces: [],
          validationDetail: [],
        }),
    },
    options,
    (base) => base,
  );
  return Object.assign(backend, {
    github: {
      authorization: `${backend.url}${GITHUB_STYLE_PATHS.authorization}`,
      user: `${backend.url}${GITHUB_STYLE_PATHS.user}`,
    },
  });
};
