/**
 * Signing in with a code (RFC 8628) through the real core and API, on a fake clock and an
 * in-memory provider: the app polls at the interval the provider names, waits longer after each
 * `slow_down`, stops at the code's expiry however long the provider says "pending", stops at
 * once on Cancel, and turns a denial or an expired code into an error that says so; nothing is
 * saved when it fails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../../main/core/http/http-client';
import { isError } from '../../../../shared/errors';
import type { ConnectProgress } from '../../../../shared/model';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { createRs256Signer } from '../../../support/rs256-signer';

const ORIGIN = 'https://id.example.test';
const DEVICE_CODE = 'device-code-that-stays-in-main-0123456789';

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

const tokens = () =>
  json(200, {
    access_token: 'device-access-token',
    refresh_token: 'device-refresh-token',
    token_type: 'Bearer',
    expires_in: 3600,
  });

const oauthError = (error: string, status = 400) => json(status, { error });

interface Provider {
  /** Clock time of each token request. */
  readonly polls: number[];
  readonly deviceRequests: URLSearchParams[];
  fetch: FetchLike;
}

/**
 * The provider's device endpoint answers `device`; its token endpoint answers the n-th poll
 * (1-based) with `poll(n)`; user-info names user-1.
 */
const fakeProvider = (
  clock: FakeClock,
  poll: (n: number) => Response,
  device: Record<string, unknown> = {},
): Provider => {
  const polls: number[] = [];
  const deviceRequests: URLSearchParams[] = [];
  return {
    polls,
    deviceRequests,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      switch (url.pathname) {
        case '/device':
          deviceRequests.push(new URLSearchParams(init?.body as URLSearchParams | string));
          return Promise.resolve(
            json(200, {
              device_code: DEVICE_CODE,
              user_code: 'BDWP-HQPK',
              verification_uri: `${ORIGIN}/activate`,
              expires_in: 60,
              interval: 5,
              ...device,
            }),
          );
        case '/token':
          polls.push(clock.now());
          return Promise.resolve(poll(polls.length));
        case '/userinfo':
          return Promise.resolve(json(200, { sub: 'user-1', email: 'user@example.test' }));
        default:
          return Promise.resolve(json(404, {}));
      }
    },
  };
};

let fixture: ApiFixture | undefined;
afterEach(() => {
  fixture?.dispose();
  fixture = undefined;
});

const start = async (provider: Provider, clock: FakeClock) => {
  const f = createApiFixture({ clock, fetch: provider.fetch, consentTimeoutMs: 30 * 60_000 });
  fixture = f;
  ok(
    await f.api.saveProvider({
      id: 'tv',
      presetId: 'oauth2',
      clientId: 'tokendesk-device',
      scopes: ['read', 'write'],
      consentMode: 'device-code',
      endpoints: {
        authorization: `${ORIGIN}/authorize`,
        token: `${ORIGIN}/token`,
        userinfo: `${ORIGIN}/userinfo`,
        deviceAuthorization: `${ORIGIN}/device`,
      },
    }),
  );
  const progress: ConnectProgress[] = [];
  f.core.events.on('connectProgress', (p) => progress.push(p));
  const startedAt = clock.now();
  const connecting = f.api.connect({ providerId: 'tv' });
  return { f, progress, startedAt, connecting };
};

/** Seconds after the start at which each poll went out. */
const pollSeconds = (provider: Provider, startedAt: number) =>
  provider.polls.map((at) => (at - startedAt) / 1000);

