/**
 * Sharing provider setups (issue 15): the exported file holds settings, never a secret or an
 * account; an import is checked as the Add form checks, all or nothing, asks before replacing an
 * ID in use, and replacing keeps the move rules. Every refusal names its field and changes
 * nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../../shared/errors';
import type { ProviderConfigView } from '../../../../shared/model';
import { MAX_IMPORT_CHARS } from '../../../../shared/ipc-contract';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import { startTinyOAuthProvider, type TinyOAuthProvider } from '../../helpers/tiny-oauth-provider';

let work: TinyOAuthProvider;
let home: TinyOAuthProvider;
const fixtures: ApiFixture[] = [];

beforeAll(async () => {
  [work, home] = await Promise.all([startTinyOAuthProvider(), startTinyOAuthProvider()]);
});
afterAll(() => Promise.all([work.close(), home.close()]));
afterEach(() => {
  for (const f of fixtures.splice(0)) f.dispose();
  work.reset();
  home.reset();
});

const fixture = (): ApiFixture => {
  const f = createApiFixture({ consent: scriptedConsent(answerWithCode()) });
  fixtures.push(f);
  return f;
};

const WORK_SECRET = 'WORK-CLIENT-SECRET-4f9a';

const saveWork = async (api: ApiFixture['api']) =>
  ok(
    await api.saveProvider({
      intent: 'add',
      presetId: 'oauth2',
      label: 'Work IdP',
      clientId: 'work-client',
      clientSecret: WORK_SECRET,
      scopes: ['read', 'write'],
      endpoints: { ...work.endpoints, revocation: `${work.url}/revoke` },
      apiHosts: ['api.work.example'],
    }),
  );

/** Several presets with each kind of field: endpoints, issuer, tenant, a required secret. */
const saveSeveral = async (api: ApiFixture['api']) => {
  await saveWork(api);
  ok(
    await api.saveProvider({
      id: 'company-sso',
      presetId: 'oidc',
      label: 'Company SSO',
      clientId: 'sso-client',
      issuer: 'https://sso.company.example/realms/dev',
      consentMode: 'system-browser',
    }),
  );
  ok(
    await api.saveProvider({
      presetId: 'microsoft',
      clientId: '00000000-0000-0000-0000-000000000001',
      tenant: 'contoso.onmicrosoft.com',
    }),
  );
  ok(
    await api.saveProvider({
      presetId: 'google',
      clientId: 'desktop.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-google-secret',
    }),
  );
};

const fileOf = (providers: unknown[], envelope: Record<string, unknown> = {}): string =>
  JSON.stringify({ tokendesk: 'providers', version: 1, providers, ...envelope });

const homeSetup = (overrides: Record<string, unknown> = {}) => ({
  id: 'oauth2',
  presetId: 'oauth2',
  label: 'Home IdP',
  clientId: 'home-client',
  endpoints: home.endpoints,
  ...overrides,
});

const fieldsOf = (error: ApiError) =>
  (error.validationDetail ?? []).map(({ field, expression }) => ({ field, expression }));

/** Refused as `request`/0, with the store exactly as before. */
const refusedImport = async (f: ApiFixture, text: string, replace?: string[]) => {
  const before = JSON.stringify(f.kv.store);
  const error = failed(await f.api.importProviders({ text, ...(replace ? { replace } : {}) }));
  expect(JSON.stringify(f.kv.store)).toBe(before);
  return error;
};

