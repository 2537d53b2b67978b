/**
 * What every local token backend shares (tests/support/token-backends.ts): a real HTTP server on
 * 127.0.0.1 that holds a confidential client's secret and does the real code exchange and refresh
 * at oidc-provider's token endpoint for the app, as a team's backend does for a desktop client
 * that must never see the secret. Around that: the bearer credential it wants from the user (401
 * without it), a record of every request (bodies and headers), counts of the exchanges and
 * refreshes it was asked for, and switchable faults answered before the provider is called (so
 * a fault changes nothing there: no code spent, no refresh token rotated).
 */
import type { ServerResponse } from 'node:http';
import type { BackendShape } from '../../../shared/providers';
import {
  htmlReply,
  jsonReply,
  sendReply,
  startFakeHttpServer,
  type RecordedRequest,
  type Reply,
} from '../fake-server';
import type { OidcServer, OidcTestClient } from '../oidc-server';

/** The rows of the GitHub-style backend's published ErrStatusMsg table (issue 16). */
export type ErrStatusMsgRow = 'oauth/0' | 'oauth/2' | 'request/0' | 'request/1' | 'oauth/1200';

export const ERR_STATUS_MSG_ROWS: readonly ErrStatusMsgRow[] = [
  'oauth/0',
  'oauth/2',
  'request/0',
  'request/1',
  'oauth/1200',
];

export type BackendFault =
  /** One row of the ErrStatusMsg table, with its status; `originalValue` is what was sent. */
  | { readonly kind: 'err-status-msg'; readonly row: ErrStatusMsgRow }
  /** HTTP 200 with an HTML page (a captive portal, a proxy's login page). */
  | { readonly kind: 'html-200' }
  /** HTTP 500 with an HTML error page. */
  | { readonly kind: 'html-500' }
  /** HTTP 500 with a JSON error body. */
  | { readonly kind: 'json-500' }
  /** The request is read and never answered (until the backend stops). */
  | { readonly kind: 'hang' }
  /** HTTP 200 `{ success: false, message }`: the published schema makes every member optional. */
  | { readonly kind: 'success-false' };

export type BackendCall = 'exchange' | 'refresh';

export interface BackendCounts {
  /** Code exchanges the app asked for (whatever the answer). */
  exchanges: number;
  refreshes: number;
  /** Requests refused with 401 for a missing or wrong bearer credential. */
  unauthorized: number;
  /** Token requests the backend sent to oidc-provider (the real work). */
  providerCalls: number;
}

