/**
 * Endpoints a discovery document names pass the same URL rules as endpoints the user types
 * (shared/url-rules.ts): https, or plain http to 127.0.0.1, localhost or [::1] only; no user
 * name or password, no fragment, no other scheme. One that breaks them is refused with a
 * discovery error naming the field and the rule, before anything is sent to it and before any
 * consent window or browser is opened. http is decided per request, from that request's own URL:
 * a loopback authorization endpoint does not let a token request go out over plain http.
 *
 * No host but 127.0.0.1 can be reached here, so the core's fetch routes `idp.example.test` (a
 * name for "some server on the network") to the local server and records every URL it is asked
 * for: a request that reaches that name would have left the machine.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  requestOptionsFor,
  resolveProviderRuntime,
} from '../../../../main/core/oauth/provider-runtime';
import type { StoredProviderConfig } from '../../../../main/core/storage/store-schema';
import { findPreset, type ProviderPreset } from '../../../../shared/providers';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import {
  answerWithCode,
  scriptedConsent,
  type ScriptedConsent,
} from '../../helpers/scripted-consent';
import { startTinyServer, type TinyServer } from '../../helpers/tiny-http-server';

const REMOTE = 'idp.example.test';

let idp: TinyServer;
/** What the issuer publishes; each test sets the endpoints it needs. */
let metadata: Record<string, unknown> = {};
let f: ApiFixture | undefined;

beforeAll(async () => {
  idp = await startTinyServer((request) => {
    switch (request.path) {
      case '/.well-known/openid-configuration':
        return { status: 200, json: { issuer: idp.url, ...metadata } };
      case '/token':
        return {
          status: 200,
          json: {
            access_token: 'access-token-1',
            refresh_token: 'refresh-token-1',
            token_type: 'Bearer',
            expires_in: 3600,
          },
        };
      case '/userinfo':
        return { status: 200, json: { sub: 'user-1', email: 'user@example.test' } };
      case '/revoke':
        return { status: 200, text: '' };
      default:
        return { status: 404, text: 'not found' };
    }
  });
});
afterAll(() => idp.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
  idp.requests.length = 0;
});

const local = (path: string): string => `${idp.url}${path}`;

/** The usable document: every endpoint on the loopback server, plain http allowed there. */
const loopbackEndpoints = () => ({
  authorization_endpoint: local('/authorize'),
  token_endpoint: local('/token'),
  userinfo_endpoint: local('/userinfo'),
  revocation_endpoint: local('/revoke'),
});

interface Setup {
  readonly api: ApiFixture['api'];
  readonly consent: ScriptedConsent;
  /** Every URL the core asked its fetch for. */
  readonly fetched: string[];
  /** The URLs among them on a host other than 127.0.0.1. */
  readonly offMachine: () => string[];
}

