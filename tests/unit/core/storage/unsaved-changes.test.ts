/**
 * Through the real core and API: a refresh's result is written just after its caller is answered,
 * and the list announced after that; nothing is lost by quitting before the write.
 *
 * A refresh whose rotated refresh token the disk refuses: the
 * token is kept for the session (Copy hands out the new access token), getStatus says since when
 * changes are unsaved, and the rotated refresh token reaches the store when the app quits, once
 * the disk has room again — it is never dropped for the spent one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestSecretBox } from '../../../support/test-secret-box';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { MemoryKv } from '../../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

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
  (await fixture.parts.repo.accountSecrets(accountId))?.refreshToken;

describe('a rotated refresh token the disk refuses', () => {
  it('is used for the session, reported, and saved when the app quits once there is room', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    provider.script.refresh = () =>
      tokenReply({ access_token: 'access-token-2', refresh_token: 'refresh-token-2' });

    kv.failWrites = true;
    // As the renderer does: the status is read again with each list main announces.
    const readWithList: (number | undefined)[] = [];
    fixture.core.events.on('accountsChanged', () => {
      readWithList.push(fixture.core.status().storage.unsavedSince);
    });
    ok(await fixture.api.refreshAccount({ accountId }));
    await fixture.core.settled();

    expect(readWithList.at(-1)).toBeTypeOf('number');
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

    expect(fixture.parts.repo.unsavedSince).toBeTypeOf('number');
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

describe('a refresh answered before its write', () => {
  const rotating = () => {
    provider.script.refresh = () =>
      tokenReply({ access_token: 'access-token-2', refresh_token: 'refresh-token-2' });
  };
  /** The refresh token the store file holds, as a new start would read it. */
  const onDisk = (kv: MemoryKv, accountId: string): unknown => {
    const { secrets } = kv.store as { secrets: Record<string, string> };
    const cipher = secrets[`account:${accountId}`];
    if (cipher === undefined) return undefined;
    return (JSON.parse(secretBox.decrypt(cipher)) as { refreshToken?: string }).refreshToken;
  };

  it('hands out the new token at once, and writes it right after', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    rotating();
    const writes = kv.writes;

    ok(await fixture.api.refreshAccount({ accountId }));
    expect(kv.writes).toBe(writes);
    ok(await fixture.api.copyToken({ accountId, format: 'bare' }));
    expect(await fixture.clipboard.readText()).toBe('access-token-2');

    await fixture.core.settled();
    expect(kv.writes).toBe(writes + 1);
    expect(onDisk(kv, accountId)).toBe('refresh-token-2');
  });

  it('announces the new list only once the file holds it', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    rotating();
    const onDiskAtEvents: unknown[] = [];
    fixture.core.events.on('accountsChanged', (views) => {
      if (views.every((view) => !view.refreshing)) onDiskAtEvents.push(onDisk(kv, accountId));
    });

    ok(await fixture.api.refreshAccount({ accountId }));
    await fixture.core.settled();

    expect(onDiskAtEvents).toEqual(['refresh-token-2']);
  });

  it('is not lost when the app quits before the write’s turn', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    rotating();

    ok(await fixture.api.refreshAccount({ accountId }));
    fixture.dispose();

    expect(await storedRefreshToken(open(kv), accountId)).toBe('refresh-token-2');
  });

  it('logs a list listener that throws, and the refresh still succeeds', async () => {
    const kv = new MemoryKv();
    const { fixture, accountId } = await connected(kv);
    fixture.core.events.on('accountsChanged', () => {
      throw new Error('listener broke');
    });

    ok(await fixture.api.refreshAccount({ accountId }));
    await fixture.core.settled();

    expect(fixture.logger.dump()).toContain('could not announce the account list');
    expect(onDisk(kv, accountId)).toBe('refresh-token-1');
  });
});
