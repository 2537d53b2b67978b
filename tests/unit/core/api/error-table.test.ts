/**
 * The error table (shared/errors.ts): each (group, code) is unique, documented, and can really be
 * produced through the API. Every entry has a producer below, which TypeScript enforces: a new
 * entry in ERRORS does not compile here until someone shows how a user meets it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerCommandLine } from '../../../../main/core/api/command-requests';
import { CoreFailure } from '../../../../main/core/core-failure';
import type { CommandResponse } from '../../../../shared/command-line';
import { ConsentAborted, type ConsentPort } from '../../../../main/core/ports';
import {
  ERRORS,
  isError,
  type ApiError,
  type ErrorName,
  type Result,
} from '../../../../shared/errors';
import type { MemoryClipboard } from '../../../support/memory-clipboard';
import { createFailingSecretBox } from '../../../support/test-secret-box';
import {
  createApiFixture,
  failed,
  ok,
  type ApiFixture,
  type ApiFixtureOptions,
} from '../../helpers/api-fixture';
import { MemoryKv } from '../../helpers/memory-kv';
import {
  answerNever,
  answerWithCode,
  answerWithParams,
  callbackUrl,
  scriptedConsent,
  type ConsentAnswer,
} from '../../helpers/scripted-consent';
import { closedPort, startTinyServer } from '../../helpers/tiny-http-server';
import { createTestPki, type TestPki } from '../../../support/test-pki';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

let provider: TinyOAuthProvider;
const fixtures: ApiFixture[] = [];
let pki: TestPki | undefined;
/** A CA and a client certificate (openssl), made once for the file when first needed. */
const testPki = (): TestPki => (pki ??= createTestPki());

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => {
  pki?.dispose();
  return provider.close();
});
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
  provider.reset();
});

const fixture = (options: ApiFixtureOptions = {}): ApiFixture => {
  const f = createApiFixture(options);
  fixtures.push(f);
  return f;
};

const withConsent = (answer: ConsentAnswer, options: ApiFixtureOptions = {}): ApiFixture =>
  fixture({ consent: scriptedConsent(answer), ...options });

/** The local OAuth 2.0 provider, saved through the API as the user would. */
const saveLocal = async (f: ApiFixture): Promise<void> => {
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      label: 'Local IdP',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
};

const connectLocal = async (f: ApiFixture): Promise<Result<unknown>> => {
  await saveLocal(f);
  return f.api.connect({ providerId: 'local' });
};

/** A sign-in with a code at the local provider (its device endpoint named). */
const connectByCode = async (f: ApiFixture): Promise<Result<unknown>> => {
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      consentMode: 'device-code',
      endpoints: {
        ...provider.endpoints,
        deviceAuthorization: provider.deviceAuthorizationEndpoint,
      },
    }),
  );
  return f.api.connect({ providerId: 'local' });
};

/** A connect of the local provider whose exchange goes through a backend at `url`. */
const connectThroughBackend = async (
  shape: 'google-style' | 'standard',
  url: string,
): Promise<Result<unknown>> => {
  const f = withConsent(answerWithCode());
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      endpoints: provider.endpoints,
      backend: { url, shape, redirectUri: 'https://app.example.test/oauth/callback' },
    }),
  );
  return f.api.connect({ providerId: 'local' });
};

/** A fixture with one account connected to the local provider. */
const connected = async (
  options: ApiFixtureOptions = {},
): Promise<{ f: ApiFixture; accountId: string }> => {
  const f = withConsent(answerWithCode(), options);
  await saveLocal(f);
  const { account } = ok(await f.api.connect({ providerId: 'local' }));
  return { f, accountId: account.id };
};

const COMMAND_KEY = 'error-table-key';

/** A request line of the `tokendesk` command, answered as the channel would. */
const askCommand = (f: ApiFixture, fields: Record<string, unknown>): Promise<CommandResponse> =>
  answerCommandLine(
    JSON.stringify({
      v: 1,
      key: COMMAND_KEY,
      op: 'token',
      subcommand: 'token',
      caller: { commandLine: 'tokendesk token local', pid: 1 },
      ...fields,
    }),
    COMMAND_KEY,
    f.core,
  );

const commandFailure = (response: CommandResponse): ApiError => {
  if (response.ok) throw new Error('the command was answered with a token');
  return response.error;
};

