/**
 * Every consent session the core opens (a consent window, or a loopback listener on 127.0.0.1) is
 * closed again, however the connect ends, and the connect reports its progress to the renderer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConsentAborted } from '../../../../main/core/ports';
import type { ConnectStage } from '../../../../shared/model';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import {
  answerNever,
  answerWithCode,
  answerWithParams,
  callbackUrl,
  scriptedConsent,
  type ConsentAnswer,
  type ScriptedConsent,
} from '../../helpers/scripted-consent';
import { startTinyServer, type TinyServer } from '../../helpers/tiny-http-server';
import {
  oauthError,
  startTinyOAuthProvider,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

let provider: TinyOAuthProvider;
let discovery: TinyServer;
const fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
  // An OpenID provider whose metadata names no authorization endpoint.
  discovery = await startTinyServer((request) =>
    request.path === '/.well-known/openid-configuration'
      ? {
          status: 200,
          json: {
            issuer: discovery.url,
            token_endpoint: `${discovery.url}/token`,
            jwks_uri: `${discovery.url}/jwks`,
          },
        }
      : { status: 404, text: 'not found' },
  );
});
afterAll(async () => {
  await provider.close();
  await discovery.close();
});
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
  provider.reset();
});

const attempt = async (answer: ConsentAnswer, options: { consentTimeoutMs?: number } = {}) => {
  const consent = scriptedConsent(answer);
  const f = createApiFixture({ consent, ...options });
  fixtures.push(f);
  const stages: ConnectStage[] = [];
  f.core.events.on('connectProgress', ({ stage }) => stages.push(stage));
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  const result = await f.api.connect({ providerId: 'local' });
  return { consent, result, stages };
};

const expectAllClosed = (consent: ScriptedConsent): void => {
  expect(consent.requests.length).toBeGreaterThan(0);
  expect(consent.closed).toBe(consent.requests.length);
};

describe('consent sessions are always closed', () => {
  it.each<[string, ConsentAnswer]>([
    ['a successful connect', answerWithCode()],
    ['a denial', answerWithParams({ error: 'access_denied' })],
    [
      'a state mismatch',
      (_url, redirectUri) => callbackUrl(redirectUri, { code: 'x', state: 'forged' }),
    ],
    ['a window closed by the user', () => Promise.reject(new ConsentAborted('closed'))],
    ['a consent window that crashed', () => Promise.reject(new Error('render process gone'))],
  ])('after %s', async (_name, answer) => {
    const { consent } = await attempt(answer);
    expectAllClosed(consent);
  });

  it('after a refused code exchange', async () => {
    provider.script.code = () => oauthError(400, 'invalid_grant');
    const { consent, result } = await attempt(answerWithCode());
    failed(result);
    expectAllClosed(consent);
  });

  it('after a time-out', async () => {
    const { consent, result } = await attempt(answerNever, { consentTimeoutMs: 30 });
    failed(result);
    expectAllClosed(consent);
  });

  it('when the authorization request cannot be built (no authorization endpoint)', async () => {
    const consent = scriptedConsent(answerWithCode());
    const f = createApiFixture({ consent });
    fixtures.push(f);
    ok(
      await f.api.saveProvider({
        id: 'noauth',
        presetId: 'oidc',
        clientId: 'tokendesk',
        issuer: discovery.url,
      }),
    );
    const error = failed(await f.api.connect({ providerId: 'noauth' }));
    expect(error.message).toContain('authorization_endpoint');
    // Caught before any window or listener opens; had one opened, it must not stay open.
    expect(consent.closed).toBe(consent.requests.length);
    // It is a problem with the provider's metadata, and the user should be told so.
    expect(error.group, 'a provider problem, not an internal error').not.toBe('internal');
    // And a second attempt is not blocked by the first.
    expect(failed(await f.api.connect({ providerId: 'noauth' })).code).toBe(error.code);
  });
});

describe('connect progress', () => {
  it('reports each stage of a successful connect, in order', async () => {
    const { stages, result } = await attempt(answerWithCode());
    ok(result);
    expect(stages).toEqual([
      'starting',
      'waiting-for-consent',
      'exchanging',
      'identifying',
      'done',
    ]);
  });

  it('ends a failed connect with "failed"', async () => {
    const { stages } = await attempt(answerWithParams({ error: 'access_denied' }));
    expect(stages.at(-1)).toBe('failed');
    expect(stages).not.toContain('done');
  });
});
