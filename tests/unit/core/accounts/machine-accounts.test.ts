/**
 * Machine accounts in the core, on the scriptable provider and a fake clock: the Refresher asks
 * for a new token with the client credentials grant when one is due, once however many callers
 * want it; the background timer schedules them like the others; a refusal when adding saves
 * nothing; and the private key of private_key_jwt is treated as the secret it is.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { refreshLead } from '../../../../main/core/accounts/timing';
import { isError } from '../../../../shared/errors';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock } from '../../helpers/fake-clock';
import { MemoryKv } from '../../helpers/memory-kv';
import {
  oauthError,
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const MINUTE = 60_000;

let provider: TinyOAuthProvider;
let fixtures: ApiFixture[] = [];

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
});
afterAll(() => provider.close());
afterEach(() => {
  for (const f of fixtures) f.dispose();
  fixtures = [];
  provider.reset();
});

const grants = () =>
  provider.server.requests.filter((r) => r.form.grant_type === 'client_credentials');

/** Each client credentials request gets a new token, living `lifetimeS` seconds. */
const issuing = (lifetimeS = 3600) => {
  let n = 0;
  provider.script.clientCredentials = () => {
    n += 1;
    return tokenReply({ access_token: `machine-token-${n}`, expires_in: lifetimeS });
  };
};

const setUp = async (options: { keepFresh?: boolean } = {}) => {
  const clock = new FakeClock(Date.now());
  const f = createApiFixture({ clock, keepFresh: options.keepFresh ?? false });
  fixtures.push(f);
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      label: 'Local IdP',
      clientId: 'svc-client',
      clientSecret: 'svc-client-secret',
      clientAuth: 'client_secret_post',
      endpoints: provider.endpoints,
    }),
  );
  return { f, clock };
};

const addMachine = async (f: ApiFixture) =>
  ok(
    await f.api.addMachineAccount({
      providerId: 'local',
      name: 'deploy',
      scopes: ['api:read'],
      audience: 'https://api.example.test',
      resources: ['https://api.example.test/', 'https://other.example.test/'],
    }),
  ).account;

describe('machine accounts in the Refresher', () => {
  it('asks with the client credentials grant, the client’s secret and what the account names', async () => {
    issuing();
    const { f } = await setUp();
    const account = await addMachine(f);
    expect(account).toMatchObject({
      displayName: 'deploy (client svc-client)',
      canRefresh: true,
      hasToken: true,
    });
    const [request] = grants();
    expect(request?.form).toMatchObject({
      grant_type: 'client_credentials',
      client_id: 'svc-client',
      client_secret: 'svc-client-secret',
      scope: 'api:read',
      audience: 'https://api.example.test',
    });
    expect(new URLSearchParams(request?.body).getAll('resource')).toEqual([
      'https://api.example.test/',
      'https://other.example.test/',
    ]);
  });

  it('a due token is asked for again once, however many copies and Refresh clicks want it', async () => {
    issuing(600);
    const { f, clock } = await setUp();
    const account = await addMachine(f);
    clock.sleep(10 * MINUTE);

    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? f.api.refreshAccount({ accountId: account.id }).then((a) => (ok(a), 'refreshed'))
          : f.api
              .copyToken({ accountId: account.id, format: 'bare' })
              .then((a) => (ok(a), 'copied')),
      ),
    );

    expect(answers).toHaveLength(30);
    expect(grants()).toHaveLength(2); // the add's, and one re-request
    expect(new Set(f.clipboard.writes)).toEqual(new Set(['machine-token-2']));
  });

  it('a token still good is handed out as held: no request', async () => {
    issuing();
    const { f } = await setUp();
    const account = await addMachine(f);
    ok(await f.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(grants()).toHaveLength(1);
    expect(f.clipboard.writes).toEqual(['machine-token-1']);
  });

  it('the background timer schedules it like any account and asks again before expiry', async () => {
    issuing(3600);
    const { f, clock } = await setUp({ keepFresh: true });
    const account = await addMachine(f);
    const stored = f.parts.repo.account(account.id);
    if (!stored) throw new Error('not stored');
    const due = (account.expiresAt ?? 0) - refreshLead(stored);
    expect(f.parts.scheduler.nextRunAt).toBe(due);

    await clock.advance(due - clock.now());
    await f.core.settled();

    expect(grants()).toHaveLength(2);
    const after = ok(await f.api.listAccounts())[0];
    expect(after?.obtainedAt).toBe(due);
    expect(after?.status).toBe('ok');
  });

  it('a refusal later marks it and the background timer stops asking', async () => {
    issuing(600);
    const { f, clock } = await setUp({ keepFresh: true });
    const account = await addMachine(f);
    provider.script.clientCredentials = () => oauthError(401, 'invalid_client', 'bad secret');
    clock.sleep(10 * MINUTE);
    const error = failed(await f.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(isError(error, 'invalidClient')).toBe(true);
    await f.core.settled();
    const [view] = ok(await f.api.listAccounts());
    expect(view?.status).toBe('reconnect-needed');
    expect(f.parts.scheduler.nextRunAt).toBeUndefined();
  });
});

describe('a machine account after a restart without a keyring', () => {
  it('asks for a new token once its client secret is entered again: nothing to reconnect', async () => {
    issuing();
    const kv = new MemoryKv();
    const first = createApiFixture({ kv, persistSecrets: false });
    fixtures.push(first);
    const save = (f: ApiFixture) =>
      f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'svc-client',
        clientSecret: 'svc-client-secret',
        clientAuth: 'client_secret_basic',
        endpoints: provider.endpoints,
      });
    ok(await save(first));
    const account = await addMachine(first);
    first.dispose();

    const second = createApiFixture({ kv, persistSecrets: false });
    fixtures.push(second);
    const [listed] = ok(await second.api.listAccounts());
    expect(listed).toMatchObject({ id: account.id, hasToken: true, canRefresh: true });
    // The secret was in memory only too: the copy says to enter it, not to reconnect.
    const missing = failed(await second.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(isError(missing, 'providerNotConfigured')).toBe(true);
    ok(await save(second));
    ok(await second.api.copyToken({ accountId: account.id, format: 'bare' }));
    expect(second.clipboard.writes).toEqual(['machine-token-2']);
  });
});

