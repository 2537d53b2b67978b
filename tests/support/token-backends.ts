/**
 * Local token backends for issue 16 ("through your backend"): real HTTP servers on 127.0.0.1 in
 * front of oidc-provider, each holding a confidential client's secret and doing the real code
 * exchange and refresh for the app, in the three published shapes:
 * - Google-style (`backends/google-style.ts`): `/auth/google/exchange` and `/auth/google/refresh`;
 * - GitHub-style (`backends/github-style.ts`): `/oauth/token`, ErrStatusMsg errors, no refresh,
 *   and a GitHub stand-in (authorize, `/user`) for the shipped GitHub preset;
 * - standard (`backends/standard.ts`): an RFC 6749 form in, the provider's answer out.
 * Each wants a bearer credential when one is set, records what it received and has switchable
 * faults (`backends/backend-server.ts`).
 */
export {
  backendClient,
  ERR_STATUS_MSG_ROWS,
  type BackendCall,
  type BackendClient,
  type BackendFault,
  type ErrStatusMsgRow,
  type TokenBackend,
} from './backends/backend-server';
export {
  GOOGLE_STYLE_PATHS,
  startGoogleStyleBackend,
  type GoogleStyleBackend,
} from './backends/google-style';
export {
  GITHUB_STYLE_PATHS,
  githubIdOf,
  startGitHubStyleBackend,
  type GitHubStyleBackend,
} from './backends/github-style';
export { STANDARD_PATH, startStandardBackend } from './backends/standard';