/** The approval prompt a command's request opened. */
const openPrompt = async (f: ApiFixture) => {
  for (let turn = 0; turn < 20; turn++) {
    const [pending] = ok(await f.api.getCommandLine()).pending;
    if (pending) return pending;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('no approval prompt opened');
};

const consentError = async (
  answer: ConsentAnswer,
  options: ApiFixtureOptions = {},
): Promise<ApiError> => failed(await connectLocal(withConsent(answer, options)));

const PRODUCERS: Record<ErrorName, () => Promise<ApiError>> = {
  invalidField: async () =>
    failed(await fixture().api.saveProvider({ presetId: 'github', clientId: 'has a space' })),

  bodyRequired: async () => failed(await fixture().api.connect()),

  unsupportedProvider: async () =>
    failed(await fixture().api.connect({ providerId: 'no-such-provider' })),

  providerNotConfigured: async () => failed(await fixture().api.connect({ providerId: 'google' })),

  invalidAuthorizationCode: async () => {
    provider.script.code = () => oauthError(400, 'invalid_grant', 'authorization code expired');
    return consentError(answerWithCode());
  },

  invalidClient: async () => {
    provider.script.code = () => oauthError(401, 'invalid_client', 'client authentication failed');
    return consentError(answerWithCode());
  },

  discoveryFailed: async () => {
    const f = withConsent(answerWithCode());
    const port = await closedPort();
    ok(
      await f.api.saveProvider({
        id: 'custom',
        presetId: 'oidc',
        clientId: 'tokendesk',
        issuer: `http://127.0.0.1:${port}`,
      }),
    );
    return failed(await f.api.connect({ providerId: 'custom' }));
  },

  providerInUse: async () => {
    const { f } = await connected();
    return failed(await f.api.deleteProvider({ providerId: 'local' }));
  },

  exchangeFailed: async () => {
    provider.script.code = () => oauthError(500, 'server_error', 'database unavailable');
    return consentError(answerWithCode());
  },

  revocationFailed: async () => {
    const { f, accountId } = await connected();
    provider.script.revoke = () => oauthError(503, 'temporarily_unavailable', 'try again later');
    const { revocation: outcome } = ok(await f.api.disconnect({ accountId }));
    if (outcome.status !== 'failed') throw new Error(`revocation ${outcome.status}, not failed`);
    expect(ok(await f.api.listAccounts())).toEqual([]);
    return outcome.error;
  },

  introspectionFailed: async () => {
    // Configured by its issuer, the local provider's discovery names its introspection endpoint.
    const f = withConsent(answerWithCode());
    ok(
      await f.api.saveProvider({
        id: 'by-issuer',
        presetId: 'oidc',
        clientId: 'tokendesk-test',
        issuer: provider.issuer,
        scopes: ['read'],
      }),
    );
    const { account } = ok(await f.api.connect({ providerId: 'by-issuer' }));
    provider.script.introspect = () => oauthError(401, 'invalid_client');
    return failed(await f.api.introspectToken({ accountId: account.id }));
  },

  introspectionUnavailable: async () => {
    // Typed endpoints: the form has no field for an introspection endpoint.
    const { f, accountId } = await connected();
    return failed(await f.api.introspectToken({ accountId }));
  },

  clientCertificateInvalid: async () => {
    // Without a keyring the private key lived in memory only: after a restart it is gone.
    const pki = testPki();
    const kv = new MemoryKv();
    const before = fixture({ kv, persistSecrets: false });
    ok(
      await before.api.saveProvider({
        id: 'mtls',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        endpoints: provider.endpoints,
        clientCertificate: pki.clientCert,
        clientPrivateKey: pki.clientKey,
      }),
    );
    const after = withConsent(answerWithCode(), { kv, persistSecrets: false });
    return failed(await after.api.connect({ providerId: 'mtls' }));
  },

  clientCertificateRejected: async () => {
    // A provider without a certificate, through Electron's net.fetch, at a server that asks for one.
    const f = withConsent(answerWithCode(), {
      fetch: () => Promise.reject(new Error('net::ERR_SSL_CLIENT_AUTH_CERT_NEEDED')),
    });
    return failed(await connectLocal(f));
  },

  identityFailed: async () => {
    provider.script.userinfo = () => ({ status: 500, text: 'internal error' });
    return consentError(answerWithCode());
  },

  consentDenied: () =>
    consentError(
      answerWithParams({
        error: 'access_denied',
        error_description: 'The user denied the request',
      }),
    ),

  consentProviderError: () =>
    consentError(
      answerWithParams({ error: 'invalid_scope', error_description: 'scope "admin" is unknown' }),
    ),

  consentStateMismatch: () =>
    consentError((_url, redirectUri) =>
      callbackUrl(redirectUri, { code: 'stolen', state: 'forged-state' }),
    ),

  consentIssuerMismatch: async () => {
    // Only a configured issuer is compared with `iss`: without one, the issuer is a guess.
    const f = withConsent(answerWithParams({ code: 'abc', iss: 'https://evil.example' }));
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: 'local-client-secret',
        scopes: ['read'],
        issuer: provider.url,
        endpoints: provider.endpoints,
      }),
    );
    return failed(await f.api.connect({ providerId: 'local' }));
  },

  consentMalformed: () => consentError(answerWithParams({})),

  consentCancelled: () => consentError(() => Promise.reject(new ConsentAborted('closed'))),

  consentTimedOut: () => consentError(answerNever, { consentTimeoutMs: 50 }),

  consentInProgress: async () => {
    const f = withConsent(answerNever);
    await saveLocal(f);
    const first = f.api.connect({ providerId: 'local' });
    const second = await f.api.connect({ providerId: 'local' });
    ok(await f.api.cancelConnect({ providerId: 'local' }));
    // The first attempt is unharmed by the second, and ends when cancelled.
    expect(isError(failed(await first), 'consentCancelled')).toBe(true);
    return failed(second);
  },

  consentUnavailable: async () => {
    const broken: ConsentPort = { begin: () => Promise.reject(new Error('no display')) };
    return failed(await connectLocal(fixture({ consent: broken })));
  },

  deviceCodeExpired: async () => {
    provider.script.deviceToken = () => oauthError(400, 'expired_token');
    return failed(await connectByCode(fixture()));
  },

  deviceDenied: async () => {
    provider.script.deviceToken = () => oauthError(400, 'access_denied', 'the user said no');
    return failed(await connectByCode(fixture()));
  },

  deviceUnsupported: async () => {
    const f = fixture();
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        consentMode: 'device-code',
        endpoints: provider.endpoints,
      }),
    );
    return failed(await f.api.connect({ providerId: 'local' }));
  },

  reconnectNeeded: async () => {
    const { f, accountId } = await connected();
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    return failed(await f.api.refreshAccount({ accountId }));
  },

  refreshFailed: async () => {
    const { f, accountId } = await connected();
    provider.script.refresh = () => oauthError(503, 'temporarily_unavailable');
    return failed(await f.api.refreshAccount({ accountId }));
  },

  noRefreshToken: async () => {
    provider.script.code = () => tokenReply({ access_token: 'access-only', scope: 'read' });
    const { f, accountId } = await connected();
    return failed(await f.api.refreshAccount({ accountId }));
  },

  machineTokenRefused: async () => {
    // The local provider knows no client credentials grant: unsupported_grant_type.
    const f = fixture();
    await saveLocal(f);
    const error = failed(await f.api.addMachineAccount({ providerId: 'local', name: 'ci' }));
    expect(ok(await f.api.listAccounts())).toEqual([]);
    return error;
  },

  machineKeyInvalid: async () => {
    // A key the form accepted, replaced in the store by text that is no key (the store file
    // edited by hand, say): the token request says so instead of going out unsigned.
    const f = fixture();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientAuth: 'private_key_jwt',
        privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        endpoints: provider.endpoints,
      }),
    );
    const config = f.parts.repo.provider('local');
    if (!config) throw new Error('not saved');
    await f.parts.repo.saveProvider(config, 'not a private key');
    f.core.providers.listing(); // no runtime cached before the change
    return failed(await f.api.addMachineAccount({ providerId: 'local', name: 'ci' }));
  },

  backendRefused: async () => {
    // A backend answering in the ErrStatusMsg shape: request/0, a field it did not take.
    provider.script.code = () => ({
      status: 400,
      json: { group: 'request', code: 0, message: 'invalid field', validationDetail: [] },
    });
    return failed(await connectThroughBackend('standard', provider.endpoints.token));
  },

  backendCredentialRefused: async () => {
    provider.script.code = () => ({ status: 401, json: { message: 'unknown key' } });
    return failed(await connectThroughBackend('standard', provider.endpoints.token));
  },

  backendUnusable: async () => {
    const portal = await startTinyServer(() => ({
      status: 200,
      text: '<html>Sign in to the Wi-Fi</html>',
      headers: { 'content-type': 'text/html' },
    }));
    try {
      return failed(await connectThroughBackend('google-style', portal.url));
    } finally {
      await portal.close();
    }
  },

  accountNotFound: async () =>
    failed(await fixture().api.refreshAccount({ accountId: 'no-such-account' })),

  // Through the core's account service: the command line names accounts, the window never does.
  accountAmbiguous: async () => {
    const { f } = await connected();
    provider.script.userinfo = () => ({ status: 200, json: { sub: 'second-user' } });
    ok(await f.api.connect({ providerId: 'local' }));
    try {
      f.core.accounts.select({ name: 'local' });
    } catch (error) {
      if (error instanceof CoreFailure) return error.toApiError();
    }
    throw new Error('two accounts of one provider were not ambiguous');
  },

  storageWriteFailed: async () => {
    const kv = new MemoryKv();
    const f = fixture({ kv });
    kv.failWrites = true;
    return failed(
      await f.api.saveProvider({
        presetId: 'github',
        clientId: 'Iv1.abc',
        clientSecret: 'gh-secret',
      }),
    );
  },

  secretUnreadable: async () => {
    const kv = new MemoryKv();
    const { accountId } = await connected({ kv });
    // The same store on a machine whose keyring changed.
    const after = fixture({ kv, secretBox: createFailingSecretBox() });
    return failed(await after.api.copyToken({ accountId, format: 'bare' }));
  },

  commandLineOff: async () => {
    const { f } = await connected();
    return commandFailure(await askCommand(f, { account: 'local' }));
  },

  commandDenied: async () => {
    const { f } = await connected();
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const answer = askCommand(f, { account: 'local' });
    const { id } = await openPrompt(f);
    ok(await f.api.answerApproval({ requestId: id, decision: 'deny' }));
    return commandFailure(await answer);
  },

  approvalTimedOut: async () => {
    const { f } = await connected({ approvalTimeoutMs: 20 });
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    return commandFailure(await askCommand(f, { account: 'local' }));
  },

  commandKeyRejected: async () => {
    const { f } = await connected();
    return commandFailure(await answerCommandLine('{"key":"a guess"}', COMMAND_KEY, f.core));
  },

  commandMalformed: async () => {
    const { f } = await connected();
    return commandFailure(await answerCommandLine('not json', COMMAND_KEY, f.core));
  },

  tokenTooShort: async () => {
    const { f } = await connected();
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const answer = askCommand(f, { account: 'local', minTtlSeconds: 86_400 });
    const { id } = await openPrompt(f);
    ok(await f.api.answerApproval({ requestId: id, decision: 'allow', allowForSeconds: 600 }));
    return commandFailure(await answer);
  },

  approvalNotPending: async () => {
    const f = fixture();
    return failed(await f.api.answerApproval({ requestId: 'gone', decision: 'deny' }));
  },

  internal: async () => {
    // An unexpected exception inside a port: the user gets the generic error, not its text.
    const clipboard: MemoryClipboard = {
      writes: [],
      readText: () => Promise.resolve(''),
      writeText: () => Promise.reject(new Error('clipboard owned by another app')),
    };
    const { f, accountId } = await connected({ clipboard });
    const error = failed(await f.api.copyToken({ accountId, format: 'bare' }));
    expect(error.message).not.toContain('another app');
    return error;
  },
};

