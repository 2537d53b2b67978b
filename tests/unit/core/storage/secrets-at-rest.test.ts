/**
 * Secrets at rest as a user meets them: with no real protection (Linux `basic_text`) tokens stay
 * in memory unless the user opts in; opting in and out moves them at once; a keyring that
 * changed between sessions is explained, and what it cannot read is kept, not wiped.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SecretProtection } from '../../../../main/core/ports';
import { createTestSecretBox, TEST_SECRET_PREFIX } from '../../../support/test-secret-box';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { MemoryKv } from '../../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const CLIENT_SECRET = 'client-secret-at-rest-5e5e';
const ACCESS = 'at-at-rest-7a7a';
const REFRESH = 'rt-at-rest-9c9c';

const KEYRING: SecretProtection = { backend: 'gnome_libsecret', available: true, weak: false };
const BASIC_TEXT: SecretProtection = { backend: 'basic_text', available: true, weak: true };
const NONE: SecretProtection = { backend: 'unavailable', available: false, weak: true };

let provider: TinyOAuthProvider;
const open: ApiFixture[] = [];

beforeEach(async () => {
  provider = await startTinyOAuthProvider();
  provider.script.code = () =>
    tokenReply({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600, scope: 'read' });
  provider.script.userinfo = () => ({ status: 200, json: { sub: 'user-1', email: 'a@b.test' } });
});

afterEach(async () => {
  for (const f of open.splice(0)) f.dispose();
  await provider.close();
});

/** One app session on `kv`: same file, a given keyring and secret box. */
const session = (
  kv: MemoryKv,
  secretProtection: SecretProtection,
  key: Buffer = Buffer.alloc(32, 1),
  timing: { readonly clock?: FakeClock; readonly keepFresh?: boolean } = {},
): ApiFixture => {
  const f = createApiFixture({
    kv,
    secretProtection,
    secretBox: createTestSecretBox(key),
    consent: scriptedConsent(answerWithCode('code-1')),
    ...timing,
  });
  open.push(f);
  return f;
};

const saveLocalProvider = async (f: ApiFixture): Promise<void> => {
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      clientSecret: CLIENT_SECRET,
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
};

const connectOne = async (f: ApiFixture): Promise<string> => {
  await saveLocalProvider(f);
  return ok(await f.api.connect({ providerId: 'local' })).account.id;
};

const storedCiphertexts = (kv: MemoryKv): string[] =>
  Object.values((kv.store.secrets ?? {}) as Record<string, string>);

describe('no real protection (basic_text), the default', () => {
  it('keeps tokens in memory only, says so, and explains what to do', async () => {
    const kv = new MemoryKv();
    const f = session(kv, BASIC_TEXT);
    const accountId = await connectOne(f);

    expect(storedCiphertexts(kv)).toEqual([]);
    expect(JSON.stringify(kv.store)).not.toContain(ACCESS);
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    expect(await f.clipboard.readText()).toBe(ACCESS);

    const { secrets } = ok(await f.api.getStatus());
    expect(secrets).toMatchObject({
      persistent: false,
      protection: 'basic_text',
      weak: true,
      weakStorageOptIn: false,
      weakStorageAvailable: true,
    });
  });

  it('after a restart the account is listed but needs reconnecting', async () => {
    const kv = new MemoryKv();
    const accountId = await connectOne(session(kv, BASIC_TEXT));
    const next = session(kv, BASIC_TEXT);
    const [view] = ok(await next.api.listAccounts());
    expect(view).toMatchObject({ id: accountId, status: 'reconnect-needed' });
    expect(view?.lastError?.message).toMatch(/memory only/);
    const error = failed(await next.api.copyToken({ accountId, format: 'bare' }));
    expect(error).toMatchObject({ group: 'refresh', code: 0 });
    expect(error.message).toMatch(/reconnect/);
    expect(failed(await next.api.refreshAccount({ accountId })).message).toMatch(/memory only/);
  });

  it('after a restart a provider’s client secret is gone too: connecting says so before any sign-in', async () => {
    const kv = new MemoryKv();
    const first = session(kv, BASIC_TEXT);
    const github = { presetId: 'github', clientId: 'Iv1.at-rest' } as const;
    ok(await first.api.saveProvider({ ...github, clientSecret: CLIENT_SECRET }));
    first.dispose();

    // Without it, the requests would go out unauthenticated: invalid_client after the sign-in.
    const next = createApiFixture({ kv, secretProtection: BASIC_TEXT }); // no consent may open
    open.push(next);
    const error = failed(await next.api.connect({ providerId: 'github' }));
    expect(error).toMatchObject({ group: 'oauth', code: 1 });
    expect(error.message).toMatch(/has no client secret for GitHub.*Enter it again/);
  });
});

