/**
 * Refresh tokens and client secrets never leave the main process: not in any API answer, not in
 * any event pushed to the renderer, not on the clipboard, and not in the log. Codes, verifiers
 * and access tokens stay out of the log too. The secrets are checked to have really been used
 * (sent to the provider), so a test that sees nothing is not a test that saw nothing happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayloads } from '../../../../shared/ipc-contract';
import { TOKEN_FORMATS } from '../../../../shared/model';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const CLIENT_SECRET = 'cs-NEVER-LEAVES-5a1f0e9d';
const REFRESH_1 = 'rt-NEVER-LEAVES-first-77c2';
const REFRESH_2 = 'rt-NEVER-LEAVES-rotated-91ab';
const REFRESH_3 = 'rt-NEVER-LEAVES-exchange-4e0d';
const ACCESS_1 = 'at-not-in-logs-first-3c3c';
const ACCESS_2 = 'at-not-in-logs-second-8d8d';
const ACCESS_3 = 'at-not-in-logs-third-1f1f';
const AUTH_CODE = 'code-not-in-logs-6b6b';
const EXTERNAL_CODE = 'external-code-not-in-logs-2a2a';

let provider: TinyOAuthProvider;
let f: ApiFixture;
const answers: Array<{ readonly channel: string; readonly answer: unknown }> = [];
const events: Array<{ readonly name: EventName; readonly payload: unknown }> = [];

const record = <T>(channel: string, answer: T): T => {
  answers.push({ channel, answer });
  return answer;
};

beforeAll(async () => {
  provider = await startTinyOAuthProvider();
  provider.script.code = (request) =>
    request.form.code === EXTERNAL_CODE
      ? tokenReply({ access_token: ACCESS_3, refresh_token: REFRESH_3, scope: 'read' })
      : tokenReply({ access_token: ACCESS_1, refresh_token: REFRESH_1, scope: 'read' });
  provider.script.refresh = () =>
    tokenReply({ access_token: ACCESS_2, refresh_token: REFRESH_2, scope: 'read' });
  // The externally exchanged code belongs to a second person, so both accounts are disconnected.
  provider.script.userinfo = (request) => ({
    status: 200,
    json:
      request.headers.authorization === `Bearer ${ACCESS_3}`
        ? { sub: 'user-2', email: 'second@example.test' }
        : { sub: 'user-1', email: 'first@example.test' },
  });

  f = createApiFixture({
    consent: scriptedConsent(answerWithCode(AUTH_CODE)),
  });
  ok(await f.api.saveSettings({ clipboardClearSeconds: 30 }));
  for (const name of ['accountsChanged', 'connectProgress'] as const) {
    f.core.events.on(name, (payload: EventPayloads[typeof name]) => events.push({ name, payload }));
  }

  const { api } = f;
  record(
    'saveProvider',
    ok(
      await api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: CLIENT_SECRET,
        scopes: ['read'],
        endpoints: provider.endpoints,
      }),
    ),
  );
  record('listProviders', await api.listProviders());
  const { account } = ok(record('connect', await api.connect({ providerId: 'local' })));
  record('listAccounts', await api.listAccounts());
  record('refreshAccount', await api.refreshAccount({ accountId: account.id }));
  for (const format of TOKEN_FORMATS) {
    record(`copyToken ${format}`, await api.copyToken({ accountId: account.id, format }));
    answers.push({ channel: `clipboard ${format}`, answer: await f.clipboard.readText() });
  }
  record('getStatus', await api.getStatus());
  record('exchange', await api.exchange({ provider: 'local', code: EXTERNAL_CODE }));
  record('listAccounts after exchange', await api.listAccounts());
  record('cancelConnect', await api.cancelConnect({ providerId: 'local' }));
  for (const view of ok(await api.listAccounts()))
    record('disconnect', await api.disconnect({ accountId: view.id }));
  record('listAccounts after disconnect', await api.listAccounts());
  record('deleteProvider', await api.deleteProvider({ providerId: 'local' }));
});

afterAll(async () => {
  f.dispose();
  await provider.close();
});

describe('the secrets were really used', () => {
  it('sent the client secret, the code and both refresh tokens to the provider', () => {
    const forms = provider.server.requests.map((r) => r.form);
    expect(
      forms.filter((form) => form.client_secret === CLIENT_SECRET).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      forms.some((form) => form.grant_type === 'authorization_code' && form.code === AUTH_CODE),
    ).toBe(true);
    expect(
      forms.some((form) => form.grant_type === 'refresh_token' && form.refresh_token === REFRESH_1),
    ).toBe(true);
    // Disconnect revoked the rotated refresh token and the exchanged one.
    expect(forms.some((form) => form.token === REFRESH_2)).toBe(true);
    expect(forms.some((form) => form.token === REFRESH_3)).toBe(true);
  });

  it('went through every channel that handles accounts without an error', () => {
    for (const { channel, answer } of answers) {
      if (typeof answer === 'object' && answer !== null && 'ok' in answer)
        expect(answer.ok, channel).toBe(true);
    }
    expect(answers.filter((a) => a.channel === 'disconnect')).toHaveLength(2);
    expect(answers.map((a) => a.channel)).toEqual(
      expect.arrayContaining([
        'connect',
        'refreshAccount',
        'copyToken json',
        'disconnect',
        'getStatus',
      ]),
    );
    expect(events.length).toBeGreaterThan(0);
  });
});

describe('never leave the main process', () => {
  const neverLeave = [CLIENT_SECRET, REFRESH_1, REFRESH_2, REFRESH_3];

  it.each(neverLeave)('no API answer contains %s', (secret) => {
    for (const { channel, answer } of answers)
      expect(JSON.stringify(answer), channel).not.toContain(secret);
  });

  it.each(neverLeave)('no event pushed to the renderer contains %s', (secret) => {
    for (const { name, payload } of events)
      expect(JSON.stringify(payload), name).not.toContain(secret);
  });

  it('pushes accountsChanged and connectProgress events (the checks above saw real events)', () => {
    expect(new Set(events.map((e) => e.name))).toEqual(
      new Set(['accountsChanged', 'connectProgress']),
    );
  });

  it('puts the access token, and nothing secret, on the clipboard', () => {
    const copied = answers
      .filter((a) => a.channel.startsWith('clipboard'))
      .map((a) => String(a.answer));
    expect(copied).toHaveLength(TOKEN_FORMATS.length);
    for (const text of copied) {
      expect(text).toContain(ACCESS_2);
      for (const secret of neverLeave) expect(text).not.toContain(secret);
    }
  });
});

describe('the log', () => {
  const neverLogged = [
    CLIENT_SECRET,
    REFRESH_1,
    REFRESH_2,
    REFRESH_3,
    ACCESS_1,
    ACCESS_2,
    ACCESS_3,
    AUTH_CODE,
    EXTERNAL_CODE,
  ];

  it('received entries while this happened', () => {
    expect(f.logger.entries.length).toBeGreaterThan(3);
  });

  it.each(neverLogged)('never receives %s', (secret) => {
    expect(f.logger.dump()).not.toContain(secret);
  });

  it('never receives the PKCE verifier sent with the code', () => {
    const verifiers = provider.server.requests
      .map((r) => r.form.code_verifier)
      .filter((v): v is string => v !== undefined);
    expect(verifiers.length).toBeGreaterThan(0);
    for (const verifier of verifiers) expect(f.logger.dump()).not.toContain(verifier);
  });
});
