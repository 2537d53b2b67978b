/**
 * What the `tokendesk` command gets from the app, through the same request lines the channel
 * carries (answerCommandLine): nothing while access is off, nothing for an account before the
 * user allows it in the app, one prompt however many commands wait, a token that lasts as long
 * as asked, every outcome in the hand-out log, and never a refresh token, an ID token or the key.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerCommandLine } from '../../../../main/core/api/command-requests';
import { EXIT_CODES, type CommandResponse } from '../../../../shared/command-line';
import type { CommandLineView } from '../../../../shared/model';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { FakeClock, settle } from '../../helpers/fake-clock';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import {
  startTinyOAuthProvider,
  tokenReply,
  type TinyOAuthProvider,
} from '../../helpers/tiny-oauth-provider';

const KEY = 'key-of-this-start';
const ACCESS = 'at-command-7e7e';
const REFRESH = 'rt-command-secret-9a9a';

let provider: TinyOAuthProvider;
let f: ApiFixture;
let clock: FakeClock;
let accountId: string;
let folder: string;

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({
    v: 1,
    key: KEY,
    op: 'token',
    subcommand: 'token',
    account: 'local',
    caller: { commandLine: 'tokendesk token local', pid: 4242, parent: 'bash ./deploy.sh' },
    ...fields,
  });

const ask = (fields: Record<string, unknown> = {}, fixture = f): Promise<CommandResponse> =>
  answerCommandLine(line(fields), KEY, fixture.core);

const tokenOf = (response: CommandResponse): string => {
  if (!response.ok || !('token' in response))
    throw new Error(`expected a token, got ${JSON.stringify(response)}`);
  return response.token.accessToken;
};

const failureOf = (response: CommandResponse) => {
  if (response.ok) throw new Error(`expected a refusal, got ${JSON.stringify(response)}`);
  return response;
};

const view = async (): Promise<CommandLineView> => ok(await f.api.getCommandLine());

/** The open prompt, once the request has reached it. */
const prompt = async () => {
  await settle();
  const [pending] = (await view()).pending;
  if (!pending) throw new Error('no approval prompt is open');
  return pending;
};

const allow = async (seconds: number | null = 3600) =>
  ok(
    await f.api.answerApproval({
      requestId: (await prompt()).id,
      decision: 'allow',
      allowForSeconds: seconds,
    }),
  );

const refreshRequests = () =>
  provider.server.requests.filter((r) => r.body?.includes('grant_type=refresh_token')).length;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'tokendesk-command-'));
  provider = await startTinyOAuthProvider();
  provider.script.code = () =>
    tokenReply({ access_token: ACCESS, refresh_token: REFRESH, expires_in: 3600, scope: 'read' });
  provider.script.userinfo = () => ({
    status: 200,
    json: { sub: 'user-1', email: 'ada@example.test' },
  });
  clock = new FakeClock(Date.now());
  f = createApiFixture({
    clock,
    consent: scriptedConsent(answerWithCode('code-1')),
    approvalTimeoutMs: 60_000,
    handOutLogFile: join(folder, 'command-line-log.json'),
  });
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'tokendesk-test',
      scopes: ['read'],
      endpoints: provider.endpoints,
    }),
  );
  accountId = ok(await f.api.connect({ providerId: 'local' })).account.id;
});