const NAMES = Object.keys(ERRORS) as ErrorName[];

describe('the error table', () => {
  it('has unique (group, code) pairs', () => {
    const pairs = NAMES.map((name) => `${ERRORS[name].group}/${ERRORS[name].code}`);
    expect(new Set(pairs).size).toBe(pairs.length);
  });

  it('gives every entry a default message', () => {
    for (const name of NAMES) expect(ERRORS[name].message.trim(), name).not.toBe('');
  });

  it('documents every entry in docs/ERRORS.md', () => {
    const doc = readFileSync(new URL('../../../../docs/ERRORS.md', import.meta.url), 'utf8');
    for (const name of NAMES) {
      const { group, code } = ERRORS[name];
      expect(doc, name).toMatch(
        new RegExp(`\\|\\s*${group}\\s*\\|\\s*${code}\\s*\\|\\s*${name}\\s*\\|`),
      );
    }
  });
});

describe('every error can be produced through the API', () => {
  it.each(NAMES)('%s', async (name) => {
    const error = await PRODUCERS[name]();
    expect({ group: error.group, code: error.code }).toEqual({
      group: ERRORS[name].group,
      code: ERRORS[name].code,
    });
    expect(typeof error.message).toBe('string');
    expect(error.message.trim()).not.toBe('');
    expect(() => structuredClone(error)).not.toThrow();
  });
});

