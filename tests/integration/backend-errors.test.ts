/**
 * What a user sees when a token backend fails (issue 16), through the real core and real consent
 * pages, with a short HTTP time limit so a hanging backend costs little:
 * - every row of the GitHub-style backend's ErrStatusMsg table on connect, mapped to Tokendesk's
 *   error (group, code, message) with the backend's group/code, message and validationDetail in
 *   the error's traces and its `originalValue` (the code the app sent) nowhere in the error;
 * - a backend credential the backend refuses (401), for each shape;
 * - HTML with 200, HTML and JSON with 500, an answer that never comes, 200 `{ success: false }`:
 *   on connect nothing is stored; on refresh the account keeps its tokens, shows the error, and
 *   the next refresh works once the backend does.
 * No error carries a stack, a token, the code, the backend credential or a client secret.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS, type ApiError, type ErrorName } from '../../shared/errors';
import {
  ERR_STATUS_MSG_ROWS,
  type BackendFault,
  type ErrStatusMsgRow,
} from '../support/token-backends';
import {
  BACKEND_CREDENTIAL,
  GITHUB_CLIENT,
  GOOGLE_CLIENT,
  setUpBackendPeers,
  STANDARD_CLIENT,
  type BackendApp,
  type ShapeUnderTest,
} from './backend-app';
import { failed, ok } from './core-fixture';
import { expectCleanError } from './providers-app';

/** Short, so a hanging backend costs the suite little; local answers take milliseconds. */
const TIME_LIMIT_MS = 800;
const http = { timeoutMs: TIME_LIMIT_MS, maxBodyBytes: 1_048_576 };

/** Tokendesk's error for each row of the published table (the design of issue 16). */
const ROW_ERROR: Readonly<Record<ErrStatusMsgRow, ErrorName>> = {
  'oauth/0': 'backendRefused',
  'oauth/2': 'invalidAuthorizationCode',
  'request/0': 'backendRefused',
  'request/1': 'backendRefused',
  'oauth/1200': 'exchangeFailed',
};

/** What the backend said for each row (errStatusMsg in tests/support/backends/backend-server.ts). */
const ROW_SAYS: Readonly<Record<ErrStatusMsgRow, readonly string[]>> = {
  'oauth/0': ['unsupported provider', 'provider', 'provider is not supported'],
  'oauth/2': ['invalid authorization code', 'the authorization code is invalid or expired'],
  'request/0': ['invalid field', 'code', 'code must be at most 40 characters'],
  'request/1': ['body required'],
  'oauth/1200': ['exchange error', 'the provider did not answer the exchange'],
};

type Fault = BackendFault['kind'];
const FAULTS: readonly Exclude<Fault, 'err-status-msg'>[] = [
  'html-200',
  'html-500',
  'json-500',
  'hang',
  'success-false',
];

/**
 * Tokendesk's error for a fault on connect: a 2xx that is not the shape's answer is
 * backendUnusable (for the standard shape it is an unreadable token answer, as from a provider);
 * a backend that tried and failed (5xx, no answer in time, `success: false`) did not complete the
 * exchange.
 */
const connectError = (shape: ShapeUnderTest, fault: Fault): ErrorName =>
  fault === 'html-200' && shape !== 'standard' ? 'backendUnusable' : 'exchangeFailed';

/** The same on refresh: retryable, so the account keeps its tokens. */
const refreshError = (shape: ShapeUnderTest, fault: Fault): ErrorName =>
  fault === 'html-200' && shape !== 'standard' ? 'backendUnusable' : 'refreshFailed';

const expectError = (error: ApiError, name: ErrorName) => {
  const { group, code } = ERRORS[name];
  expect({ group: error.group, code: error.code }, JSON.stringify(error)).toEqual({ group, code });
};

const CLIENT_SECRETS = [GOOGLE_CLIENT, GITHUB_CLIENT, STANDARD_CLIENT].map((c) => c.clientSecret);