describe('signing in with a code', () => {
  it('shows the code and polls at the named interval until tokens come; the account is saved', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, (n) =>
      n < 3 ? oauthError('authorization_pending') : tokens(),
    );
    const { f, progress, startedAt, connecting } = await start(provider, clock);
    await clock.advance(15_000);

    const { account } = ok(await connecting);
    expect(account.subject).toBe('user-1');
    expect(pollSeconds(provider, startedAt)).toEqual([5, 10, 15]);
    expect(provider.deviceRequests[0]?.get('scope')).toBe('read write');
    const waiting = progress.find((p) => p.stage === 'waiting-for-device');
    expect(waiting?.device).toEqual({
      userCode: 'BDWP-HQPK',
      verificationUri: `${ORIGIN}/activate`,
      expiresAt: startedAt + 60_000,
    });
    // What the renderer hears never carries the device code.
    expect(JSON.stringify(progress)).not.toContain(DEVICE_CODE);
    expect(f.core.accounts.list().map((a) => a.id)).toEqual([account.id]);
  });

  it('slow_down lengthens the interval by 5 s for the rest of the sign-in', async () => {
    const clock = new FakeClock();
    const answers = ['authorization_pending', 'slow_down', 'authorization_pending'];
    const provider = fakeProvider(clock, (n) => {
      const error = answers[n - 1];
      return error !== undefined ? oauthError(error) : tokens();
    });
    const { startedAt, connecting } = await start(provider, clock);
    await clock.advance(40_000);

    ok(await connecting);
    expect(pollSeconds(provider, startedAt)).toEqual([5, 10, 20, 30]);
  });

  it('the RFC default of 5 s applies when the provider names no interval', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(
      clock,
      (n) => (n < 2 ? oauthError('authorization_pending') : tokens()),
      { interval: undefined },
    );
    const { startedAt, connecting } = await start(provider, clock);
    await clock.advance(10_000);

    ok(await connecting);
    expect(pollSeconds(provider, startedAt)).toEqual([5, 10]);
  });

  it('a poll lost on the network is tried again later (interval doubled), and the sign-in goes on', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, (n) => {
      if (n === 2)
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
      return n < 3 ? oauthError('authorization_pending') : tokens();
    });
    const { startedAt, connecting } = await start(provider, clock);
    await clock.advance(30_000);

    ok(await connecting);
    expect(pollSeconds(provider, startedAt)).toEqual([5, 10, 20]);
  });

  it('a provider unreachable poll after poll: the sign-in ends with the network error, saves nothing', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(
      clock,
      () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      },
      { expires_in: 600 },
    );
    const { f, startedAt, connecting } = await start(provider, clock);
    await clock.advance(200_000);

    const error = failed(await connecting);
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toContain('refused the connection (ECONNREFUSED)');
    // The first try and the three tolerated retries, each after twice the wait before it.
    expect(pollSeconds(provider, startedAt)).toEqual([5, 15, 35, 75]);
    expect(f.core.accounts.list()).toEqual([]);
  });

  it('a provider that answers authorization_pending for ever: stops at expires_in with deviceCodeExpired, saves nothing', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => oauthError('authorization_pending'));
    const { f, startedAt, connecting } = await start(provider, clock);
    await clock.advance(120_000);

    const error = failed(await connecting);
    expect(isError(error, 'deviceCodeExpired')).toBe(true);
    expect(error.message).toContain('connect again');
    // Every poll fell before the code's expiry (60 s), none at or after it.
    expect(pollSeconds(provider, startedAt)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(f.core.accounts.list()).toEqual([]);
    expect(clock.pending).toEqual([]);
  });

  it('Cancel stops the polling: consentCancelled, and no request after it', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => oauthError('authorization_pending'));
    const { f, connecting } = await start(provider, clock);
    await clock.advance(7_000);
    expect(provider.polls).toHaveLength(1);

    expect(ok(await f.api.cancelConnect({ providerId: 'tv' })).cancelled).toBe(true);
    const error = failed(await connecting);
    await clock.advance(60_000);

    expect(isError(error, 'consentCancelled')).toBe(true);
    expect(provider.polls).toHaveLength(1);
    expect(clock.pending).toEqual([]);
    expect(f.core.accounts.list()).toEqual([]);
  });

  it('access_denied is deviceDenied, and nothing is saved', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, (n) =>
      n < 2 ? oauthError('authorization_pending') : oauthError('access_denied'),
    );
    const { f, connecting } = await start(provider, clock);
    await clock.advance(10_000);

    const error = failed(await connecting);
    expect(isError(error, 'deviceDenied')).toBe(true);
    expect(error.message).toContain('denied');
    expect(f.core.accounts.list()).toEqual([]);
    expect(provider.polls).toHaveLength(2);
  });

  it('expired_token is deviceCodeExpired, and nothing is saved', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => oauthError('expired_token'));
    const { f, connecting } = await start(provider, clock);
    await clock.advance(5_000);

    const error = failed(await connecting);
    expect(isError(error, 'deviceCodeExpired')).toBe(true);
    expect(f.core.accounts.list()).toEqual([]);
  });

  it('a provider with no device authorization endpoint: deviceUnsupported, nothing sent', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => tokens());
    const f = createApiFixture({ clock, fetch: provider.fetch });
    fixture = f;
    ok(
      await f.api.saveProvider({
        id: 'plain',
        presetId: 'oauth2',
        clientId: 'tokendesk-device',
        consentMode: 'device-code',
        endpoints: { authorization: `${ORIGIN}/authorize`, token: `${ORIGIN}/token` },
      }),
    );

    const error = failed(await f.api.connect({ providerId: 'plain' }));

    expect(isError(error, 'deviceUnsupported')).toBe(true);
    expect(provider.deviceRequests).toEqual([]);
    expect(provider.polls).toEqual([]);
  });

  it('the countdown shown ends at the connect time limit when that comes first', async () => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => oauthError('authorization_pending'), {
      expires_in: 900,
    });
    const f = createApiFixture({ clock, fetch: provider.fetch, consentTimeoutMs: 120_000 });
    fixture = f;
    ok(
      await f.api.saveProvider({
        id: 'tv',
        presetId: 'oauth2',
        clientId: 'tokendesk-device',
        consentMode: 'device-code',
        endpoints: {
          authorization: `${ORIGIN}/authorize`,
          token: `${ORIGIN}/token`,
          deviceAuthorization: `${ORIGIN}/device`,
        },
      }),
    );
    const progress: ConnectProgress[] = [];
    f.core.events.on('connectProgress', (p) => progress.push(p));
    const startedAt = clock.now();
    const connecting = f.api.connect({ providerId: 'tv' });
    await clock.advance(130_000);

    const error = failed(await connecting);
    expect(isError(error, 'consentTimedOut')).toBe(true);
    const shown = progress.find((p) => p.stage === 'waiting-for-device')?.device;
    expect(shown?.expiresAt).toBe(startedAt + 120_000);
    expect(provider.polls.every((at) => at < startedAt + 120_000)).toBe(true);
  });
});

