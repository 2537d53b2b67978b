/**
 * What a provider through a token backend leaves where the user can read it (issue 16):
 * - the store file (its raw text) and every answer and event the window got — provider lists,
 *   exports, accounts, connects, refreshes, copies, errors — never hold the backend credential,
 *   a refresh token, the code or a client secret in clear, across connect, refresh (with and
 *   without a new refresh token) and a failed refresh;
 * - disconnect says revoking is the backend's business and sends nothing to the provider's
 *   revocation endpoint (nor to GitHub's API): the token stays alive at the provider;
 * - deleting the provider removes its credential from the store.
 */
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../shared/model';
import {
  BACKEND_CREDENTIAL,
  expectNoSecretsShown,
  GITHUB_CLIENT,
  GOOGLE_CLIENT,
  PROVIDER,
  setUpBackendPeers,
  STANDARD_CLIENT,
  type BackendApp,
  type ShapeUnderTest,
} from './backend-app';
import { failed, ok } from './core-fixture';

const CLIENT_SECRETS = [GOOGLE_CLIENT, GITHUB_CLIENT, STANDARD_CLIENT].map((c) => c.clientSecret);
const SHAPES: readonly ShapeUnderTest[] = ['google', 'github', 'standard'];

describe('secrets of a provider through a token backend (oidc-provider, Chromium)', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });

  const consentFor = (shape: ShapeUnderTest) =>
    shape === 'google' ? ('system-browser' as const) : ('embedded' as const);

  /** Every refresh token, code and credential any backend saw or got from the provider. */
  const everySecretSoFar = (): string[] => {
    const values = new Set<string>([BACKEND_CREDENTIAL, ...CLIENT_SECRETS]);
    for (const backend of [peers.google, peers.github, peers.standard]) {
      for (const answer of backend.providerAnswers) {
        const refresh = answer.body.refresh_token;
        if (typeof refresh === 'string') values.add(refresh);
      }
      for (const request of backend.requests) {
        for (const name of ['code', 'code_verifier', 'refresh_token'] as const) {
          const value = request.form[name];
          if (value !== undefined && value.length >= 8) values.add(value);
        }
      }
    }
    return [...values];
  };

  it('the store file and every answer to the window hold no credential, refresh token or code, whatever happens', async () => {
    const app = peers.newApp({ consent: 'embedded' });
    const browserApp = peers.newApp({ consent: 'system-browser' });
    const accounts: { app: BackendApp; account: AccountView }[] = [];
    for (const shape of SHAPES) {
      const which = consentFor(shape) === 'embedded' ? app : browserApp;
      ok(await which.save(shape));
      accounts.push({
        app: which,
        account: ok(await which.connectAs(shape, `${shape}-s`)).account,
      });
    }
    for (const which of [app, browserApp]) {
      ok(await which.api.listProviders());
      ok(await which.api.listAccounts());
      ok(await which.api.exportProviders({}));
    }
    for (const { app: which, account } of accounts) {
      ok(await which.api.copyToken({ accountId: account.id, format: 'bare' }));
      if (account.canRefresh) {
        ok(await which.api.refreshAccount({ accountId: account.id }));
        peers.server.setRotation(false);
        ok(await which.api.refreshAccount({ accountId: account.id }));
        peers.server.setRotation(true);
        // A failed refresh: its error goes to the window too.
        const backend = peers.backendOf(
          account.providerId === PROVIDER.google ? 'google' : 'standard',
        );
        backend.fault = { kind: 'json-500' };
        failed(await which.api.refreshAccount({ accountId: account.id }));
        backend.reset();
      }
    }
    // The store holds the credential encrypted, as a secret of its own.
    const store = JSON.parse(await app.storeText()) as { secrets: Record<string, string> };
    expect(Object.keys(store.secrets)).toContain(`backend:${PROVIDER.github}`);
    expect(Object.keys(store.secrets)).toContain(`backend:${PROVIDER.standard}`);

    const secrets = everySecretSoFar();
    expect(secrets.length).toBeGreaterThan(8);
    await expectNoSecretsShown(app, secrets);
    await expectNoSecretsShown(browserApp, secrets);
  });

  for (const shape of SHAPES) {
    it(`${shape}: disconnect says revocation is the backend's business and sends nothing to the provider`, async () => {
      const app = peers.newApp({ consent: consentFor(shape) });
      ok(await app.save(shape));
      const { account } = ok(await app.connectAs(shape, `${shape}-d`));
      const { accessToken } = await app.secrets(account.id);
      peers.server.resetCounts();
      const githubCalls = peers.github.requests.length;

      const result = ok(await app.api.disconnect({ accountId: account.id }));
      expect(result.revocation.status).toBe('unsupported');
      expect(result.revocation.status === 'unsupported' && result.revocation.message).toMatch(
        /backend/i,
      );
      expect(peers.server.counts.revocationRequests).toBe(0);
      expect(peers.github.requests.length).toBe(githubCalls);
      expect(await app.accounts()).toEqual([]);
      // Nothing revoked it: the token lives on at the provider until the backend revokes it.
      expect(await peers.server.isAccessTokenActive(accessToken)).toBe(true);
      await expectNoSecretsShown(app, everySecretSoFar());
    });
  }

  it('deleting the provider removes its backend credential from the store', async () => {
    const app = peers.newApp({ consent: 'embedded' });
    ok(await app.save('standard'));
    const before = JSON.parse(await app.storeText()) as { secrets: Record<string, string> };
    expect(Object.keys(before.secrets)).toContain(`backend:${PROVIDER.standard}`);
    ok(await app.api.deleteProvider({ providerId: PROVIDER.standard }));
    const after = JSON.parse(await app.storeText()) as { secrets: Record<string, string> };
    expect(Object.keys(after.secrets).filter((k) => k.startsWith('backend:'))).toEqual([]);
  });
});