describe('opting in and out of storing with weak protection', () => {
  it('opting in writes what this session holds to disk at once, and a restart reads it', async () => {
    const kv = new MemoryKv();
    const f = session(kv, BASIC_TEXT);
    const accountId = await connectOne(f);

    expect(ok(await f.api.saveSettings({ persistWeakSecrets: true })).persistWeakSecrets).toBe(
      true,
    );
    const stored = storedCiphertexts(kv);
    expect(stored).toHaveLength(2); // the client secret and the account's tokens
    for (const cipher of stored) expect(cipher.startsWith(TEST_SECRET_PREFIX)).toBe(true);
    const { secrets } = ok(await f.api.getStatus());
    expect(secrets).toMatchObject({ persistent: true, weakStorageOptIn: true });
    expect(secrets.weak).toBe(true);

    const next = session(kv, BASIC_TEXT);
    ok(await next.api.copyToken({ accountId, format: 'bare' }));
    expect(await next.clipboard.readText()).toBe(ACCESS);
  });

  it('opting out removes every ciphertext from disk at once, and this session keeps working', async () => {
    const kv = new MemoryKv();
    const f = session(kv, BASIC_TEXT);
    ok(await f.api.saveSettings({ persistWeakSecrets: true }));
    const accountId = await connectOne(f);
    expect(storedCiphertexts(kv)).toHaveLength(2);

    ok(await f.api.saveSettings({ persistWeakSecrets: false }));
    expect(storedCiphertexts(kv)).toEqual([]);
    expect(ok(await f.api.getStatus()).secrets.persistent).toBe(false);
    ok(await f.api.refreshAccount({ accountId })); // the client secret is still known
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
  });

  it('cannot store anything where no encryption exists, opt-in or not', async () => {
    const kv = new MemoryKv();
    const f = session(kv, NONE);
    ok(await f.api.saveSettings({ persistWeakSecrets: true }));
    await connectOne(f);
    expect(storedCiphertexts(kv)).toEqual([]);
    const { secrets } = ok(await f.api.getStatus());
    expect(secrets.persistent).toBe(false);
    // So the window does not offer an opt-in that would change nothing.
    expect(secrets.weakStorageAvailable).toBe(false);
  });

  it('a good keyring stores without any opt-in and has nothing to warn about', async () => {
    const kv = new MemoryKv();
    const f = session(kv, KEYRING);
    await connectOne(f);
    expect(storedCiphertexts(kv)).toHaveLength(2);
    const { secrets } = ok(await f.api.getStatus());
    expect(secrets).toMatchObject({ persistent: true, protection: 'gnome_libsecret', weak: false });
    expect(secrets.previousProtection).toBeUndefined();
  });
});