describe('export', () => {
  it('holds the settings, never the client secret nor an account', async () => {
    const f = fixture();
    await saveWork(f.api);
    const { account } = ok(await f.api.connect({ providerId: 'oauth2' }));

    const exported = ok(await f.api.exportProviders({}));

    expect(exported.count).toBe(1);
    expect(exported.json).not.toContain(WORK_SECRET);
    expect(exported.json).not.toMatch(/clientSecret|secret|hasClientSecret|clientAuth/i);
    for (const text of [account.id, account.subject, account.displayName, 'access-token-1'])
      expect(exported.json).not.toContain(text);
    expect(exported.json).not.toMatch(/accounts?"/);
    // Pretty-printed, for people to read and review.
    expect(exported.json).toContain('\n  "providers": [\n');
    expect(JSON.parse(exported.json)).toEqual({
      tokendesk: 'providers',
      version: 1,
      providers: [
        {
          id: 'oauth2',
          presetId: 'oauth2',
          label: 'Work IdP',
          clientId: 'work-client',
          scopes: ['read', 'write'],
          consentMode: 'embedded',
          endpoints: { ...work.endpoints, revocation: `${work.url}/revoke` },
          apiHosts: ['api.work.example'],
        },
      ],
    });
  });

  it('exports the providers named, or refuses an unknown one', async () => {
    const f = fixture();
    await saveSeveral(f.api);

    const one = ok(await f.api.exportProviders({ providerIds: ['company-sso'] }));
    expect(one.count).toBe(1);
    expect((JSON.parse(one.json) as { providers: { id: string }[] }).providers).toEqual([
      expect.objectContaining({
        id: 'company-sso',
        issuer: 'https://sso.company.example/realms/dev',
      }),
    ]);
    expect(ok(await f.api.exportProviders({})).count).toBe(4);

    const error = failed(await f.api.exportProviders({ providerIds: ['company-sso', 'nope'] }));
    expect(error).toMatchObject({ group: 'oauth', code: 0 });
    expect(error.message).toContain('"nope"');
  });
});

describe('import', () => {
  it('round-trips: the export imported into another Tokendesk exports the same file', async () => {
    const source = fixture();
    await saveSeveral(source.api);
    const exported = ok(await source.api.exportProviders({})).json;

    const target = fixture();
    const result = ok(await target.api.importProviders({ text: exported }));

    expect(result.conflicts).toEqual([]);
    expect(result.imported.map((view) => view.id)).toEqual([
      'oauth2',
      'company-sso',
      'microsoft',
      'google',
    ]);
    // Secrets stay personal: none came along, even for Google, which requires one.
    expect(result.imported.every((view) => !view.hasClientSecret)).toBe(true);
    expect(ok(await target.api.exportProviders({})).json).toBe(exported);
    const strip = ({ hasClientSecret: _h, clientAuth: _c, ...rest }: ProviderConfigView) => rest;
    expect(ok(await target.api.listProviders()).configured.map(strip)).toEqual(
      ok(await source.api.listProviders()).configured.map(strip),
    );
  });

  it('carries a typed introspection endpoint both ways, and the imported provider introspects there', async () => {
    const source = fixture();
    const endpoints = { ...work.endpoints, introspection: work.introspectionEndpoint };
    ok(
      await source.api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'Work IdP',
        clientId: 'work-client',
        clientSecret: WORK_SECRET,
        endpoints,
      }),
    );
    const exported = ok(await source.api.exportProviders({})).json;
    expect(
      (JSON.parse(exported) as { providers: { endpoints?: unknown }[] }).providers[0]?.endpoints,
    ).toEqual(endpoints);

    const target = fixture();
    const [imported] = ok(await target.api.importProviders({ text: exported })).imported;
    expect(imported?.endpoints).toEqual(endpoints);
    expect(ok(await target.api.exportProviders({})).json).toBe(exported);

    // Each person enters their own secret; Inspect then asks the endpoint the file named.
    ok(
      await target.api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        clientSecret: 'TARGET-SECRET',
        endpoints,
      }),
    );
    const { account } = ok(await target.api.connect({ providerId: 'oauth2' }));
    expect(ok(await target.api.introspectToken({ accountId: account.id })).active).toBe(true);
    expect(work.server.requests.at(-1)).toMatchObject({
      path: '/introspect',
      form: { client_secret: 'TARGET-SECRET' },
    });
  });

  it('carries a typed device authorization endpoint: a device-code setup signs in with a code after import too', async () => {
    const source = fixture();
    const endpoints = { ...work.endpoints, deviceAuthorization: `${work.url}/device` };
    ok(
      await source.api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'TV IdP',
        clientId: 'tv-client',
        consentMode: 'device-code',
        endpoints,
      }),
    );
    const exported = ok(await source.api.exportProviders({})).json;
    const [shared] = (JSON.parse(exported) as { providers: Record<string, unknown>[] }).providers;
    expect(shared).toMatchObject({ consentMode: 'device-code', endpoints });

    const target = fixture();
    const [imported] = ok(await target.api.importProviders({ text: exported })).imported;
    expect(imported).toMatchObject({ consentMode: 'device-code', endpoints });
    expect(ok(await target.api.exportProviders({})).json).toBe(exported);
  });

  it('a provider that requires a secret is imported without it, and asks for it before connecting', async () => {
    const f = fixture();
    ok(
      await f.api.importProviders({
        text: fileOf([{ presetId: 'github', clientId: 'Iv1.team' }]),
      }),
    );
    const error = failed(await f.api.connect({ providerId: 'github' }));
    expect(error).toMatchObject({ group: 'oauth', code: 1 });
    expect(error.message).toMatch(/no client secret for GitHub/);
  });

  it('answers the IDs in use as conflicts and saves nothing', async () => {
    const f = fixture();
    await saveWork(f.api);
    const before = JSON.stringify(f.kv.store);

    const result = ok(
      await f.api.importProviders({
        text: fileOf([
          { id: 'team-sso', presetId: 'oidc', clientId: 'c', issuer: 'https://sso.example' },
          homeSetup(),
        ]),
      }),
    );

    expect(result).toEqual({ imported: [], conflicts: ['oauth2'] });
    expect(JSON.stringify(f.kv.store)).toBe(before);
  });

  it('replaces the IDs named in replace; a stored secret stays while the provider signs in where it did', async () => {
    const f = fixture();
    await saveWork(f.api);
    const sameServer = homeSetup({
      label: 'Work IdP (team)',
      clientId: 'work-client',
      endpoints: work.endpoints,
      scopes: ['read'],
    });

    const result = ok(
      await f.api.importProviders({
        text: fileOf([
          sameServer,
          { id: 'team-sso', presetId: 'oidc', clientId: 'c', issuer: 'https://sso.example' },
        ]),
        replace: ['oauth2'],
      }),
    );

    expect(result.conflicts).toEqual([]);
    expect(result.imported).toEqual([
      expect.objectContaining({ id: 'oauth2', label: 'Work IdP (team)', hasClientSecret: true }),
      expect.objectContaining({ id: 'team-sso', hasClientSecret: false }),
    ]);
    expect(ok(await f.api.listProviders()).configured.map((view) => view.id)).toEqual([
      'oauth2',
      'team-sso',
    ]);
    // The account connected afterwards uses the kept secret at the same server.
    ok(await f.api.connect({ providerId: 'oauth2' }));
    expect(
      work.server.requests.find((request) => request.path === '/token')?.form.client_secret,
    ).toBe(WORK_SECRET);
  });

  it('a replaced provider without accounts that moves loses its stored secret: the new server never gets it', async () => {
    const f = fixture();
    await saveWork(f.api);

    const [moved] = ok(
      await f.api.importProviders({ text: fileOf([homeSetup()]), replace: ['oauth2'] }),
    ).imported;

    expect(moved).toMatchObject({ clientId: 'home-client', hasClientSecret: false });
    expect(JSON.stringify(f.kv.store)).not.toContain('client:oauth2');
    ok(await f.api.connect({ providerId: 'oauth2' }));
    expect(JSON.stringify(home.server.requests)).not.toContain(WORK_SECRET);
  });

  it('refuses to point a provider with accounts elsewhere, and saves nothing of the file', async () => {
    const f = fixture();
    await saveWork(f.api);
    ok(await f.api.connect({ providerId: 'oauth2' }));
    const before = JSON.stringify(f.kv.store);

    const error = failed(
      await f.api.importProviders({
        text: fileOf([
          { id: 'team-sso', presetId: 'oidc', clientId: 'c', issuer: 'https://sso.example' },
          homeSetup(),
        ]),
        replace: ['oauth2'],
      }),
    );

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(error.message).toMatch(/connected through Work IdP/);
    expect(error.traces).toContain('providers.1 ("oauth2") of the file');
    expect(JSON.stringify(f.kv.store)).toBe(before);
    expect(ok(await f.api.listProviders()).configured.map((view) => view.id)).toEqual(['oauth2']);
  });

  it('names a field the form would refuse in the saved provider’s terms', async () => {
    const f = fixture();
    await saveWork(f.api);
    const error = await refusedImport(
      f,
      fileOf([{ id: 'oauth2', presetId: 'oidc', clientId: 'c', issuer: 'https://sso.example' }]),
      ['oauth2'],
    );
    expect(fieldsOf(error)).toEqual([{ field: 'providers.0.id', expression: 'unique' }]);
  });

  it('keeps the write all or nothing when the disk refuses it', async () => {
    const f = fixture();
    f.kv.failWrites = true;
    const error = failed(
      await f.api.importProviders({
        text: fileOf([homeSetup(), { presetId: 'github', clientId: 'Iv1.team' }]),
      }),
    );
    expect(error.group).not.toBe('request');
    f.kv.failWrites = false;
    expect(ok(await f.api.listProviders()).configured).toEqual([]);
  });
});

