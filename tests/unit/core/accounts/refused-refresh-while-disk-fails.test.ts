/**
 * Through the real core: when the provider refuses a refresh token while the disk refuses writes,
 * the background refresher must still stop using that token. (The "reconnect needed" status is
 * recorded with a store write; if that write fails, the account must not look refreshable.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { MemoryKv } from '../../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  oauthError,
  startTinyOAuthProvider,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const MINUTE = 60_000;
const realDelay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let provider: TinyOAuthProvider;
let f: ApiFixture | undefined;

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  f?.dispose();
  provider.reset();
});

const refreshRequests = (): number =>
  provider.server.requests.filter((r) => r.form.grant_type === 'refresh_token').length;

/**
 * Waits until no refresh is under way and no request has reached the provider for a moment:
 * the real HTTP round trips of what the fake clock fired have all finished, however slow the
 * machine (a fixed wait could end early and hide requests a loop would still send).
 */
const networkQuiet = async (fixture: ApiFixture): Promise<void> => {
  const busy = () =>
    fixture.parts.repo
      .accounts()
      .some((account) => fixture.parts.refresher.isRefreshing(account.id));
  const deadline = Date.now() + 10_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const count = provider.server.requests.length;
    if (count === seen && !busy()) return;
    seen = count;
    await realDelay(30);
  }
  throw new Error('the refreshes did not settle within 10 s');
};

/**
 * Lets the fake clock fire what is due, then waits for the network to go quiet, for a few
 * rounds. A timer loop is cut short by the fake clock (20 firings per step) and answered, not
 * thrown, so the test can report how many requests it caused.
 */
const runFor = async (
  fixture: ApiFixture,
  clock: FakeClock,
  firstStepMs: number,
  rounds: number,
): Promise<unknown> => {
  let loop: unknown;
  for (let i = 0; i < rounds; i++) {
    const error = await clock.advance(i === 0 ? firstStepMs : 0, 20).then(
      () => undefined,
      (e: unknown) => e,
    );
    loop ??= error;
    await networkQuiet(fixture);
  }
  return loop;
};

describe('a refused refresh token while the disk refuses writes', () => {
  const connectWithKeepFresh = async (): Promise<{
    clock: FakeClock;
    kv: MemoryKv;
    fixture: ApiFixture;
  }> => {
    const clock = new FakeClock();
    const kv = new MemoryKv();
    const fixture = createApiFixture({
      consent: scriptedConsent(answerWithCode()),
      clock,
      kv,
      keepFresh: true,
      random: () => 0.5,
    });
    f = fixture;
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
    ok(await fixture.api.connect({ providerId: 'local' }));
    return { clock, kv, fixture };
  };

  it('stops after one refused refresh when the status is saved (the baseline)', async () => {
    const { clock, fixture } = await connectWithKeepFresh();
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    expect(await runFor(fixture, clock, 55 * MINUTE, 5)).toBeUndefined();
    expect(refreshRequests()).toBe(1);
  });

  it('does not send the refused refresh token again and again when the status cannot be saved', async () => {
    const { clock, kv, fixture } = await connectWithKeepFresh();
    provider.script.refresh = () => oauthError(400, 'invalid_grant', 'refresh token revoked');
    kv.failWrites = true;
    const loop = await runFor(fixture, clock, 55 * MINUTE, 5);
    expect(refreshRequests(), 'refresh requests sent with the refused token').toBe(1);
    expect(loop).toBeUndefined();
    // And the user is told: the account does not keep saying "ok".
    const [account] = ok(await fixture.api.listAccounts());
    expect(account?.status).toBe('reconnect-needed');
  });
});
