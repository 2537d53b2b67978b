/**
 * A provider's own API hosts (for `tokendesk token --for <url>`): saved with the configuration,
 * shown in its view, kept when an edit leaves them out, emptied by an empty list, refused when
 * they are not host names.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';

const base = {
  id: 'work',
  presetId: 'oauth2' as const,
  clientId: 'client-1',
  endpoints: {
    authorization: 'https://idp.work.example/authorize',
    token: 'https://idp.work.example/token',
  },
};

let f: ApiFixture;
afterEach(() => f.dispose());

describe('a provider’s API hosts', () => {
  it('are saved, shown, kept by an edit that leaves them out, and emptied by []', async () => {
    f = createApiFixture();
    const saved = ok(
      await f.api.saveProvider({ ...base, apiHosts: ['api.work.example', '*.svc.work.example'] }),
    );
    expect(saved.apiHosts).toEqual(['api.work.example', '*.svc.work.example']);
    const relabelled = ok(await f.api.saveProvider({ ...base, label: 'Work' }));
    expect(relabelled.apiHosts).toEqual(['api.work.example', '*.svc.work.example']);
    const emptied = ok(await f.api.saveProvider({ ...base, apiHosts: [] }));
    expect(emptied.apiHosts).toBeUndefined();
    // And after a restart.
    ok(await f.api.saveProvider({ ...base, apiHosts: ['api.work.example'] }));
    const next = createApiFixture({ kv: f.kv });
    const listed = ok(await next.api.listProviders()).configured.find((p) => p.id === 'work');
    expect(listed?.apiHosts).toEqual(['api.work.example']);
    next.dispose();
  });

  it.each([
    'https://api.work.example',
    'API.work.example',
    'api.work.example:443',
    'a b',
    '*',
    '**.x.com',
  ])('refuses %s with a field error', async (host) => {
    f = createApiFixture();
    const error = failed(await f.api.saveProvider({ ...base, apiHosts: [host] }));
    expect(error.validationDetail?.map((d) => d.field)).toEqual(['apiHosts.0']);
  });
});
