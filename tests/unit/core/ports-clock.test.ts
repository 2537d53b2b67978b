/**
 * The Clock port is an interface with methods: any implementation must work, a class whose
 * methods use `this` included (a shell clock, a test clock). The core must call them on the
 * clock, never detached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../main/core/ports';
import { createApiFixture, ok } from '../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../helpers/scripted-consent';
import { startTinyOAuthProvider, type TinyOAuthProvider } from '../helpers/tiny-oauth-provider';

const DAY = 24 * 60 * 60 * 1000;

/** A clock one day ahead of the wall clock, written as an ordinary class. */
class AheadClock implements Clock {
  private readonly offset = DAY;
  now(): number {
    return Date.now() + this.offset;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
}

let provider: TinyOAuthProvider;
beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());

describe('a class-based Clock', () => {
  const setUp = async () => {
    const f = createApiFixture({
      consent: scriptedConsent(answerWithCode()),
      clock: new AheadClock(),
    });
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
    return f;
  };

  it('connects an account, with expiry computed on that clock', async () => {
    const f = await setUp();
    try {
      const before = Date.now() + DAY;
      const { account } = ok(await f.api.connect({ providerId: 'local' }));
      // The provider said expires_in 3600: one hour from the clock's now, not the wall clock's.
      expect(account.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(account.expiresAt).toBeLessThan(before + 3_600_000 + 60_000);
    } finally {
      f.dispose();
    }
  });

  it('exchanges an external code', async () => {
    const f = await setUp();
    try {
      const answer = ok(await f.api.exchange({ provider: 'local', code: 'external-code' }));
      expect(answer.token).toBe('access-token-1');
    } finally {
      f.dispose();
    }
  });
});