describe('a failing token backend (oidc-provider, Chromium)', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });

  const newApp = async (shape: ShapeUnderTest): Promise<BackendApp> => {
    const app = peers.newApp({ consent: shape === 'google' ? 'system-browser' : 'embedded', http });
    ok(await app.save(shape));
    return app;
  };

  /** Nothing of a failed connect was kept: no account listed, none in the store file. */
  const expectNothingStored = async (app: BackendApp) => {
    expect(await app.accounts()).toEqual([]);
    const store = JSON.parse(await app.storeText()) as {
      accounts: Record<string, unknown>;
      secrets: Record<string, unknown>;
    };
    expect(store.accounts).toEqual({});
    expect(Object.keys(store.secrets).filter((k) => k.startsWith('account:'))).toEqual([]);
  };

  for (const row of ERR_STATUS_MSG_ROWS) {
    it(`GitHub-style ${row} on connect: ${ROW_ERROR[row]}, the backend's words in the traces, originalValue masked`, async () => {
      const { github } = peers;
      const app = await newApp('github');
      github.fault = { kind: 'err-status-msg', row };
      github.faultOnce = true;

      const error = failed(await app.connectAs('github', 'rhea'));
      expectError(error, ROW_ERROR[row]);
      const sentCode = github.exchangeRequests.at(-1)?.form.code ?? '';
      expect(sentCode.length).toBeGreaterThan(8);
      expectCleanError(error, [sentCode, BACKEND_CREDENTIAL, ...CLIENT_SECRETS]);
      // The window got the same error, and the code is nowhere in what it got.
      expect(app.window.at(-1)).toEqual({ channel: 'connect', payload: { ok: false, error } });
      expect(JSON.stringify(app.window)).not.toContain(sentCode);

      // The traces keep what the backend said: group/code, message, each detail's field/reason.
      const kept = JSON.stringify({ traces: error.traces, detail: error.validationDetail });
      expect(kept).toContain(row);
      for (const words of ROW_SAYS[row]) expect(kept).toContain(words);
      if (row === 'request/0') {
        // What the user reads names the field and why.
        expect(error.message).toContain('code');
        expect(error.message).toContain('at most 40 characters');
      }
      await expectNothingStored(app);
    });
  }

  for (const shape of ['google', 'github', 'standard'] as const) {
    it(`${shape}: a refused backend credential is backendCredentialRefused, nothing stored, the provider not called`, async () => {
      const backend = peers.backendOf(shape);
      const app = await newApp(shape);
      backend.credential = 'the-backend-wants-another-credential';
      const calls = backend.counts.providerCalls;
      const error = failed(await app.connectAs(shape, 'ursa'));
      expectError(error, 'backendCredentialRefused');
      expectCleanError(error, [BACKEND_CREDENTIAL, ...CLIENT_SECRETS]);
      expect(backend.counts.unauthorized).toBeGreaterThan(0);
      expect(backend.counts.providerCalls).toBe(calls);
      await expectNothingStored(app);
    });

    it(`${shape}: a provider saved without a credential sends no Authorization header; the backend's 401 says to enter it`, async () => {
      const backend = peers.backendOf(shape);
      const app = peers.newApp({
        consent: shape === 'google' ? 'system-browser' : 'embedded',
        http,
      });
      ok(await app.save(shape, { backend: { ...app.backendInput(shape), credential: null } }));
      const error = failed(await app.connectAs(shape, 'vera'));
      expectError(error, 'backendCredentialRefused');
      expect(backend.exchangeRequests.at(-1)?.headers.authorization).toBeUndefined();
      await expectNothingStored(app);
    });
  }

  const connectFaults: readonly [ShapeUnderTest, Exclude<Fault, 'err-status-msg'>][] = [
    ...(['google', 'github', 'standard'] as const).flatMap((shape) =>
      FAULTS.filter((f) => f !== 'success-false').map(
        (f) => [shape, f] as [ShapeUnderTest, typeof f],
      ),
    ),
    // `success` is a member of the Google-style answer only.
    ['google', 'success-false'],
  ];

  for (const [shape, fault] of connectFaults) {
    it(`${shape}: ${fault} on connect → ${connectError(shape, fault)}; nothing stored; the next connect works`, async () => {
      const backend = peers.backendOf(shape);
      const app = await newApp(shape);
      backend.fault = { kind: fault };
      backend.faultOn = 'exchange';
      backend.faultOnce = true;

      const error = failed(await app.connectAs(shape, 'wren'));
      expectError(error, connectError(shape, fault));
      const sentCode =
        backend.exchangeRequests.at(-1)?.form.code ?? backend.exchangeRequests.at(-1)?.rawBody;
      expectCleanError(error, [sentCode, BACKEND_CREDENTIAL, ...CLIENT_SECRETS]);
      if (fault === 'hang') expect(error.message).toContain('0.8 s');
      if (fault === 'html-500' || fault === 'json-500') expect(error.message).toContain('500');
      await expectNothingStored(app);

      const { account } = ok(await app.connectAs(shape, 'wren'));
      expect(account.status).toBe('ok');
    });
  }

  for (const shape of ['google', 'standard'] as const) {
    for (const fault of [...FAULTS, 'unauthorized'] as const) {
      const expected =
        fault === 'unauthorized' ? 'backendCredentialRefused' : refreshError(shape, fault);
      it(`${shape}: ${fault} on refresh → ${expected}; the account keeps its tokens and refreshes once the backend works`, async () => {
        const backend = peers.backendOf(shape);
        const app = await newApp(shape);
        const { account } = ok(await app.connectAs(shape, `${shape}-${fault}`));
        const before = await app.secrets(account.id);
        if (fault === 'unauthorized') backend.credential = 'rotated-on-the-server-side';
        else {
          backend.fault = { kind: fault };
          backend.faultOn = 'refresh';
        }

        const error = failed(await app.api.refreshAccount({ accountId: account.id }));
        expectError(error, expected);
        expectCleanError(error, [
          before.accessToken,
          before.refreshToken,
          BACKEND_CREDENTIAL,
          ...CLIENT_SECRETS,
        ]);
        const listed = await app.account(account.id);
        expect(listed?.lastError).toMatchObject({ group: error.group, code: error.code });
        const kept = await app.secrets(account.id);
        expect(kept.refreshToken).toBe(before.refreshToken);
        expect(kept.accessToken).toBe(before.accessToken);

        backend.reset();
        backend.credential = BACKEND_CREDENTIAL;
        const view = ok(await app.api.refreshAccount({ accountId: account.id }));
        expect(view.status).toBe('ok');
        expect((await app.secrets(account.id)).accessToken).not.toBe(before.accessToken);
      });
    }
  }
});