afterEach(async () => {
  f.dispose();
  await provider.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('access', () => {
  it('is off until the user turns it on: refused with its own exit code, and logged', async () => {
    expect(ok(await f.api.getSettings()).commandLineAccess).toBe(false);
    const refused = failureOf(await ask());
    expect(refused.exitCode).toBe(EXIT_CODES.accessOff);
    expect(refused.error.message).toContain('Settings');
    expect((await view()).pending).toEqual([]);
    expect((await view()).log[0]).toMatchObject({ outcome: 'access-off', subcommand: 'token' });
  });

  it('turned off again, ends every approval and refuses the prompt still open', async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const first = ask();
    await allow();
    tokenOf(await first);
    expect((await view()).approvals).toHaveLength(1);
    ok(await f.api.saveSettings({ commandLineAccess: false }));
    expect((await view()).approvals).toEqual([]);
    // On again: the approval did not come back, so the next request asks, and turning access
    // off refuses it while it waits.
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const waiting = ask();
    await prompt();
    ok(await f.api.saveSettings({ commandLineAccess: false }));
    expect(failureOf(await waiting).exitCode).toBe(EXIT_CODES.denied);
    expect((await view()).pending).toEqual([]);
  });
});

describe('approval', () => {
  beforeEach(async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
  });

  it('asks in the app first, naming the account, the subcommand and who asked', async () => {
    const events: CommandLineView[] = [];
    f.core.events.on('commandLineChanged', (v) => events.push(v));
    const answer = ask();
    const open = await prompt();
    expect(open).toMatchObject({
      accountId,
      accountName: 'local:ada@example.test',
      subcommand: 'token',
      commandLine: 'tokendesk token local',
      parent: 'bash ./deploy.sh',
      expiresAt: open.askedAt + 60_000,
    });
    expect(events.at(-1)?.pending).toHaveLength(1);
    await allow(3600);
    expect(tokenOf(await answer)).toBe(ACCESS);
    // Approved: the next request is answered without a prompt.
    expect(tokenOf(await ask())).toBe(ACCESS);
    expect((await view()).approvals).toEqual([
      { accountId, accountName: 'local:ada@example.test', until: clock.now() + 3_600_000 },
    ]);
  });

  it('fifty requests at once make one prompt, and all get the token', async () => {
    const answers = Array.from({ length: 50 }, () => ask());
    await prompt();
    expect((await view()).pending).toHaveLength(1);
    await allow();
    const tokens = (await Promise.all(answers)).map(tokenOf);
    expect(new Set(tokens)).toEqual(new Set([ACCESS]));
  });

  it('denied: refused with the denied exit code, logged, and the next request asks again', async () => {
    const answer = ask();
    ok(await f.api.answerApproval({ requestId: (await prompt()).id, decision: 'deny' }));
    const refused = failureOf(await answer);
    expect(refused.exitCode).toBe(EXIT_CODES.denied);
    expect((await view()).log[0]).toMatchObject({ outcome: 'denied', accountId });
    void ask();
    expect((await prompt()).accountId).toBe(accountId);
  });

  it('unanswered: refused after the time limit with its own exit code', async () => {
    const answer = ask();
    await prompt();
    await clock.advance(59_000);
    expect((await view()).pending).toHaveLength(1);
    await clock.advance(1_000);
    const refused = failureOf(await answer);
    expect(refused.exitCode).toBe(EXIT_CODES.timedOut);
    expect((await view()).pending).toEqual([]);
    expect((await view()).log[0]?.outcome).toBe('timed-out');
  });

  it('holds until the chosen time, then asks again', async () => {
    const first = ask();
    await allow(60);
    tokenOf(await first);
    await clock.advance(59_000);
    tokenOf(await ask());
    await clock.advance(1_000);
    void ask();
    expect((await prompt()).accountId).toBe(accountId);
  });

  it('revoked: the next request asks again', async () => {
    const first = ask();
    await allow(null);
    tokenOf(await first);
    expect((await view()).approvals[0]?.until).toBeNull();
    ok(await f.api.revokeApproval({ accountId }));
    expect((await view()).approvals).toEqual([]);
    void ask();
    expect((await prompt()).accountId).toBe(accountId);
  });

  it('a prompt already answered cannot be answered again', async () => {
    const answer = ask();
    const { id } = await prompt();
    ok(await f.api.answerApproval({ requestId: id, decision: 'allow', allowForSeconds: 600 }));
    await answer;
    const error = failed(await f.api.answerApproval({ requestId: id, decision: 'deny' }));
    expect(error).toMatchObject({ group: 'command', code: 6 });
  });

  it('a disconnected account takes its approval with it', async () => {
    const first = ask();
    await allow();
    tokenOf(await first);
    ok(await f.api.disconnect({ accountId }));
    await settle();
    expect((await view()).approvals).toEqual([]);
  });
});