/** `reopen`: the store (and secret box) of an earlier fixture, as after a restart. */
const setUp = async (reopen?: Pick<ApiFixture, 'kv' | 'secretBox'>): Promise<Setup> => {
  const fetched: string[] = [];
  const consent = scriptedConsent(answerWithCode());
  f = createApiFixture({
    consent,
    ...(reopen ? { kv: reopen.kv, secretBox: reopen.secretBox } : {}),
    fetch: (input, init) => {
      const url = new URL(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
      fetched.push(url.href);
      if (url.hostname === REMOTE) return fetch(`${idp.url}${url.pathname}${url.search}`, init);
      return fetch(url, init);
    },
  });
  if (!reopen) {
    ok(
      await f.api.saveProvider({
        presetId: 'oidc',
        label: 'Company IdP',
        clientId: 'company-client',
        clientSecret: 'COMPANY-CLIENT-SECRET',
        issuer: idp.url,
        scopes: ['profile'],
      }),
    );
  }
  return {
    api: f.api,
    consent,
    fetched,
    offMachine: () => fetched.filter((url) => new URL(url).hostname !== '127.0.0.1'),
  };
};

describe('a discovered endpoint that breaks the URL rules', () => {
  it.each([
    ['token_endpoint', `http://${REMOTE}/token`, /must be an https URL/],
    ['userinfo_endpoint', `http://${REMOTE}/userinfo`, /must be an https URL/],
    ['revocation_endpoint', `http://${REMOTE}/revoke`, /must be an https URL/],
    ['authorization_endpoint', `http://${REMOTE}/authorize`, /must be an https URL/],
    ['authorization_endpoint', 'javascript:alert(document.domain)//', /must be an https URL/],
    ['authorization_endpoint', 'file:///etc/passwd', /must be an https URL/],
    [
      'authorization_endpoint',
      `https://admin:hunter2@${REMOTE}/authorize`,
      /must not contain a user name or password/,
    ],
    ['authorization_endpoint', `https://${REMOTE}/authorize#x`, /must not have a #fragment/],
    ['token_endpoint', `https://${REMOTE}/tok en`, /must not contain spaces or control/],
  ])(
    '%s %s: a discovery error naming it; nothing sent, no sign-in opened',
    async (field, url, rule) => {
      metadata = { ...loopbackEndpoints(), [field]: url };
      const { api, consent, offMachine } = await setUp();

      const error = failed(await api.connect({ providerId: 'oidc' }));

      expect(error).toMatchObject({ group: 'oauth', code: 4 });
      expect(error.message).toContain(`OpenID configuration of ${idp.url}`);
      expect(error.message).toContain(field);
      expect(error.message).toMatch(rule);
      expect(error.message).not.toContain('hunter2');
      expect(offMachine()).toEqual([]);
      expect(consent.requests).toEqual([]);
      expect(consent.authorizationUrls).toEqual([]);
      expect(ok(await api.listAccounts())).toEqual([]);
    },
  );

  it('is not remembered: once the issuer publishes a usable document, the next connect works', async () => {
    metadata = { ...loopbackEndpoints(), token_endpoint: `http://${REMOTE}/token` };
    const { api, offMachine } = await setUp();
    expect(failed(await api.connect({ providerId: 'oidc' }))).toMatchObject({ code: 4 });

    metadata = { ...loopbackEndpoints(), token_endpoint: `https://${REMOTE}/token` };
    const { account } = ok(await api.connect({ providerId: 'oidc' }));

    expect(account.subject).toBe('user-1');
    expect(offMachine()).toEqual([`https://${REMOTE}/token`]);
  });
});

describe('http or https, decided per request', () => {
  it('a loopback authorization endpoint with an https token endpoint elsewhere: the token request goes over https', async () => {
    metadata = {
      ...loopbackEndpoints(),
      token_endpoint: `https://${REMOTE}/token`,
      userinfo_endpoint: `https://${REMOTE}/userinfo`,
      revocation_endpoint: `https://${REMOTE}/revoke`,
    };
    const { api, consent, offMachine } = await setUp();

    const { account } = ok(await api.connect({ providerId: 'oidc' }));
    ok(await api.disconnect({ accountId: account.id }));

    expect(consent.authorizationUrls[0]?.origin).toBe(idp.url);
    expect(offMachine()).toEqual([
      `https://${REMOTE}/token`,
      `https://${REMOTE}/userinfo`,
      `https://${REMOTE}/revoke`,
      `https://${REMOTE}/revoke`,
    ]);
  });

  const preset = findPreset('oauth2') as ProviderPreset;
  const config = (endpoints: StoredProviderConfig['endpoints']): StoredProviderConfig => ({
    id: 'oauth2',
    presetId: 'oauth2',
    label: 'Work IdP',
    clientId: 'work-client',
    clientAuth: 'client_secret_post',
    scopes: [],
    consentMode: 'embedded',
    ...(endpoints ? { endpoints } : {}),
    createdAt: 0,
    updatedAt: 0,
  });

  it('allows plain http only for the requests whose own endpoint is loopback', async () => {
    const runtime = await resolveProviderRuntime(
      config({
        authorization: 'http://127.0.0.1:8080/authorize',
        token: `https://${REMOTE}/token`,
        revocation: 'http://localhost:8080/revoke',
        userinfo: `https://${REMOTE}/userinfo`,
      }),
      preset,
      'secret',
      {
        limits: { timeoutMs: 1_000, maxBodyBytes: 10_000 },
        baseFetch: () => Promise.reject(new Error('no network in this test')),
        discover: () => Promise.reject(new Error('no discovery in this test')),
      },
    );
    const plainHttp = (endpoint: Parameters<typeof requestOptionsFor>[1]) =>
      requestOptionsFor(runtime, endpoint)[oauth.allowInsecureRequests] === true;
    expect(plainHttp('token_endpoint')).toBe(false);
    expect(plainHttp('userinfo_endpoint')).toBe(false);
    expect(plainHttp('revocation_endpoint')).toBe(true);
  });
});

/**
 * Connects an account of "Work IdP" (typed loopback endpoints), then edits one of its stored
 * endpoints as a hand or an older Tokendesk could, and starts again on that store.
 */
const connectThenEditStored = async (
  field: 'token' | 'userinfo' | 'introspection',
  url: string,
) => {
  metadata = loopbackEndpoints();
  const first = await setUp();
  ok(
    await first.api.saveProvider({
      intent: 'add',
      id: 'work',
      presetId: 'oauth2',
      label: 'Work IdP',
      clientId: 'work-client',
      clientSecret: 'WORK-CLIENT-SECRET',
      endpoints: {
        authorization: local('/authorize'),
        token: local('/token'),
        userinfo: local('/userinfo'),
      },
    }),
  );
  const { account } = ok(await first.api.connect({ providerId: 'work' }));
  const { kv, secretBox } = f as ApiFixture;
  f?.dispose();
  const doc = kv.store as { providers: Record<string, { endpoints: Record<string, string> }> };
  const stored = doc.providers.work;
  if (!stored) throw new Error('the provider was not stored');
  stored.endpoints[field] = url;
  kv.store = doc;
  return { account, ...(await setUp({ kv, secretBox })) };
};

describe('a stored endpoint that breaks the URL rules (a store written by hand or by an older Tokendesk)', () => {
  it('is refused with the same error before anything is sent; the account keeps its tokens', async () => {
    const { account, api, offMachine } = await connectThenEditStored(
      'token',
      `http://${REMOTE}/token`,
    );
    const error = failed(await api.refreshAccount({ accountId: account.id }));

    expect(error).toMatchObject({ group: 'oauth', code: 4 });
    expect(error.message).toMatch(/Work IdP.*token endpoint must be an https URL/);
    expect(offMachine()).toEqual([]);
    expect(ok(await api.listAccounts())[0]).toMatchObject({ id: account.id, hasToken: true });
  });

  it('is not written into a copied curl line, which would send the token there', async () => {
    const { account, api, offMachine } = await connectThenEditStored(
      'userinfo',
      `http://${REMOTE}/userinfo`,
    );
    const error = failed(await api.copyToken({ accountId: account.id, format: 'curl' }));
    expect(error).toMatchObject({ group: 'oauth', code: 4 });
    expect(error.message).toMatch(/must be an https URL.*so no curl line was copied/);
    expect((f as ApiFixture).clipboard.writes).toEqual([]);
    expect(offMachine()).toEqual([]);
    // The token itself is fine: the other formats copy it.
    ok(await api.copyToken({ accountId: account.id, format: 'bare' }));
  });

  it('a typed introspection endpoint is not offered, and Inspect sends it nothing', async () => {
    const { account, api, offMachine } = await connectThenEditStored(
      'introspection',
      `http://${REMOTE}/introspect`,
    );
    expect(
      ok(await api.inspectToken({ accountId: account.id, which: 'access' })).canIntrospect,
    ).toBe(false);
    const error = failed(await api.introspectToken({ accountId: account.id }));
    expect(error).toMatchObject({ group: 'oauth', code: 4 });
    expect(error.message).toMatch(
      /^Work IdP's introspection endpoint must be an https URL.*Nothing was sent to it; edit Work IdP/,
    );
    expect(offMachine()).toEqual([]);
  });
});
