/**
 * What the connector tells the consent port, and how it reports the port's own refusal: the
 * window's title names the provider as the user labelled it, and a port that cannot begin for a
 * reason of its own (the loopback listener finding ::1 held on every port) is shown in its words,
 * not as a generic "could not be opened".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsentPort } from '../../../../main/core/ports';
import { CoreFailure } from '../../../../main/core/core-failure';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { scriptedConsent } from '../../helpers/scripted-consent';
import { startTinyIdentityServer, type TinyIdentityServer } from '../oauth/tiny-identity-server';

let idp: TinyIdentityServer;
let f: ApiFixture | undefined;
beforeAll(async () => {
  idp = await startTinyIdentityServer({
    issuerPath: '/idp',
    paths: { authorization: '/idp/authorize', token: '/idp/token', userinfo: '/idp/userinfo' },
  });
});
afterAll(() => idp.close());
afterEach(() => {
  f?.dispose();
  f = undefined;
});

const save = (fixture: ApiFixture) =>
  fixture.api.saveProvider({
    id: 'work',
    presetId: 'oidc',
    label: 'Work SSO',
    clientId: idp.clientId,
    issuer: idp.issuer,
  });

describe('the consent request', () => {
  it('names the provider by the label the user gave it', async () => {
    const consent = scriptedConsent(idp.consent());
    f = createApiFixture({ consent });
    ok(await save(f));
    ok(await f.api.connect({ providerId: 'work' }));
    expect(consent.requests.map((r) => r.providerName)).toEqual(['Work SSO']);
  });

  it('a port that refuses to begin with its own reason is shown with that reason', async () => {
    const reason = new CoreFailure(
      'consentUnavailable',
      'another program holds ::1 (IPv6 localhost) at every port tried',
    );
    const refusing: ConsentPort = { begin: () => Promise.reject(reason) };
    f = createApiFixture({ consent: refusing });
    ok(await save(f));
    const error = failed(await f.api.connect({ providerId: 'work' }));
    expect(error.message).toBe(reason.message);
  });
});