/** What oidc-provider answered the backend (to compare with what the app stored). */
export interface ProviderAnswer {
  readonly call: BackendCall;
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface BackendAnswer {
  readonly call: BackendCall;
  readonly status: number;
  readonly body: string;
}

export interface BackendClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface TokenBackend {
  readonly shape: BackendShape;
  /** What the provider setting's `backend.url` is: the base URL, or the URL itself (standard). */
  readonly url: string;
  readonly clientId: string;
  /** The secret only this backend knows: Tokendesk must never need or send it. */
  readonly clientSecret: string;
  /** The redirect URI the backend names in its exchange: the one its client registered. */
  redirectUri: string;
  /** When set, every call needs `Authorization: Bearer <credential>` (401 otherwise). */
  credential: string | undefined;
  /** The fault the next calls answer with; null: none. */
  fault: BackendFault | null;
  /** Which calls the fault applies to (default both). */
  faultOn: BackendCall | 'both';
  /** When true, the fault applies to the next matching call only, then clears itself. */
  faultOnce: boolean;
  readonly counts: Readonly<BackendCounts>;
  /** Every request the backend received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** The requests recognised as exchanges / refreshes. */
  readonly exchangeRequests: readonly RecordedRequest[];
  readonly refreshRequests: readonly RecordedRequest[];
  readonly providerAnswers: readonly ProviderAnswer[];
  /** What the backend answered the app for each call (faults included; a hang answers nothing). */
  readonly answers: readonly BackendAnswer[];
  /** Exceptions in the backend's own code (a bug here, not an answer): a test expects none. */
  readonly errors: readonly string[];
  /** Clears faults, the credential check stays. */
  reset(): void;
  stop(): Promise<void>;
}

/** A backend's confidential client at oidc-provider, with every redirect URI the tests use. */
export const backendClient = (
  client: BackendClient,
  redirectUris: readonly string[],
  options: { readonly pkceRequired: boolean; readonly refreshTokenAlways?: boolean },
): OidcTestClient => ({
  clientId: client.clientId,
  clientSecret: client.clientSecret,
  authMethod: 'client_secret_post',
  redirectUris,
  pkceRequired: options.pkceRequired,
  refreshTokenAlways: options.refreshTokenAlways ?? false,
});

/** Masking is the app's job: these are what a real backend puts in `originalValue`. */
export const errStatusMsg = (
  row: ErrStatusMsgRow,
  sent: Readonly<Record<string, string>>,
): Reply => {
  const trace = 'iam/oauth.(*Handler).Token';
  switch (row) {
    case 'oauth/0':
      return jsonReply(400, {
        group: 'oauth',
        code: 0,
        message: 'unsupported provider',
        traces: [trace],
        validationDetail: [
          {
            field: 'provider',
            expression: 'oneof=github',
            originalValue: sent.provider ?? '',
            reason: 'provider is not supported',
          },
        ],
      });
    case 'oauth/2':
      return jsonReply(400, {
        group: 'oauth',
        code: 2,
        message: 'invalid authorization code',
        traces: [trace],
        validationDetail: [
          {
            field: 'code',
            expression: 'valid',
            originalValue: sent.code ?? '',
            reason: 'the authorization code is invalid or expired',
          },
        ],
      });
    case 'request/0':
      return jsonReply(400, {
        group: 'request',
        code: 0,
        message: 'invalid field',
        traces: [trace],
        validationDetail: [
          {
            field: 'code',
            expression: 'required,max=40',
            originalValue: sent.code ?? '',
            reason: 'code must be at most 40 characters',
          },
        ],
      });
    case 'request/1':
      return jsonReply(400, {
        group: 'request',
        code: 1,
        message: 'body required',
        traces: [trace],
        validationDetail: [],
      });
    case 'oauth/1200':
      return jsonReply(500, {
        group: 'oauth',
        code: 1200,
        message: 'exchange error',
        traces: [trace, 'oauth2: cannot fetch token: 502 Bad Gateway'],
        validationDetail: [
          {
            field: 'code',
            expression: 'exchange',
            originalValue: sent.code ?? '',
            reason: 'the provider did not answer the exchange',
          },
        ],
      });
  }
};

const PORTAL_PAGE = `<!DOCTYPE html><html><head><title>Sign in to the network</title></head>
<body><form method="post" action="/portal"><input name="user"><input type="password" name="pass">
<button>Sign in</button></form></body></html>`;

const ERROR_PAGE = `<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>
<body><h1>Internal Server Error</h1></body></html>`;

/** The answer of a fault, or undefined for a hang (the request is left open). */
export const faultReply = (
  fault: BackendFault,
  sent: Readonly<Record<string, string>>,
): Reply | undefined => {
  switch (fault.kind) {
    case 'err-status-msg':
      return errStatusMsg(fault.row, sent);
    case 'html-200':
      return htmlReply(200, PORTAL_PAGE);
    case 'html-500':
      return htmlReply(500, ERROR_PAGE);
    case 'json-500':
      return jsonReply(500, { success: false, message: 'internal error', error: 'internal' });
    case 'hang':
      return undefined;
    case 'success-false':
      return jsonReply(200, { success: false, message: 'token exchange failed' });
  }
};

/** One token request to oidc-provider with the client's secret (client_secret_post). */
export const providerToken = async (
  server: OidcServer,
  client: BackendClient,
  fields: Readonly<Record<string, string>>,
): Promise<{ readonly status: number; readonly body: Record<string, unknown> }> => {
  const response = await fetch(`${server.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      ...fields,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body };
};

export interface ShapeContext {
  readonly server: OidcServer;
  readonly backend: TokenBackend;
  readonly client: BackendClient;
  readonly counts: BackendCounts;
  /** Records what oidc-provider answered; returns it. */
  readonly callProvider: (
    call: BackendCall,
    fields: Readonly<Record<string, string>>,
  ) => Promise<{ readonly status: number; readonly body: Record<string, unknown> }>;
}

export interface ShapeHandler {
  /** Which call a request is, or undefined (answered 404). */
  classify(request: RecordedRequest): BackendCall | undefined;
  /** The shape's answer once the credential and faults let the request through. */
  answer(call: BackendCall, request: RecordedRequest, context: ShapeContext): Promise<Reply>;
  /** Requests that are not calls (a stand-in for the provider's own pages); undefined: 404. */
  other?(request: RecordedRequest, res: ServerResponse): Promise<boolean> | boolean;
  /** The 401 answer in the shape's own error format. */
  unauthorized(): Reply;
}

export interface StartBackendOptions {
  readonly server: OidcServer;
  readonly client: BackendClient;
  readonly redirectUri: string;
  readonly credential?: string;
}

export const startTokenBackend = async (
  shape: BackendShape,
  handler: ShapeHandler,
  options: StartBackendOptions,
  /** The backend URL from the server's base (the exchange URL itself for `standard`). */
  urlOf: (base: string) => string,
): Promise<TokenBackend> => {
  const counts: BackendCounts = { exchanges: 0, refreshes: 0, unauthorized: 0, providerCalls: 0 };
  const exchangeRequests: RecordedRequest[] = [];
  const refreshRequests: RecordedRequest[] = [];
  const providerAnswers: ProviderAnswer[] = [];
  const answers: BackendAnswer[] = [];
  const errors: string[] = [];

  const takeFault = (call: BackendCall): BackendFault | null => {
    const { fault } = backend;
    if (fault === null || (backend.faultOn !== 'both' && backend.faultOn !== call)) return null;
    if (backend.faultOnce) {
      backend.fault = null;
      backend.faultOnce = false;
    }
    return fault;
  };

  const context = (): ShapeContext => ({
    server: options.server,
    backend,
    client: options.client,
    counts,
    callProvider: async (call, fields) => {
      counts.providerCalls += 1;
      const answer = await providerToken(options.server, options.client, fields);
      providerAnswers.push({ call, ...answer });
      return answer;
    },
  });

  const http = await startFakeHttpServer(async (request, res) => {
    const call = handler.classify(request);
    if (call === undefined) {
      if (handler.other && (await handler.other(request, res))) return;
      sendReply(res, jsonReply(404, { message: 'not found' }));
      return;
    }
    if (call === 'exchange') {
      counts.exchanges += 1;
      exchangeRequests.push(request);
    } else {
      counts.refreshes += 1;
      refreshRequests.push(request);
    }
    const reply = (answer: Reply) => {
      answers.push({ call, status: answer.status, body: answer.body ?? '' });
      sendReply(res, answer);
    };
    if (
      backend.credential !== undefined &&
      request.headers.authorization !== `Bearer ${backend.credential}`
    ) {
      counts.unauthorized += 1;
      reply(handler.unauthorized());
      return;
    }
    const fault = takeFault(call);
    if (fault !== null) {
      const answer = faultReply(fault, request.form);
      if (answer !== undefined) reply(answer);
      return;
    }
    reply(await handler.answer(call, request, context()));
  });

  const backend: TokenBackend = {
    shape,
    url: urlOf(http.url),
    clientId: options.client.clientId,
    clientSecret: options.client.clientSecret,
    redirectUri: options.redirectUri,
    credential: options.credential,
    fault: null,
    faultOn: 'both',
    faultOnce: false,
    counts,
    requests: http.requests,
    exchangeRequests,
    refreshRequests,
    providerAnswers,
    answers,
    get errors() {
      return [...errors, ...http.errors];
    },
    reset: () => {
      backend.fault = null;
      backend.faultOn = 'both';
      backend.faultOnce = false;
    },
    stop: () => http.stop(),
  };
  return backend;
};

/** `expiresAt` as an integer timestamp in the unit the backend was set to. */
export const expiresAtFrom = (expiresIn: unknown, unit: 's' | 'ms'): number | undefined => {
  if (typeof expiresIn !== 'number') return undefined;
  const ms = Date.now() + expiresIn * 1000;
  return unit === 'ms' ? ms : Math.floor(ms / 1000);
};