describe('what the errors tell the user', () => {
  it('passes the provider’s description of a denial on', async () => {
    const error = await PRODUCERS.consentDenied();
    expect(error.message).toContain('The user denied the request');
  });

  it('passes the provider’s own words on in traces when the token endpoint refuses', async () => {
    const error = await PRODUCERS.invalidAuthorizationCode();
    expect(error.traces?.join(' ')).toContain('invalid_grant');
  });

  it('marks the account "reconnect needed" after a refused refresh token, and keeps it', async () => {
    const { f, accountId } = await connected();
    provider.script.refresh = () => oauthError(400, 'invalid_grant');
    failed(await f.api.refreshAccount({ accountId }));
    const [account] = ok(await f.api.listAccounts());
    expect(account).toMatchObject({
      id: accountId,
      status: 'reconnect-needed',
      lastError: { group: 'refresh', code: 0 },
    });
  });

  it('marks the account "error" (not reconnect) after a refresh that may pass', async () => {
    const { f, accountId } = await connected();
    provider.script.refresh = () => oauthError(503, 'temporarily_unavailable');
    failed(await f.api.refreshAccount({ accountId }));
    const [account] = ok(await f.api.listAccounts());
    expect(account).toMatchObject({
      status: 'error',
      canRefresh: true,
      lastError: { group: 'refresh', code: 1 },
    });
  });

  it('reports a failed save without changing what is listed', async () => {
    const kv = new MemoryKv();
    const f = fixture({ kv });
    ok(
      await f.api.saveProvider({
        presetId: 'github',
        clientId: 'Iv1.old',
        clientSecret: 'gh-secret',
      }),
    );
    kv.failWrites = true;
    failed(await f.api.saveProvider({ presetId: 'github', clientId: 'Iv1.new' }));
    expect(ok(await f.api.listProviders()).configured.map((p) => p.clientId)).toEqual(['Iv1.old']);
  });

  it('refuses the embedded window for Google, whose sign-in blocks it, and says which field', async () => {
    const f = fixture();
    const error = failed(
      await f.api.saveProvider({
        presetId: 'google',
        clientId: 'desktop.apps.googleusercontent.com',
        clientSecret: 'GOCSPX-secret',
        consentMode: 'embedded',
      }),
    );
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail?.map((d) => d.field)).toEqual(['consentMode']);
    expect(error.validationDetail?.[0]?.reason).toMatch(/Google blocks sign-in/);
    expect(ok(await f.api.listProviders()).configured).toEqual([]);
    // Without a mode, Google gets the system browser.
    const saved = ok(
      await f.api.saveProvider({
        presetId: 'google',
        clientId: 'desktop.apps.googleusercontent.com',
        clientSecret: 'GOCSPX-secret',
      }),
    );
    expect(saved.consentMode).toBe('system-browser');
  });

  it('signs a Google configuration stored as embedded (an older Tokendesk) in through the system browser', async () => {
    const kv = new MemoryKv();
    const before = fixture({ kv });
    ok(
      await before.api.saveProvider({
        presetId: 'google',
        clientId: 'desktop.apps.googleusercontent.com',
        clientSecret: 'GOCSPX-secret',
      }),
    );
    const stored = kv.store as { providers: Record<string, { consentMode: string }> };
    stored.providers.google!.consentMode = 'embedded';
    kv.store = stored;

    const consent = scriptedConsent(answerNever);
    // The same machine: the same secret box reads the stored client secret.
    const f = fixture({ kv, consent, secretBox: before.secretBox });
    expect(ok(await f.api.listProviders()).configured[0]?.consentMode).toBe('system-browser');
    const connecting = f.api.connect({ providerId: 'google' });
    await vi.waitFor(() => expect(consent.requests).toHaveLength(1));
    expect(consent.requests[0]?.mode).toBe('system-browser');
    ok(await f.api.cancelConnect({ providerId: 'google' }));
    failed(await connecting);
  });
});