describe('a keyring that changed between sessions', () => {
  it('is detected and explained, the unreadable tokens are kept, and the old keyring brings them back', async () => {
    const kv = new MemoryKv();
    const keyringKey = Buffer.alloc(32, 7);
    const accountId = await connectOne(session(kv, KEYRING, keyringKey));
    const before = storedCiphertexts(kv);

    // Next start: the keyring is gone, safeStorage falls back to basic_text (another key).
    const fallback = session(kv, BASIC_TEXT, Buffer.alloc(32, 9));
    const { secrets } = ok(await fallback.api.getStatus());
    expect(secrets.previousProtection).toBe('gnome_libsecret');
    expect(secrets.protection).toBe('basic_text');
    const error = failed(await fallback.api.copyToken({ accountId, format: 'bare' }));
    expect(error).toMatchObject({ group: 'storage', code: 1 });
    expect(error.message).toMatch(/gnome_libsecret/);
    expect(error.message).toMatch(/basic_text/);
    // Working in that session writes the file, but never over what it could not read.
    ok(await fallback.api.saveSettings({ clipboardClearSeconds: 60 }));
    expect(storedCiphertexts(kv)).toEqual(before);

    // The keyring is back: everything works again.
    const restored = session(kv, KEYRING, keyringKey);
    expect(ok(await restored.api.getStatus()).secrets.previousProtection).toBeUndefined();
    ok(await restored.api.copyToken({ accountId, format: 'bare' }));
    expect(await restored.clipboard.readText()).toBe(ACCESS);
  });

  it('the list says from the start which accounts cannot be read, before a copy fails', async () => {
    const kv = new MemoryKv();
    const keyringKey = Buffer.alloc(32, 7);
    const accountId = await connectOne(session(kv, KEYRING, keyringKey));

    const fallback = session(kv, BASIC_TEXT, Buffer.alloc(32, 9));
    await vi.waitFor(async () =>
      expect(ok(await fallback.api.listAccounts())).toMatchObject([
        {
          id: accountId,
          status: 'reconnect-needed',
          hasToken: false,
          lastError: { group: 'storage', code: 1 },
        },
      ]),
    );

    // Under the protection that wrote them, nothing is decrypted before it is needed.
    const box = createTestSecretBox(keyringKey);
    const decrypt = vi.spyOn(box, 'decrypt');
    const restored = createApiFixture({ kv, secretProtection: KEYRING, secretBox: box });
    open.push(restored);
    expect(ok(await restored.api.listAccounts())[0]).toMatchObject({ status: 'ok' });
    expect(decrypt).not.toHaveBeenCalled();
  });

  it('a background refresh in the session without the keyring records nothing: the keyring brings the account back', async () => {
    const kv = new MemoryKv();
    const keyringKey = Buffer.alloc(32, 7);
    const clock = new FakeClock(Date.now());
    const accountId = await connectOne(session(kv, KEYRING, keyringKey, { clock }));

    // A day without the keyring, long enough for the background refresh to come due.
    const fallback = session(kv, BASIC_TEXT, Buffer.alloc(32, 9), { clock, keepFresh: true });
    await clock.advance(56 * 60_000);
    await vi.waitFor(async () =>
      expect(ok(await fallback.api.listAccounts())[0]).toMatchObject({
        status: 'reconnect-needed',
        hasToken: false,
        lastError: { group: 'storage', code: 1 },
      }),
    );
    expect(provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token')).toEqual(
      [],
    );
    fallback.dispose();

    // The keyring is back: the account is as it was, refreshes, and copies.
    const restored = session(kv, KEYRING, keyringKey, { clock, keepFresh: true });
    const [account] = ok(await restored.api.listAccounts());
    expect(account).toMatchObject({ status: 'ok', hasToken: true, canRefresh: true });
    expect(account?.lastError).toBeUndefined();
    ok(await restored.api.refreshAccount({ accountId }));
    ok(await restored.api.copyToken({ accountId, format: 'bare' }));
    expect(await restored.clipboard.readText()).toBe('access-token-2');
  });

  it('a reconnect without the keyring leaves no stale tokens for the next start to hand out', async () => {
    const kv = new MemoryKv();
    const keyringKey = Buffer.alloc(32, 7);
    const clock = new FakeClock(Date.now());
    const accountId = await connectOne(session(kv, KEYRING, keyringKey, { clock }));
    await clock.advance(3 * 60 * 60_000);

    // Without the keyring the user reconnects: the new tokens live in memory only.
    provider.script.code = () =>
      tokenReply({ access_token: 'at-reconnected', refresh_token: 'rt-2', expires_in: 3600 });
    const fallback = session(kv, BASIC_TEXT, Buffer.alloc(32, 9), { clock });
    await saveLocalProvider(fallback); // the client secret, typed again: the old one is unreadable
    ok(await fallback.api.connect({ providerId: 'local' }));
    fallback.dispose();
    await clock.advance(10 * 60_000);

    // Back with the keyring: the account's tokens are gone (said so), not the old grant's
    // expired access token passed off as fresh.
    const restored = session(kv, KEYRING, keyringKey, { clock });
    const [account] = ok(await restored.api.listAccounts());
    // No token to copy or refresh: the row says so instead of counting down a token that is gone.
    expect(account).toMatchObject({
      status: 'reconnect-needed',
      hasToken: false,
      canRefresh: false,
    });
    const error = failed(await restored.api.copyToken({ accountId, format: 'bare' }));
    expect(error).toMatchObject({ group: 'refresh', code: 0 });
    expect(await restored.clipboard.readText()).toBe('');
  });
});
