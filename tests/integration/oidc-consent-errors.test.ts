/**
 * Sign-ins that do not end in a code the app should use, through oidc-provider's real pages in
 * Chromium: the user denies, closes the window, cancels or lets it time out; an answer with a
 * forged `state` or a foreign `iss` arrives. Each gives its own clear error, adds no account,
 * leaves the store as it was, sends no code to the token endpoint, and the next attempt works.
 */
import { describe, expect, it } from 'vitest';
import { isError } from '../../shared/errors';
import { EVIL_ISSUER } from '../support/browser-consent-port';
import { failed, ok } from './core-fixture';
import { PROVIDER_ID, waitUntil, type OidcAppOptions } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

describe('failed sign-ins (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  const { newApp } = peers;

  /** An app with one account already connected, and a snapshot of what the user has. */
  const appWithAlice = async (options: OidcAppOptions = {}) => {
    const app = await newApp(options);
    const alice = ok(await app.connectAs('alice')).account;
    const snapshot = {
      accounts: await app.accounts(),
      secrets: await app.secrets(alice.id),
      file: await app.storeText(),
    };
    peers.server.resetCounts();
    const unchanged = async () => {
      expect(await app.accounts()).toEqual(snapshot.accounts);
      expect(await app.secrets(alice.id)).toEqual(snapshot.secrets);
      expect(await app.storeText()).toBe(snapshot.file);
      // No code went to the token endpoint, no window stayed open.
      expect(peers.server.counts.tokenRequests).toBe(0);
      expect(app.port.openSessions).toBe(0);
    };
    return { app, alice, unchanged };
  };

  it('the user denies consent: a consent error naming access_denied, no account, store unchanged; retrying works', async () => {
    const { app, unchanged } = await appWithAlice();

    const error = failed(await app.connectAs('bob', 'deny'));

    expect(isError(error, 'consentDenied')).toBe(true);
    expect(error.group).toBe('consent');
    expect(error.message).toContain('denied');
    expect(error.message).toContain('access_denied');
    expect(peers.server.counts.authorizationRequests).toBe(1);
    await unchanged();

    // The failed attempt does not block the next one.
    const bob = ok(await app.connectAs('bob'));
    expect(bob.created).toBe(true);
    expect(await app.accounts()).toHaveLength(2);
  });

  it('a forged state is refused as not belonging to this sign-in, and its code is never exchanged', async () => {
    const { app, unchanged } = await appWithAlice();

    const error = failed(await app.connectAs('bob', 'tamper-state'));

    expect(isError(error, 'consentStateMismatch')).toBe(true);
    expect(error.message).toContain('state mismatch');
    await unchanged();
  });

  it('an answer claiming another issuer is refused as an issuer mismatch, and its code is never exchanged', async () => {
    const { app, unchanged } = await appWithAlice();

    const error = failed(await app.connectAs('bob', 'tamper-iss'));

    expect(isError(error, 'consentIssuerMismatch')).toBe(true);
    expect(error.message).toContain('issuer mismatch');
    expect(error.traces?.join(' ')).toContain(peers.server.issuer);
    expect(error.traces?.join(' ')).toContain(EVIL_ISSUER);
    await unchanged();
  });

  it('closing the sign-in window cancels the connect', async () => {
    const { app, unchanged } = await appWithAlice();

    const error = failed(await app.connectAs('bob', 'close'));

    expect(isError(error, 'consentCancelled')).toBe(true);
    await unchanged();
  });

  it('cancelling a sign-in under way closes the window and says so', async () => {
    const { app, unchanged } = await appWithAlice();

    const connecting = app.connectAs('bob', 'hang');
    // The login page is open and waiting for the user.
    expect(await waitUntil(() => app.port.openSessions === 1, 10_000)).toBe(true);
    expect(ok(await app.api.cancelConnect({ providerId: PROVIDER_ID })).cancelled).toBe(true);

    const error = failed(await connecting);
    expect(isError(error, 'consentCancelled')).toBe(true);
    await unchanged();
    expect(ok(await app.api.cancelConnect({ providerId: PROVIDER_ID })).cancelled).toBe(false);
  });

  it('a sign-in left open too long is stopped with a time-out error', async () => {
    const app = await newApp({ consentTimeoutMs: 1_500 });
    const file = await app.storeText();
    peers.server.resetCounts();

    const error = failed(await app.connectAs('bob', 'hang'));

    expect(isError(error, 'consentTimedOut')).toBe(true);
    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).toBe(file);
    expect(peers.server.counts.tokenRequests).toBe(0);
    expect(app.port.openSessions).toBe(0);
  });
});