describe('tokens', () => {
  beforeEach(async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const first = ask();
    await allow(null);
    tokenOf(await first);
  });

  it('hands out the access token with its use, and never a refresh token, ID token or the key', async () => {
    const answer = await ask();
    expect(answer).toMatchObject({
      ok: true,
      token: {
        accessToken: ACCESS,
        tokenType: 'Bearer',
        scopes: ['read'],
        account: { id: accountId, name: 'local:ada@example.test', status: 'ok' },
        use: { envName: 'TOKENDESK_TOKEN', gitUsername: 'oauth2' },
      },
    });
    const text = JSON.stringify(answer);
    expect(text).not.toContain(REFRESH);
    expect(text).not.toContain(KEY);
    expect(text).not.toMatch(/refresh|id_?token|secret/i);
  });

  it('--min-ttl: a token that would not last is refreshed first', async () => {
    provider.script.refresh = () => tokenReply({ access_token: 'at-fresh', expires_in: 3600 });
    await clock.advance(40 * 60_000);
    // 20 minutes left: enough for 10, not for 30.
    expect(tokenOf(await ask({ minTtlSeconds: 600 }))).toBe(ACCESS);
    expect(refreshRequests()).toBe(0);
    expect(tokenOf(await ask({ minTtlSeconds: 1800 }))).toBe('at-fresh');
    expect(refreshRequests()).toBe(1);
  });

  it('--min-ttl longer than the provider’s tokens last: a provider error that says so', async () => {
    const refused = failureOf(await ask({ minTtlSeconds: 7200 }));
    expect(refused.exitCode).toBe(EXIT_CODES.providerError);
    expect(refused.error.message).toMatch(/last 3600 s, less than the 7200 s asked/);
  });

  it('a refresh token the provider refuses: reconnect needed, with its exit code', async () => {
    provider.script.refresh = () => ({ status: 400, json: { error: 'invalid_grant' } });
    await clock.advance(3600_000);
    expect(failureOf(await ask()).exitCode).toBe(EXIT_CODES.reconnectNeeded);
  });

  it('no such account, and several: their exit codes, the candidates named', async () => {
    const none = failureOf(await ask({ account: 'nobody' }));
    expect(none.exitCode).toBe(EXIT_CODES.noSuchAccount);
    expect(none.error.message).toContain('local:ada@example.test');
    expect((await view()).log[0]).toMatchObject({ outcome: 'failed' });
  });

  it('lists the accounts with status and expiry, never a token', async () => {
    const answer = await answerCommandLine(
      JSON.stringify({
        v: 1,
        key: KEY,
        op: 'accounts',
        caller: { commandLine: 'tokendesk accounts', pid: 1 },
      }),
      KEY,
      f.core,
    );
    expect(answer).toEqual({
      ok: true,
      accounts: [
        expect.objectContaining({
          id: accountId,
          name: 'local:ada@example.test',
          status: 'ok',
          hasToken: true,
        }),
      ],
    });
    expect(JSON.stringify(answer)).not.toContain(ACCESS);
  });
});

describe('the hand-out log', () => {
  it('masks a secret typed into the command line, in the prompt and in the log', async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const typed = {
      commandLine: `tokendesk run -- curl -H "Authorization: Bearer ${REFRESH}" https://api.example.test/?password=hunter2-x`,
      pid: 4242,
      parent: `bash -c deploy --token ghp_${'A1b2'.repeat(9)}`,
    };
    const answer = ask({ caller: typed });
    const open = await prompt();
    expect(open.commandLine).toBe(
      'tokendesk run -- curl -H "Authorization: Bearer [redacted]" https://api.example.test/?password=[redacted]',
    );
    expect(open.parent).toBe('bash -c deploy --token [redacted]');
    await allow();
    tokenOf(await answer);
    const [entry] = (await view()).log;
    expect(entry?.commandLine).toBe(open.commandLine);
    f.dispose();
    const onDisk = readFileSync(join(folder, 'command-line-log.json'), 'utf8');
    for (const secret of [REFRESH, 'hunter2-x', 'A1b2A1b2']) expect(onDisk).not.toContain(secret);
  });

  it('keeps every outcome newest first, never a token, across a restart, until cleared', async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
    const first = ask();
    await allow();
    tokenOf(await first);
    await ask({ account: 'nobody' });
    const { log } = await view();
    expect(log.map((entry) => entry.outcome)).toEqual(['failed', 'handed-out']);
    expect(log[1]).toMatchObject({
      at: clock.now(),
      accountId,
      accountName: 'local:ada@example.test',
      subcommand: 'token',
      commandLine: 'tokendesk token local',
    });
    f.dispose();
    const onDisk = readFileSync(join(folder, 'command-line-log.json'), 'utf8');
    expect(onDisk).not.toContain(ACCESS);
    expect(onDisk).not.toContain(REFRESH);
    const next = createApiFixture({
      kv: f.kv,
      handOutLogFile: join(folder, 'command-line-log.json'),
    });
    expect(ok(await next.api.getCommandLine()).log.map((entry) => entry.outcome)).toEqual([
      'failed',
      'handed-out',
    ]);
    ok(await next.api.clearCommandLog());
    next.dispose();
    const third = createApiFixture({
      kv: f.kv,
      handOutLogFile: join(folder, 'command-line-log.json'),
    });
    expect(ok(await third.api.getCommandLine()).log).toEqual([]);
    third.dispose();
  });
});