describe("GitHub's device flow", () => {
  it("reads GitHub's HTTP-200 errors as errors: pending, slow_down, then the token", async () => {
    const clock = new FakeClock();
    const polls: number[] = [];
    const answers = ['authorization_pending', 'slow_down'];
    const answer = (input: Parameters<FetchLike>[0]): Response => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      if (url.href === 'https://github.com/login/device/code') {
        return json(200, {
          device_code: DEVICE_CODE,
          user_code: 'WDJB-MJHT',
          verification_uri: 'https://github.com/login/device',
          expires_in: 899,
          interval: 5,
        });
      }
      if (url.href === 'https://github.com/login/oauth/access_token') {
        polls.push(clock.now());
        const error = answers[polls.length - 1];
        // GitHub: HTTP 200 whatever the answer.
        return error !== undefined
          ? json(200, { error, error_description: 'as GitHub says it' })
          : json(200, {
              access_token: 'gho_devicetoken',
              token_type: 'bearer',
              scope: 'read:user',
            });
      }
      if (url.href === 'https://api.github.com/user')
        return json(200, { id: 42, login: 'octocat' });
      return json(404, {});
    };
    const fetch: FetchLike = (input) => Promise.resolve(answer(input));
    const f = createApiFixture({ clock, fetch });
    fixture = f;
    ok(
      await f.api.saveProvider({
        presetId: 'github',
        clientId: 'Iv1.devicedevice',
        clientSecret: 'github-client-secret',
        consentMode: 'device-code',
      }),
    );
    const startedAt = clock.now();
    const connecting = f.api.connect({ providerId: 'github' });
    await clock.advance(30_000);

    const { account } = ok(await connecting);
    expect(account.displayName).toBe('octocat');
    expect(polls.map((at) => (at - startedAt) / 1000)).toEqual([5, 10, 20]);
  });
});