describe('adding a machine account', () => {
  it('a wrong client secret is invalidClient and saves nothing', async () => {
    provider.script.clientCredentials = () => oauthError(401, 'invalid_client', 'bad secret');
    const { f } = await setUp();
    const before = JSON.stringify(f.kv.store);
    const error = failed(await f.api.addMachineAccount({ providerId: 'local', name: 'ci' }));
    expect(isError(error, 'invalidClient')).toBe(true);
    expect(error.message).toContain('invalid_client: bad secret');
    expect(ok(await f.api.listAccounts())).toEqual([]);
    expect(JSON.stringify(f.kv.store)).toBe(before);
  });

  it('the same grant again is the same account; another resource is another', async () => {
    issuing();
    const { f } = await setUp();
    const first = await addMachine(f);
    const again = ok(
      await f.api.addMachineAccount({
        providerId: 'local',
        name: 'deploy renamed',
        scopes: ['api:read'],
        audience: 'https://api.example.test',
        resources: ['https://other.example.test/', 'https://api.example.test/'],
      }),
    );
    expect(again.created).toBe(false);
    expect(again.account.id).toBe(first.id);
    expect(again.account.displayName).toBe('deploy renamed (client svc-client)');
    const other = ok(
      await f.api.addMachineAccount({ providerId: 'local', name: 'deploy', scopes: ['api:read'] }),
    );
    expect(other.created).toBe(true);
    expect(ok(await f.api.listAccounts())).toHaveLength(2);
  });
});

describe('the private key of private_key_jwt', () => {
  const pem = () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();

  const save = (f: ApiFixture, fields: Record<string, unknown>) =>
    f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'svc-client',
      endpoints: provider.endpoints,
      ...fields,
    });

  it('signs the request, and is never in an answer, the log or a shared setup', async () => {
    issuing();
    const f = createApiFixture();
    fixtures.push(f);
    const key = pem();
    const view = ok(await save(f, { clientAuth: 'private_key_jwt', privateKey: key, keyId: 'k1' }));
    expect(view).toMatchObject({
      clientAuth: 'private_key_jwt',
      hasPrivateKey: true,
      hasClientSecret: false,
      keyId: 'k1',
    });
    ok(await f.api.addMachineAccount({ providerId: 'local', name: 'ci' }));
    const [request] = grants();
    expect(request?.form).toMatchObject({
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    });
    const header = JSON.parse(
      Buffer.from(request?.form.client_assertion?.split('.')[0] ?? '', 'base64url').toString(),
    ) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'ES256', kid: 'k1' });

    const body = key.split('\n')[1] ?? key;
    const answers = JSON.stringify([
      ok(await f.api.listProviders()),
      ok(await f.api.listAccounts()),
      ok(await f.api.exportProviders({})),
    ]);
    expect(answers).not.toContain(body);
    expect(JSON.stringify(f.logger.entries)).not.toContain(body);
    expect(JSON.stringify(f.kv.store)).not.toContain(body);
    // A shared setup naming a private key is refused, whatever its value.
    const shared = JSON.stringify({
      tokendesk: 'providers',
      version: 1,
      providers: [{ id: 'other', presetId: 'oauth2', clientId: 'x', privateKey: 'x' }],
    });
    const refused = failed(await f.api.importProviders({ text: shared }));
    expect(refused.validationDetail?.[0]).toMatchObject({
      field: 'providers.0.privateKey',
      expression: 'secret',
    });
  });

  it('a public key, or text that is no key, is refused by the form, unechoed', async () => {
    const f = createApiFixture();
    fixtures.push(f);
    const publicPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString();
    for (const privateKey of [
      publicPem,
      'not a key',
      '{"kty":"EC","crv":"P-256","x":"a","y":"b"}',
    ]) {
      const error = failed(await save(f, { clientAuth: 'private_key_jwt', privateKey }));
      expect(error.validationDetail).toEqual([
        expect.objectContaining({ field: 'privateKey', expression: 'rule' }),
      ]);
      expect(JSON.stringify(error)).not.toContain(privateKey.slice(0, 30));
    }
    expect(ok(await f.api.listProviders()).configured).toEqual([]);
  });

  it('a change of method must bring the new credential: a secret is never used as a key', async () => {
    const f = createApiFixture();
    fixtures.push(f);
    ok(await save(f, { clientSecret: 'the-secret', clientAuth: 'client_secret_basic' }));
    const toKey = failed(await save(f, { clientAuth: 'private_key_jwt' }));
    expect(toKey.validationDetail?.[0]).toMatchObject({
      field: 'privateKey',
      expression: 'required',
    });
    ok(await save(f, { clientAuth: 'private_key_jwt', privateKey: pem() }));
    const back = failed(await save(f, { clientAuth: 'client_secret_post' }));
    expect(back.validationDetail?.[0]).toMatchObject({
      field: 'clientSecret',
      expression: 'required',
    });
    const both = failed(
      await save(f, { clientAuth: 'private_key_jwt', clientSecret: 'the-secret' }),
    );
    expect(both.validationDetail?.[0]).toMatchObject({ field: 'clientSecret', expression: 'rule' });
  });
});