describe('request lines', () => {
  it('without the key of this start: refused before anything else is read', async () => {
    const refused = failureOf(
      await answerCommandLine(JSON.stringify({ key: 'guessed', op: 'nonsense' }), KEY, f.core),
    );
    expect(refused.exitCode).toBe(EXIT_CODES.denied);
    expect(refused.error).toMatchObject({ group: 'command', code: 3 });
    expect((await view()).log).toEqual([]);
  });

  it('not JSON, another protocol version, bad fields: clear errors, the key never echoed', async () => {
    expect(failureOf(await answerCommandLine('{"v":1,', KEY, f.core)).error.message).toBe(
      'The request is not JSON.',
    );
    expect(failureOf(await ask({ v: 2 })).error.message).toMatch(/version 1/);
    const bad = failureOf(await ask({ minTtlSeconds: -5, subcommand: 'steal' }));
    expect(bad.exitCode).toBe(EXIT_CODES.badArguments);
    expect(bad.error.validationDetail?.map((d) => d.field).sort()).toEqual([
      'minTtlSeconds',
      'subcommand',
    ]);
    expect(JSON.stringify(bad)).not.toContain(KEY);
  });
});

describe('docker registries mapped to accounts', () => {
  const registries = (set?: { registry: string; account: string | null }) =>
    answerCommandLine(
      JSON.stringify({
        v: 1,
        key: KEY,
        op: 'registries',
        ...(set ? { set } : {}),
        caller: { commandLine: 'tokendesk docker-credential map', pid: 1 },
      }),
      KEY,
      f.core,
    );
  const dockerGet = (registry: string) =>
    ask({ subcommand: 'docker-credential', account: undefined, forUrl: registry });

  beforeEach(async () => {
    ok(await f.api.saveSettings({ commandLineAccess: true }));
  });

  it('a mapped registry gets its account’s token; unmapped, no account serves it', async () => {
    // A custom provider serves no registry of its own.
    expect(failureOf(await dockerGet('https://registry.work.example')).exitCode).toBe(
      EXIT_CODES.noSuchAccount,
    );
    expect(await registries({ registry: 'registry.work.example', account: 'local' })).toEqual({
      ok: true,
      registries: [
        {
          registry: 'registry.work.example',
          account: expect.objectContaining({ id: accountId }) as unknown,
          username: 'ada@example.test',
        },
      ],
    });
    const answer = dockerGet('https://registry.work.example/v2/');
    await allow();
    expect(tokenOf(await answer)).toBe(ACCESS);
    // Kept across a restart, with the settings.
    const next = createApiFixture({ kv: f.kv });
    ok(await next.api.saveSettings({ commandLineAccess: true }));
    const listed = await answerCommandLine(
      JSON.stringify({ v: 1, key: KEY, op: 'registries', caller: { commandLine: 't', pid: 1 } }),
      KEY,
      next.core,
    );
    expect(listed).toMatchObject({ ok: true, registries: [{ registry: 'registry.work.example' }] });
    next.dispose();
    expect(await registries({ registry: 'https://registry.work.example', account: null })).toEqual({
      ok: true,
      registries: [],
    });
    expect(failureOf(await dockerGet('https://registry.work.example')).exitCode).toBe(
      EXIT_CODES.noSuchAccount,
    );
  });

  it('refuses an account that does not exist, a registry that is not an address, and access off', async () => {
    expect(failureOf(await registries({ registry: 'ghcr.io', account: 'nobody' })).exitCode).toBe(
      EXIT_CODES.noSuchAccount,
    );
    expect(failureOf(await registries({ registry: 'http://', account: 'local' })).exitCode).toBe(
      EXIT_CODES.badArguments,
    );
    ok(await f.api.saveSettings({ commandLineAccess: false }));
    expect(failureOf(await registries()).exitCode).toBe(EXIT_CODES.accessOff);
  });
});
