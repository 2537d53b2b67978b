/**
 * Through the real core and API: a refresh whose rotated refresh token the disk refuses. The
 * token is kept for the session (Copy hands out the new access token), getStatus says since when
 * changes are unsaved, and the rotated refresh token reaches the store when the app quits, once
 * the disk has room again — it is never dropped for the spent one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecretBox } from '../../support/test-secret-box';
import { createApiFixture, ok, type ApiFixture } from '../helpers/api-fixture';
import { MemoryKv } from '../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../helpers/tiny-oauth-provider';

let provider: TinyOAuthProvider;
const fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  for (const fixture of fixtures.splice(0)) fixture.dispose();
  provider.reset();
});

/** The key of the test secret box: the same across "restarts", as a keyring would be. */
const secretBox = createTestSecretBox();

const open = (kv: MemoryKv): ApiFixture => {
  const fixture = createApiFixture({ consent: scriptedConsent(answerWithCode()), kv, secretBox });
  fixtures.push(fixture);
  return fixture;
};

const saveLocalProvider = async (fixture: ApiFixture): Promise<void> => {
  ok(
    await fixture.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: 'local-client-secret',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
};

const connected = async (kv: MemoryKv) => {
  const fixture = open(kv);
  await saveLocalProvider(fixture);
  const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
  return { fixture, accountId: account.id };
};

const storedRefreshToken = async (fixture: ApiFixture, accountId: string) =>
  (await fixture.core.repo.accountSecrets(accountId))?.refreshToken;

describe('a rotated refresh token the disk refuses', () => {
  it('is used for the session, reported, and saved when the app quits once there is room', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    provider.script.refresh = () =>
      tokenReply({ access_token: 'access-token-2', refresh_token: 'refresh-token-2' });

    kv.failWrites = true;
    ok(await fixture.api.refreshAccount({ accountId }));

    expect(ok(await fixture.api.getStatus()).storage.unsavedSince).toBeTypeOf('number');
    ok(await fixture.api.copyToken({ accountId, format: 'bare' }));
    expect(await fixture.clipboard.readText()).toBe('access-token-2');

    kv.failWrites = false;
    fixture.dispose();

    const next = open(kv);
    expect(await storedRefreshToken(next, accountId)).toBe('refresh-token-2');
    expect(ok(await next.api.getStatus()).storage.unsavedSince).toBeUndefined();
  });

  it('stays reported when the disk still refuses it at quit, and the old file is left', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    provider.script.refresh = () =>
      tokenReply({ access_token: 'access-token-2', refresh_token: 'refresh-token-2' });
    kv.failWrites = true;
    ok(await fixture.api.refreshAccount({ accountId }));

    fixture.dispose();

    expect(fixture.core.repo.unsavedSince).toBeTypeOf('number');
    kv.failWrites = false;
    expect(await storedRefreshToken(open(kv), accountId)).toBe('refresh-token-1');
  });
});

describe('a sign-in whose tokens the disk refuses', () => {
  it('keeps the new account for the session, says so, and saves it when the app quits', async () => {
    const kv = new MemoryKv();
    const fixture = open(kv);
    await saveLocalProvider(fixture);
    kv.failWrites = true;
    // The user signed in: the provider issued tokens that exist nowhere else.
    const { account } = ok(await fixture.api.connect({ providerId: 'local' }));
    expect(ok(await fixture.api.getStatus()).storage.unsavedSince).toBeTypeOf('number');
    ok(await fixture.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(await fixture.clipboard.readText()).toBe('access-token-1');

    kv.failWrites = false;
    fixture.dispose();
    expect(await storedRefreshToken(open(kv), account.id)).toBe('refresh-token-1');
  });
});