describe('a bad file is refused, naming what is wrong, and changes nothing', () => {
  it('a member named like a secret, wherever it is and even empty, by its path, never its value', async () => {
    const f = fixture();
    await saveWork(f.api);
    const error = await refusedImport(
      f,
      JSON.stringify({
        tokendesk: 'providers',
        version: 1,
        password: 'hunter2-top-level',
        providers: [
          homeSetup({ clientSecret: '' }),
          homeSetup({
            id: 'second',
            endpoints: { ...home.endpoints, client_secret: 'S3CRET-in-endpoints' },
          }),
          homeSetup({ id: 'third', scopes: [{ refreshToken: 'S3CRET-deep' }] }),
          homeSetup({ id: 'fourth', accessToken: null }),
        ],
      }),
    );
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(fieldsOf(error).sort((a, b) => a.field.localeCompare(b.field))).toEqual([
      { field: 'password', expression: 'secret' },
      { field: 'providers.0.clientSecret', expression: 'secret' },
      { field: 'providers.1.endpoints.client_secret', expression: 'secret' },
      { field: 'providers.2.scopes.0.refreshToken', expression: 'secret' },
      { field: 'providers.3.accessToken', expression: 'secret' },
    ]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/named like a secret/);
    expect(JSON.stringify(error)).not.toMatch(/hunter2|S3CRET/);
  });

  it('the endpoints named token and authorization, and the file’s marker, are no secrets', async () => {
    const f = fixture();
    ok(await f.api.importProviders({ text: fileOf([homeSetup()]) }));
  });

  it('a wrong envelope or entry names the path', async () => {
    const f = fixture();
    const cases: [string, { field: string; expression: string }[]][] = [
      [
        fileOf([homeSetup()], { tokendesk: 'accounts' }),
        [{ field: 'tokendesk', expression: 'enum' }],
      ],
      [
        JSON.stringify({ version: 1, providers: [homeSetup()] }),
        [{ field: 'tokendesk', expression: 'enum' }],
      ],
      [fileOf([homeSetup()], { version: 2 }), [{ field: 'version', expression: 'enum' }]],
      [
        fileOf([homeSetup()], { exported: 'today' }),
        [{ field: 'exported', expression: 'unknown' }],
      ],
      [fileOf([]), [{ field: 'providers', expression: 'min' }]],
      [JSON.stringify([homeSetup()]), [{ field: '', expression: 'type' }]],
      [
        fileOf([
          homeSetup({ id: 'a' }),
          homeSetup({ id: 'b' }),
          homeSetup({ id: 'c', scopes: 'read write' }),
        ]),
        [{ field: 'providers.2.scopes', expression: 'type' }],
      ],
      [
        fileOf([homeSetup({ colour: 'blue' }), 'oauth2']),
        [
          { field: 'providers.0.colour', expression: 'unknown' },
          { field: 'providers.1', expression: 'type' },
        ],
      ],
      [
        fileOf([homeSetup({ intent: 'add' })]),
        [{ field: 'providers.0.intent', expression: 'unknown' }],
      ],
      [
        fileOf([
          homeSetup({ endpoints: { ...home.endpoints, token: 'http://idp.example/token' } }),
        ]),
        [{ field: 'providers.0.endpoints.token', expression: 'url' }],
      ],
      [
        fileOf([
          homeSetup({
            endpoints: { ...home.endpoints, introspection: 'http://idp.example/introspect' },
          }),
        ]),
        [{ field: 'providers.0.endpoints.introspection', expression: 'url' }],
      ],
      [
        fileOf([{ presetId: 'oidc', clientId: 'c' }]),
        [{ field: 'providers.0.issuer', expression: 'rule' }],
      ],
      [
        fileOf([{ presetId: 'google', clientId: 'g', consentMode: 'embedded' }]),
        [{ field: 'providers.0.consentMode', expression: 'system-browser' }],
      ],
    ];
    for (const [text, expected] of cases) {
      const error = await refusedImport(f, text);
      expect(error, text).toMatchObject({ group: 'request', code: 0 });
      expect(fieldsOf(error), text).toEqual(expected);
    }
    expect(ok(await f.api.listProviders()).configured).toEqual([]);
  });

  it('text that is not JSON, without quoting it', async () => {
    const f = fixture();
    const error = await refusedImport(f, 'client_id=team-client SECRET-LOOKING-TEXT-93be');
    expect(fieldsOf(error)).toEqual([{ field: 'text', expression: 'json' }]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/^must be the JSON text/);
    expect(JSON.stringify(error)).not.toContain('SECRET-LOOKING');
  });

  it('text longer than the limit', async () => {
    const f = fixture();
    const error = await refusedImport(f, fileOf([homeSetup()]).padEnd(MAX_IMPORT_CHARS + 1, ' '));
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'text', expression: 'max', argument: MAX_IMPORT_CHARS }),
    ]);
  });

  it('two entries with one configuration ID (given, or the preset’s)', async () => {
    const f = fixture();
    const error = await refusedImport(
      f,
      fileOf([
        { presetId: 'github', clientId: 'Iv1.a' },
        homeSetup({ id: 'team' }),
        { id: 'github', presetId: 'github', clientId: 'Iv1.b' },
      ]),
    );
    expect(error.validationDetail).toEqual([
      expect.objectContaining({
        field: 'providers.2.id',
        expression: 'unique',
        argument: 'github',
        reason: expect.stringContaining('providers.0') as string,
      }),
    ]);
  });

  it('deep nesting is refused, not a crash', async () => {
    const f = fixture();
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const error = await refusedImport(f, fileOf([]).replace('[]', deep));
    expect(error).toMatchObject({ group: 'request', code: 0 });
  });
});
