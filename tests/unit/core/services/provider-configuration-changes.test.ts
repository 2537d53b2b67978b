/**
 * Changing provider configurations without sending anyone's tokens or secrets elsewhere: the Add
 * form never replaces a provider, a provider with accounts cannot be pointed at another server
 * or client (a revocation, user-info or introspection endpoint on another server included: those
 * receive tokens and the client secret), a stored client secret never follows a change of client or server, and
 * a provider cannot be deleted while a sign-in with it is under way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import {
  answerWithCode,
  scriptedConsent,
  type ConsentAnswer,
} from '../../helpers/scripted-consent';
import { startTinyOAuthProvider, type TinyOAuthProvider } from '../../helpers/tiny-oauth-provider';

let work: TinyOAuthProvider;
let home: TinyOAuthProvider;
let f: ApiFixture | undefined;

beforeAll(async () => {
  [work, home] = await Promise.all([startTinyOAuthProvider(), startTinyOAuthProvider()]);
});
afterAll(() => Promise.all([work.close(), home.close()]));
afterEach(() => {
  f?.dispose();
  f = undefined;
  work.reset();
  home.reset();
});

const fixture = (answer: ConsentAnswer = answerWithCode()): ApiFixture => {
  f = createApiFixture({ consent: scriptedConsent(answer) });
  return f;
};

const saveWork = async (api: ApiFixture['api']) =>
  ok(
    await api.saveProvider({
      intent: 'add',
      presetId: 'oauth2',
      label: 'Work IdP',
      clientId: 'work-client',
      clientSecret: 'WORK-CLIENT-SECRET',
      endpoints: work.endpoints,
    }),
  );

const sentTo = (server: TinyOAuthProvider): string => JSON.stringify(server.server.requests);

describe('Add provider', () => {
  it('refuses a configuration ID in use, naming the field, and changes nothing', async () => {
    const { api } = fixture();
    await saveWork(api);

    const error = failed(
      await api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'Home IdP',
        clientId: 'home-client',
        endpoints: home.endpoints,
      }),
    );

    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'id', expression: 'unique', argument: 'oauth2' }),
    ]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/Work IdP/);
    const [stored] = ok(await api.listProviders()).configured;
    expect(stored).toMatchObject({ label: 'Work IdP', clientId: 'work-client' });
  });

  it('adds the same preset again under another configuration ID', async () => {
    const { api } = fixture();
    await saveWork(api);
    ok(
      await api.saveProvider({
        intent: 'add',
        id: 'home',
        presetId: 'oauth2',
        clientId: 'home-client',
        endpoints: home.endpoints,
      }),
    );
    expect(
      ok(await api.listProviders())
        .configured.map((p) => p.id)
        .sort(),
    ).toEqual(['home', 'oauth2']);
  });

  it('Edit of a provider deleted meanwhile is refused, not turned into an add', async () => {
    const { api } = fixture();
    const error = failed(
      await api.saveProvider({
        intent: 'edit',
        id: 'gone',
        presetId: 'oauth2',
        clientId: 'c',
        endpoints: work.endpoints,
      }),
    );
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'id', expression: 'exists' }),
    ]);
    expect(ok(await api.listProviders()).configured).toEqual([]);
  });
});

describe('Edit of a provider with connected accounts', () => {
  it('refuses another server, and the account keeps refreshing where it signed in', async () => {
    const { api } = fixture();
    await saveWork(api);
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        endpoints: home.endpoints,
      }),
    );

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(error.message).toMatch(/1 account is connected through Work IdP: disconnect it/);
    ok(await api.refreshAccount({ accountId: account.id }));
    expect(sentTo(home)).toBe('[]');
    expect(sentTo(work)).toContain('WORK-CLIENT-SECRET');
  });

  it('refuses another client ID', async () => {
    const { api } = fixture();
    await saveWork(api);
    ok(await api.connect({ providerId: 'oauth2' }));
    const error = failed(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'other-client',
        endpoints: work.endpoints,
      }),
    );
    expect(error).toMatchObject({ group: 'oauth', code: 5 });
  });

  it('accepts a new label, scopes and sign-in mode, keeping the client secret', async () => {
    const { api } = fixture();
    await saveWork(api);
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    const saved = ok(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        label: 'Work (renamed)',
        clientId: 'work-client',
        scopes: ['read', 'write'],
        consentMode: 'system-browser',
        endpoints: work.endpoints,
      }),
    );

    expect(saved).toMatchObject({ label: 'Work (renamed)', hasClientSecret: true });
    ok(await api.refreshAccount({ accountId: account.id }));
    expect(work.server.requests.at(-1)?.form.client_secret).toBe('WORK-CLIENT-SECRET');
  });
});

describe('Another preset under an ID in use', () => {
  it('is refused on the ID, even while the provider has accounts', async () => {
    const { api } = fixture();
    await saveWork(api);
    ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(
      await api.saveProvider({
        id: 'oauth2',
        presetId: 'oidc',
        clientId: 'work-client',
        issuer: work.url,
      }),
    );

    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'id', expression: 'unique', argument: 'oauth2' }),
    ]);
  });
});

describe('Edit of a provider without accounts', () => {
  const moveToHome = (api: ApiFixture['api'], secret?: string | null) =>
    api.saveProvider({
      intent: 'edit',
      id: 'oauth2',
      presetId: 'oauth2',
      clientId: 'home-client',
      ...(secret !== undefined ? { clientSecret: secret } : {}),
      endpoints: home.endpoints,
    });

  it('never sends the stored client secret to another server: it asks for the new one', async () => {
    const { api } = fixture();
    await saveWork(api);

    const error = failed(await moveToHome(api));
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'clientSecret', expression: 'required' }),
    ]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/belongs to the old client ID or server/);
    expect(ok(await api.listProviders()).configured[0]).toMatchObject({ clientId: 'work-client' });

    // A new secret: saved, and that is what the new server gets.
    expect(ok(await moveToHome(api, 'HOME-SECRET')).hasClientSecret).toBe(true);
    ok(await api.connect({ providerId: 'oauth2' }));
    expect(sentTo(home)).toContain('HOME-SECRET');
    expect(sentTo(home)).not.toContain('WORK-CLIENT-SECRET');
  });

  it('moves as a public client when the user removes the secret', async () => {
    const { api } = fixture();
    await saveWork(api);
    expect(ok(await moveToHome(api, null)).hasClientSecret).toBe(false);
    ok(await api.connect({ providerId: 'oauth2' }));
    expect(sentTo(home)).not.toContain('WORK-CLIENT-SECRET');
  });

  it('asks again for a required secret when the client ID changes', async () => {
    const { api } = fixture();
    ok(await api.saveProvider({ presetId: 'github', clientId: 'old-id', clientSecret: 'old' }));
    const error = failed(
      await api.saveProvider({ intent: 'edit', id: 'github', presetId: 'github', clientId: 'new' }),
    );
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'clientSecret', expression: 'required' }),
    ]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/enter the new one/);
    expect(ok(await api.listProviders()).configured[0]).toMatchObject({ clientId: 'old-id' });
  });
});

describe('A revocation or user-info endpoint on another server is a move', () => {
  const editWork = (api: ApiFixture['api'], endpoints: Partial<TinyOAuthProvider['endpoints']>) =>
    api.saveProvider({
      intent: 'edit',
      id: 'oauth2',
      presetId: 'oauth2',
      clientId: 'work-client',
      endpoints: { ...work.endpoints, ...endpoints },
    });

  it('refuses a revocation endpoint on another server while an account exists: disconnect revokes where it signed in', async () => {
    const { api } = fixture();
    await saveWork(api);
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(await editWork(api, { revocation: home.endpoints.revocation }));

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(error.message).toMatch(/1 account is connected through Work IdP: disconnect it/);
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);
    expect(ok(await api.disconnect({ accountId: account.id })).revocation.status).toBe('revoked');
    expect(sentTo(home)).toBe('[]');
    expect(work.server.requests.filter((r) => r.path === '/revoke')).toHaveLength(2);
  });

  it('refuses a user-info endpoint on another server while an account exists', async () => {
    const { api } = fixture();
    await saveWork(api);
    ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(await editWork(api, { userinfo: home.endpoints.userinfo }));

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);
  });

  it('without accounts, asks for the client secret again; the other server never gets the old one', async () => {
    const { api } = fixture();
    await saveWork(api);

    const error = failed(await editWork(api, { revocation: home.endpoints.revocation }));
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'clientSecret', expression: 'required' }),
    ]);
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);

    // Entered again, it is saved with the move, and the revocation goes where the user said.
    ok(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        clientSecret: 'SECRET-FOR-BOTH',
        endpoints: { ...work.endpoints, revocation: home.endpoints.revocation },
      }),
    );
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));
    ok(await api.disconnect({ accountId: account.id }));
    expect(home.server.requests.map((r) => r.form.client_secret)).toEqual([
      'SECRET-FOR-BOTH',
      'SECRET-FOR-BOTH',
    ]);
    expect(sentTo(home)).not.toContain('WORK-CLIENT-SECRET');
  });

  it('adding a revocation endpoint on another server than the token endpoint is a move', async () => {
    const { api } = fixture();
    const { revocation: _revocation, ...withoutRevocation } = work.endpoints;
    ok(
      await api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'Work IdP',
        clientId: 'work-client',
        clientSecret: 'WORK-CLIENT-SECRET',
        endpoints: withoutRevocation,
      }),
    );
    ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(await editWork(api, { revocation: home.endpoints.revocation }));

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
  });
});

describe('An introspection endpoint on another server is a move', () => {
  // Inspect sends it the account's access token and the client secret, as revocation does.
  const editWork = (api: ApiFixture['api'], introspection: string, clientSecret?: string) =>
    api.saveProvider({
      intent: 'edit',
      id: 'oauth2',
      presetId: 'oauth2',
      clientId: 'work-client',
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      endpoints: { ...work.endpoints, introspection },
    });

  it('refuses one on another server while an account exists: Inspect keeps asking where it signed in', async () => {
    const { api } = fixture();
    ok(
      await api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'Work IdP',
        clientId: 'work-client',
        clientSecret: 'WORK-CLIENT-SECRET',
        endpoints: { ...work.endpoints, introspection: work.introspectionEndpoint },
      }),
    );
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(await editWork(api, home.introspectionEndpoint));

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(error.message).toMatch(/1 account is connected through Work IdP: disconnect it/);
    expect(ok(await api.listProviders()).configured[0]?.endpoints?.introspection).toBe(
      work.introspectionEndpoint,
    );
    expect(ok(await api.introspectToken({ accountId: account.id })).active).toBe(true);
    expect(work.server.requests.filter((r) => r.path === '/introspect')).toHaveLength(1);
    expect(sentTo(home)).toBe('[]');
  });

  it('adding one on another server than the token endpoint is a move', async () => {
    const { api } = fixture();
    await saveWork(api);
    ok(await api.connect({ providerId: 'oauth2' }));

    const error = failed(await editWork(api, home.introspectionEndpoint));

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);
  });

  it('without accounts, asks for the client secret again; the other server never gets the old one', async () => {
    const { api } = fixture();
    await saveWork(api);

    const error = failed(await editWork(api, home.introspectionEndpoint));
    expect(error.validationDetail).toEqual([
      expect.objectContaining({ field: 'clientSecret', expression: 'required' }),
    ]);
    expect(error.validationDetail?.[0]?.reason).toMatch(/belongs to the old client ID or server/);
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);

    // Entered again, it is saved with the move, and Inspect asks where the user said.
    ok(await editWork(api, home.introspectionEndpoint, 'SECRET-FOR-BOTH'));
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));
    expect(ok(await api.introspectToken({ accountId: account.id })).active).toBe(true);
    expect(home.server.requests.map((r) => [r.path, r.form.client_secret])).toEqual([
      ['/introspect', 'SECRET-FOR-BOTH'],
    ]);
    expect(sentTo(home)).not.toContain('WORK-CLIENT-SECRET');
  });

  it('one added on the token endpoint’s server, or removed, is not a move', async () => {
    const { api } = fixture();
    await saveWork(api);
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    const saved = ok(await editWork(api, work.introspectionEndpoint));
    expect(saved.hasClientSecret).toBe(true);
    expect(saved.endpoints?.introspection).toBe(work.introspectionEndpoint);
    expect(ok(await api.introspectToken({ accountId: account.id })).active).toBe(true);
    expect(work.server.requests.at(-1)).toMatchObject({
      path: '/introspect',
      form: { client_secret: 'WORK-CLIENT-SECRET' },
    });

    ok(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        endpoints: work.endpoints,
      }),
    );
    expect(failed(await api.introspectToken({ accountId: account.id })).message).toMatch(
      /Work IdP names no introspection endpoint/,
    );
    expect(sentTo(home)).toBe('[]');
  });
});

describe('Endpoints compared as they take effect', () => {
  it('an edit that drops the typed endpoints (the issuer’s discovery would name them) is a move', async () => {
    const { api } = fixture();
    ok(
      await api.saveProvider({
        intent: 'add',
        presetId: 'oidc',
        label: 'Work IdP',
        clientId: 'work-client',
        clientSecret: 'WORK-CLIENT-SECRET',
        issuer: work.url,
        scopes: ['profile'],
        endpoints: work.endpoints,
      }),
    );
    ok(await api.connect({ providerId: 'oidc' }));

    const error = failed(
      await api.saveProvider({
        intent: 'edit',
        id: 'oidc',
        presetId: 'oidc',
        clientId: 'work-client',
        issuer: work.url,
      }),
    );

    expect(error).toMatchObject({ group: 'oauth', code: 5 });
    expect(ok(await api.listProviders()).configured[0]?.endpoints).toEqual(work.endpoints);
  });
});

describe('What is not a move', () => {
  it('another path on the same server, a removed endpoint, or one added on the token endpoint’s server keep the accounts and the secret', async () => {
    const { api } = fixture();
    const { revocation: _revocation, ...withoutRevocation } = work.endpoints;
    ok(
      await api.saveProvider({
        intent: 'add',
        presetId: 'oauth2',
        label: 'Work IdP',
        clientId: 'work-client',
        clientSecret: 'WORK-CLIENT-SECRET',
        endpoints: withoutRevocation,
      }),
    );
    const { account } = ok(await api.connect({ providerId: 'oauth2' }));

    // Another path for user-info on the same server, no revocation endpoint: not a move.
    ok(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        endpoints: { ...withoutRevocation, userinfo: `${work.url}/userinfo?v=2` },
      }),
    );
    // A revocation endpoint added on the token endpoint's server: not a move either.
    const saved = ok(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'work-client',
        endpoints: work.endpoints,
      }),
    );

    expect(saved.hasClientSecret).toBe(true);
    ok(await api.refreshAccount({ accountId: account.id }));
    expect(work.server.requests.at(-1)?.form.client_secret).toBe('WORK-CLIENT-SECRET');
    expect(ok(await api.disconnect({ accountId: account.id })).revocation.status).toBe('revoked');
    expect(sentTo(home)).toBe('[]');
  });
});

describe('Edit during a sign-in', () => {
  it('refuses to point the provider elsewhere while the sign-in is under way', async () => {
    let consentShown = false;
    const { api } = fixture(() => {
      consentShown = true;
      return new Promise<URL>(() => undefined);
    });
    await saveWork(api);
    const connecting = api.connect({ providerId: 'oauth2' });
    await vi.waitFor(() => expect(consentShown).toBe(true));

    const refused = failed(
      await api.saveProvider({
        intent: 'edit',
        id: 'oauth2',
        presetId: 'oauth2',
        clientId: 'new-client',
        clientSecret: 'NEW',
        endpoints: work.endpoints,
      }),
    );
    expect(refused).toMatchObject({ group: 'consent', code: 7 });
    ok(await api.cancelConnect({ providerId: 'oauth2' }));
    failed(await connecting);
  });
});

describe('Delete during a sign-in', () => {
  it('is refused while the sign-in is under way, and works after it', async () => {
    let consentShown = false;
    const { api } = fixture(() => {
      consentShown = true;
      return new Promise<URL>(() => undefined); // the user is still on the consent page
    });
    await saveWork(api);
    const connecting = api.connect({ providerId: 'oauth2' });
    await vi.waitFor(() => expect(consentShown).toBe(true));

    const refused = failed(await api.deleteProvider({ providerId: 'oauth2' }));
    expect(refused).toMatchObject({ group: 'consent', code: 7 });
    expect(refused.message).toMatch(/finish or cancel it before deleting/);
    expect(ok(await api.listProviders()).configured).toHaveLength(1);

    ok(await api.cancelConnect({ providerId: 'oauth2' }));
    failed(await connecting);
    ok(await api.deleteProvider({ providerId: 'oauth2' }));
    expect(ok(await api.listProviders()).configured).toEqual([]);
  });
});
