/**
 * Machine accounts against a real oidc-provider with the client credentials grant: each way a
 * client authenticates gets a token the provider's introspection accepts, for the scope and
 * resource asked; an expired one is asked for again, once however many copies want it; a wrong
 * secret is said at once and leaves nothing saved.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentPort } from '../../main/core/ports';
import { isError } from '../../shared/errors';
import type { ChannelInput } from '../../shared/ipc-contract';
import {
  FORBIDDEN_SCOPE,
  MACHINE_CLIENTS,
  MACHINE_RESOURCE,
  startMachineServer,
  type MachineServer,
} from '../support/oidc-machine-server';
import { createCoreFixture, failed, fixtureReaders, ok, type CoreFixture } from './core-fixture';
import { waitUntil } from './oidc-app';

const nobodySignsIn: ConsentPort = {
  begin: () => Promise.reject(new Error('a machine account must not open a sign-in')),
};

describe('machine accounts (oidc-provider, client credentials)', () => {
  let server: MachineServer;
  let fixtures: CoreFixture[] = [];

  beforeAll(async () => {
    server = await startMachineServer();
  });
  afterAll(() => server.stop());
  beforeEach(() => {
    server.setAccessTokenTtl(3600);
    server.resetCounts();
    server.events.splice(0);
  });
  afterEach(() => {
    for (const fixture of fixtures) fixture.dispose();
    fixtures = [];
  });

  const newApp = () => {
    const fixture = createCoreFixture(nobodySignsIn, { keepFresh: false });
    fixtures.push(fixture);
    return { ...fixture, ...fixtureReaders(fixture) };
  };

  /** A provider configured as the user would, by its issuer, for one of the server's clients. */
  const saveProvider = async (
    app: ReturnType<typeof newApp>,
    credential: Partial<ChannelInput<'saveProvider'>> & { clientId: string },
  ) =>
    ok(
      await app.api.saveProvider({
        id: 'services',
        presetId: 'oidc',
        issuer: server.issuer,
        ...credential,
      }),
    );

  const basic = {
    clientId: MACHINE_CLIENTS.basic.clientId,
    clientSecret: MACHINE_CLIENTS.basic.clientSecret,
    clientAuth: 'client_secret_basic',
  } as const;

  /** The token a copy puts on the clipboard. */
  const copied = async (app: ReturnType<typeof newApp>, accountId: string): Promise<string> => {
    ok(await app.api.copyToken({ accountId, format: 'bare' }));
    const token = app.clipboard.writes.at(-1);
    if (token === undefined) throw new Error('nothing copied');
    return token;
  };

  it.each([
    ['client_secret_basic', () => basic],
    [
      'client_secret_post',
      () =>
        ({
          clientId: MACHINE_CLIENTS.post.clientId,
          clientSecret: MACHINE_CLIENTS.post.clientSecret,
          clientAuth: 'client_secret_post',
        }) as const,
    ],
    [
      'private_key_jwt (PEM)',
      () =>
        ({
          clientId: MACHINE_CLIENTS.jwt.clientId,
          clientAuth: 'private_key_jwt',
          privateKey: server.clientKey.pem,
          keyId: server.clientKey.kid,
        }) as const,
    ],
    [
      'private_key_jwt (JWK with its kid)',
      () =>
        ({
          clientId: MACHINE_CLIENTS.jwt.clientId,
          clientAuth: 'private_key_jwt',
          privateKey: JSON.stringify(server.clientKey.jwk),
        }) as const,
    ],
  ])(
    '%s: the token is active at the provider for the scope and resource asked',
    async (_method, credential) => {
      const app = newApp();
      const provider = await saveProvider(app, credential());
      expect(provider.clientAuth).toBe(credential().clientAuth);

      const { account, created } = ok(
        await app.api.addMachineAccount({
          providerId: 'services',
          name: 'deploy bot',
          scopes: ['api:read'],
          resources: [MACHINE_RESOURCE],
          audience: 'deploy-api',
        }),
      );
      expect(created).toBe(true);
      expect(account).toMatchObject({
        displayName: `deploy bot (client ${credential().clientId})`,
        machine: { name: 'deploy bot', audience: 'deploy-api', resources: [MACHINE_RESOURCE] },
        status: 'ok',
        canRefresh: true,
        scopes: ['api:read'],
      });
      expect(server.grants).toEqual({ count: 1, audiences: ['deploy-api'] });

      const token = await copied(app, account.id);
      expect(await server.introspect(token)).toMatchObject({
        active: true,
        client_id: credential().clientId,
        scope: 'api:read',
        aud: MACHINE_RESOURCE,
      });
      // Listed with the other accounts, and the copy needed no new token.
      expect((await app.accounts()).map((a) => a.id)).toEqual([account.id]);
      expect(server.grants.count).toBe(1);
      expect(server.events).toEqual([]);
    },
  );

  it('without a resource the token is the client’s own, with the scopes asked', async () => {
    const app = newApp();
    await saveProvider(app, basic);
    const { account } = ok(
      await app.api.addMachineAccount({
        providerId: 'services',
        name: 'reader',
        scopes: ['api:read', 'api:write'],
      }),
    );
    const claims = await server.introspect(await copied(app, account.id));
    expect(claims).toMatchObject({ active: true, client_id: MACHINE_CLIENTS.basic.clientId });
    expect(String(claims.scope).split(' ').sort()).toEqual(['api:read', 'api:write']);
  });

  it('an expired token is asked for again, and 50 copies at once send one token request', async () => {
    server.setAccessTokenTtl(2);
    const app = newApp();
    await saveProvider(app, basic);
    const { account } = ok(
      await app.api.addMachineAccount({
        providerId: 'services',
        name: 'short',
        scopes: ['api:read'],
      }),
    );
    const first = (await app.secrets(account.id)).accessToken;
    const expiresAt = account.expiresAt ?? Infinity;
    expect(expiresAt).toBeLessThan(Date.now() + 5_000);
    expect(await waitUntil(() => Date.now() > expiresAt + 50, 6_000, 50)).toBe(true);
    expect((await server.introspect(first)).active).toBe(false);
    server.resetCounts();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        app.api.copyToken({ accountId: account.id, format: 'bare' }),
      ),
    );
    answers.forEach((answer) => ok(answer));

    expect(server.grants.count).toBe(1);
    const tokens = new Set(app.clipboard.writes);
    expect(tokens.size).toBe(1);
    const [token = ''] = tokens;
    expect(token).not.toBe(first);
    expect(await server.introspect(token)).toMatchObject({ active: true, scope: 'api:read' });
    const after = await app.account(account.id);
    expect(after?.obtainedAt).toBeGreaterThan(account.obtainedAt);
    expect(after?.status).toBe('ok');
  });

  it('Refresh asks for a new token at once; the command line’s name for it finds it', async () => {
    const app = newApp();
    await saveProvider(app, basic);
    const { account } = ok(
      await app.api.addMachineAccount({ providerId: 'services', name: 'ci-deploy', scopes: [] }),
    );
    const before = (await app.secrets(account.id)).accessToken;
    const refreshed = ok(await app.api.refreshAccount({ accountId: account.id }));
    const after = (await app.secrets(account.id)).accessToken;
    expect(after).not.toBe(before);
    expect(refreshed.status).toBe('ok');
    expect(server.grants.count).toBe(2);
    expect((await server.introspect(after)).active).toBe(true);
    // `tokendesk token services:ci-deploy` goes through the same selection.
    expect(app.core.accounts.select({ name: 'services:ci-deploy' }).id).toBe(account.id);
  });

  it('a wrong client secret is said at once, and nothing is saved', async () => {
    const app = newApp();
    await saveProvider(app, { ...basic, clientSecret: 'not-the-secret-0123456789' });
    const before = await app.storeText();

    const error = failed(
      await app.api.addMachineAccount({ providerId: 'services', name: 'ci', scopes: ['api:read'] }),
    );
    expect(isError(error, 'invalidClient')).toBe(true);
    expect(error.message).toMatch(/invalid_client/);
    expect(error.message).toMatch(/secret or private key/);
    expect(JSON.stringify(error)).not.toContain('not-the-secret');
    expect(await app.accounts()).toEqual([]);
    expect(await app.storeText()).toBe(before);
    expect(server.grants.count).toBe(1);
  });

  it('a private key the provider does not know is refused the same way, nothing saved', async () => {
    const app = newApp();
    const { privateKey } = await import('node:crypto').then((crypto) =>
      crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    );
    await saveProvider(app, {
      clientId: MACHINE_CLIENTS.jwt.clientId,
      clientAuth: 'private_key_jwt',
      privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
    const error = failed(
      await app.api.addMachineAccount({ providerId: 'services', name: 'ci', scopes: ['api:read'] }),
    );
    expect(isError(error, 'invalidClient')).toBe(true);
    expect(await app.accounts()).toEqual([]);
  });

  it('a scope the client may not have is machine/0 with the provider’s words', async () => {
    const app = newApp();
    await saveProvider(app, basic);
    const error = failed(
      await app.api.addMachineAccount({
        providerId: 'services',
        name: 'ci',
        scopes: [FORBIDDEN_SCOPE],
      }),
    );
    expect(isError(error, 'machineTokenRefused')).toBe(true);
    expect(error.message).toMatch(/invalid_scope/);
    expect(await app.accounts()).toEqual([]);
  });

  it('Disconnect revokes the token at the provider', async () => {
    const app = newApp();
    await saveProvider(app, basic);
    const { account } = ok(
      await app.api.addMachineAccount({ providerId: 'services', name: 'ci', scopes: ['api:read'] }),
    );
    const token = (await app.secrets(account.id)).accessToken;
    const { revocation } = ok(await app.api.disconnect({ accountId: account.id }));
    expect(revocation).toEqual({ status: 'revoked' });
    expect((await server.introspect(token)).active).toBe(false);
    expect(await app.accounts()).toEqual([]);
  });
});