describe('Copy code and Open page', () => {
  const startWithBrowser = async (device: Record<string, unknown> = {}) => {
    const clock = new FakeClock();
    const provider = fakeProvider(clock, () => oauthError('authorization_pending'), device);
    const opened: string[] = [];
    const f = createApiFixture({
      clock,
      fetch: provider.fetch,
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    });
    fixture = f;
    ok(
      await f.api.saveProvider({
        id: 'tv',
        presetId: 'oauth2',
        clientId: 'tokendesk-device',
        consentMode: 'device-code',
        endpoints: {
          authorization: `${ORIGIN}/authorize`,
          token: `${ORIGIN}/token`,
          deviceAuthorization: `${ORIGIN}/device`,
        },
      }),
    );
    const connecting = f.api.connect({ providerId: 'tv' });
    await clock.advance(0);
    return { f, opened, connecting, clock };
  };

  it('while the code waits: main copies the user code and opens the page with the code filled in', async () => {
    const { f, opened, connecting } = await startWithBrowser({
      verification_uri_complete: `${ORIGIN}/activate?user_code=BDWP-HQPK`,
    });

    expect(ok(await f.api.copyDeviceCode({ providerId: 'tv' }))).toEqual({ copied: true });
    expect(f.clipboard.writes.at(-1)).toBe('BDWP-HQPK');
    expect(ok(await f.api.openDevicePage({ providerId: 'tv' }))).toEqual({ opened: true });
    expect(opened).toEqual([`${ORIGIN}/activate?user_code=BDWP-HQPK`]);

    ok(await f.api.cancelConnect({ providerId: 'tv' }));
    failed(await connecting);
    // The sign-in is over: nothing to copy or open any more.
    expect(ok(await f.api.copyDeviceCode({ providerId: 'tv' }))).toEqual({ copied: false });
    expect(ok(await f.api.openDevicePage({ providerId: 'tv' }))).toEqual({ opened: false });
    expect(opened).toHaveLength(1);
  });

  it('a page that is not https (nor loopback http) is never opened', async () => {
    const { f, opened, connecting } = await startWithBrowser({
      verification_uri: 'http://phish.example.test/activate',
    });

    expect(ok(await f.api.openDevicePage({ providerId: 'tv' }))).toEqual({ opened: false });
    expect(opened).toEqual([]);
    ok(await f.api.cancelConnect({ providerId: 'tv' }));
    failed(await connecting);
  });
});

describe('the ID token of a sign-in with a code (Google)', () => {
  // Google's preset has static endpoints and takes identity from the ID token.
  const signer = createRs256Signer();
  const GOOGLE_CLIENT = 'tv-client.apps.googleusercontent.com';

  const connectGoogle = async (claims: Record<string, unknown>) => {
    const clock = new FakeClock();
    const epoch = Math.floor(Date.now() / 1000);
    const idToken = signer.sign({
      iss: 'https://accounts.google.com',
      aud: GOOGLE_CLIENT,
      sub: 'google-user-7',
      email: 'seven@example.test',
      iat: epoch,
      exp: epoch + 3600,
      ...claims,
    });
    const answer = (input: Parameters<FetchLike>[0]): Response => {
      const url = new URL(input instanceof Request ? input.url : input.toString());
      if (url.href === 'https://oauth2.googleapis.com/device/code') {
        return json(200, {
          device_code: DEVICE_CODE,
          user_code: 'GQVQ-JKEC',
          verification_url: 'https://www.google.com/device',
          verification_uri: 'https://www.google.com/device',
          expires_in: 1800,
          interval: 5,
        });
      }
      if (url.href === 'https://oauth2.googleapis.com/token') {
        return json(200, {
          access_token: 'ya29.device',
          expires_in: 3599,
          token_type: 'Bearer',
          scope: 'openid email profile',
          id_token: idToken,
        });
      }
      return json(404, {});
    };
    const f = createApiFixture({ clock, fetch: (input) => Promise.resolve(answer(input)) });
    fixture = f;
    ok(
      await f.api.saveProvider({
        presetId: 'google',
        clientId: GOOGLE_CLIENT,
        clientSecret: 'google-client-secret',
        consentMode: 'device-code',
      }),
    );
    const connecting = f.api.connect({ providerId: 'google' });
    await clock.advance(5_000);
    return { f, result: await connecting };
  };

  it('identifies the account by the ID token (no nonce in this grant)', async () => {
    const { result } = await connectGoogle({});
    const { account } = ok(result);
    expect(account.subject).toBe('google-user-7');
    expect(account.displayName).toBe('seven@example.test');
  });

  it('an ID token for another client is refused, and nothing is saved', async () => {
    const { f, result } = await connectGoogle({ aud: 'someone-else.apps.googleusercontent.com' });
    const error = failed(result);
    expect(isError(error, 'exchangeFailed')).toBe(true);
    expect(error.message).toContain('ID token');
    expect(f.core.accounts.list()).toEqual([]);
  });

  it('an ID token from another issuer is refused', async () => {
    const { result } = await connectGoogle({ iss: 'https://evil.example.test' });
    expect(failed(result).message).toContain('ID token');
  });
});
