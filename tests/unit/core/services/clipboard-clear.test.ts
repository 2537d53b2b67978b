/**
 * Clearing the clipboard after a copy, on by default (90 s) and changeable: only if it still holds
 * the token Tokendesk put there, never what the user copied since, and never when it is off.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const ACCESS = 'at-clipboard-4d4d';

let provider: TinyOAuthProvider;
let f: ApiFixture;
let clock: FakeClock;
let accountId: string;

beforeEach(async () => {
  provider = await startTinyOAuthProvider();
  provider.script.code = () =>
    tokenReply({ access_token: ACCESS, refresh_token: 'rt', expires_in: 86_400, scope: 'read' });
  provider.script.userinfo = () => ({ status: 200, json: { sub: 'user-1' } });
  clock = new FakeClock(Date.now());
  f = createApiFixture({ clock, consent: scriptedConsent(answerWithCode('code-1')) });
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  accountId = ok(await f.api.connect({ providerId: 'local' })).account.id;
});

afterEach(async () => {
  f.dispose();
  await provider.close();
});

describe('clipboard clearing', () => {
  it('is on by default: the token is cleared 90 s after a copy', async () => {
    expect(ok(await f.api.getSettings()).clipboardClearSeconds).toBe(90);
    const copied = ok(await f.api.copyToken({ accountId, format: 'bare' }));
    expect(copied.clearsAt).toBe(clock.now() + 90_000);
    await clock.advance(89_000);
    expect(await f.clipboard.readText()).toBe(ACCESS);
    await clock.advance(1_000);
    expect(await f.clipboard.readText()).toBe('');
  });

  it('can be turned off: the token stays on the clipboard, also after a restart', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: null }));
    const copied = ok(await f.api.copyToken({ accountId, format: 'bare' }));
    expect(copied.clearsAt).toBeUndefined();
    await clock.advance(3_600_000);
    expect(await f.clipboard.readText()).toBe(ACCESS);
    const next = createApiFixture({ kv: f.kv });
    expect(ok(await next.api.getSettings()).clipboardClearSeconds).toBeNull();
    next.dispose();
  });

  it('clears the token after the chosen delay, and says when', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    const copied = ok(await f.api.copyToken({ accountId, format: 'header' }));
    expect(copied.clearsAt).toBe(clock.now() + 30_000);
    await clock.advance(29_000);
    expect(await f.clipboard.readText()).toBe(`Authorization: Bearer ${ACCESS}`);
    await clock.advance(1_000);
    expect(await f.clipboard.readText()).toBe('');
  });

  it('clears a token still waiting for its delay when the app quits first', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    await clock.advance(5_000);
    expect(f.core.hasPendingClipboardClear()).toBe(true);

    await f.core.clearClipboardBeforeQuit();
    f.core.dispose();

    expect(await f.clipboard.readText()).toBe('');
    expect(f.core.hasPendingClipboardClear()).toBe(false);
  });

  it('clears on wake a token whose delay passed while the machine slept', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    await clock.advance(10_000);
    clock.sleep(2 * 3_600_000);
    expect(await f.clipboard.readText()).toBe(ACCESS);

    await f.core.wake();

    expect(await f.clipboard.readText()).toBe('');
  });

  it('leaves alone what the user copied since', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    await f.clipboard.writeText('the user’s own text');
    await clock.advance(60_000);
    expect(await f.clipboard.readText()).toBe('the user’s own text');
  });

  it('a second copy restarts the delay, and only its text is cleared', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    await clock.advance(20_000);
    ok(await f.api.copyToken({ accountId, format: 'json' }));
    await clock.advance(20_000);
    expect(await f.clipboard.readText()).toContain(ACCESS);
    await clock.advance(10_000);
    expect(await f.clipboard.readText()).toBe('');
  });

  it('turning it off stops the next copy from being cleared', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.saveSettings({ clipboardClearSeconds: null }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    await clock.advance(60_000);
    expect(await f.clipboard.readText()).toBe(ACCESS);
  });

  it('refuses a delay outside 5 s – 1 h with a field error, keeping the old one', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    const error = failed(await f.api.saveSettings({ clipboardClearSeconds: 2 }));
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail?.[0]?.field).toBe('clipboardClearSeconds');
    expect(ok(await f.api.getSettings()).clipboardClearSeconds).toBe(30);
  });

  it('takes a field sent as undefined for "unchanged", as IPC may deliver it', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(
      await f.api.saveSettings({ clipboardClearSeconds: undefined, persistWeakSecrets: undefined }),
    );
    expect(ok(await f.api.getSettings())).toEqual({
      clipboardClearSeconds: 30,
      persistWeakSecrets: false,
      commandLineAccess: false,
    });
    const copied = ok(await f.api.copyToken({ accountId, format: 'bare' }));
    expect(copied.clearsAt).toBe(clock.now() + 30_000);
  });

  it('survives a restart: the setting is stored', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 45 }));
    const next = createApiFixture({ kv: f.kv });
    expect(ok(await next.api.getSettings()).clipboardClearSeconds).toBe(45);
    next.dispose();
  });
});

describe('copying a redirect URI', () => {
  it('copies the exact URI to register, per preset and configuration ID', async () => {
    expect(ok(await f.api.copyRedirectUri({ presetId: 'github', id: 'github-work' }))).toEqual({
      redirectUri: 'http://127.0.0.1/callback/github-work',
    });
    expect(await f.clipboard.readText()).toBe('http://127.0.0.1/callback/github-work');
    // Entra registers desktop redirects on localhost; the ID defaults to the preset's.
    expect(ok(await f.api.copyRedirectUri({ presetId: 'microsoft' })).redirectUri).toBe(
      'http://localhost/callback/microsoft',
    );
  });

  it('leaves a pending token clear alone, and is itself never cleared', async () => {
    ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
    ok(await f.api.copyToken({ accountId, format: 'bare' }));
    ok(await f.api.copyRedirectUri({ presetId: 'oidc', id: 'corp' }));
    await clock.advance(60_000);
    expect(await f.clipboard.readText()).toBe('http://127.0.0.1/callback/corp');
  });

  it('refuses an unknown preset with a field error', async () => {
    const error = failed(await f.api.copyRedirectUri({ presetId: 'myspace' as 'github' }));
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail?.[0]?.field).toBe('presetId');
  });
});
