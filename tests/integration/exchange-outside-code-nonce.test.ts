/**
 * exchange({ provider, code }) takes a code the user obtained outside the app, normally through
 * an OpenID Connect client that sent a nonce: the ID token then carries that nonce, which the app
 * cannot know. Such an exchange succeeds, for Google and Microsoft Entra ID through the shipped
 * presets pointed at the local fakes (tests/unit/core/oauth/exchange-outside-code-nonce.test.ts shows
 * the rest of the ID token is still checked).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGoogle, type FakeGoogle } from '../support/fake-google';
import { startFakeMicrosoft, type FakeMicrosoft } from '../support/fake-microsoft';
import { s256Challenge } from '../support/pkce-check';
import { ok } from './core-fixture';
import { createProviderApp, type ProviderApp } from './providers-app';

describe('exchange of a code whose ID token carries a nonce from outside the app', () => {
  let google: FakeGoogle;
  let entra: FakeMicrosoft;
  let apps: ProviderApp[] = [];

  beforeAll(async () => {
    [google, entra] = await Promise.all([startFakeGoogle(), startFakeMicrosoft()]);
  });
  afterAll(async () => {
    await Promise.all([google?.stop(), entra?.stop()]);
  });
  afterEach(() => {
    for (const app of apps) app.dispose();
    apps = [];
    expect(google.errors).toEqual([]);
    expect(entra.errors).toEqual([]);
  });

  const track = (app: ProviderApp): ProviderApp => {
    apps.push(app);
    return app;
  };

  it('Google: the code becomes an account keyed by the ID token’s sub', async () => {
    const app = track(createProviderApp({ google }));
    await app.save({
      presetId: 'google',
      clientId: google.clientId,
      clientSecret: google.clientSecret,
    });
    const verifier = 'outside-verifier-'.padEnd(50, 'n');
    const code = google.createCode('frank', {
      redirectUri: 'http://127.0.0.1/callback/google',
      codeChallenge: s256Challenge(verifier),
      codeChallengeMethod: 'S256',
      nonce: 'nonce-of-another-client-0123456789',
    });
    const answer = ok(await app.api.exchange({ provider: 'google', code, codeVerifier: verifier }));
    expect(answer.success).toBe(true);
    expect(await app.account(answer.accountId)).toMatchObject({
      subject: google.userFor('frank').sub,
      displayName: 'frank@gmail.example',
    });
  });

  it('Microsoft: the code becomes an account', async () => {
    const app = track(createProviderApp({ microsoft: entra }));
    await app.save({ presetId: 'microsoft', clientId: entra.clientId });
    const code = entra.createCode('adele', {
      redirectUri: 'http://localhost/callback/microsoft',
      nonce: 'nonce-of-another-client-0123456789',
    });
    const answer = ok(await app.api.exchange({ provider: 'microsoft', code }));
    expect(await app.account(answer.accountId)).toMatchObject({
      displayName: entra.userFor('adele').preferredUsername,
    });
  });
});
