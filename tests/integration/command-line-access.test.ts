/**
 * The whole path, process to provider: `tokendesk` processes asking the app's core over its real
 * channel, oidc-provider (rotation and reuse detection on) behind it. Fifty processes at once for
 * an expired token make exactly one refresh; access, approval, denial and revocation decide who
 * gets a token; and no token reaches the log, stderr or any error.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../shared/command-line';
import { answerPrompts, openCommandLine, type CommandLineChannel } from './command-line-app';
import { ok } from './core-fixture';
import { userinfo, waitUntil } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

const TTL_SECONDS = 2;
const PROCESSES = 50;

describe('the tokendesk command, process to provider (oidc-provider with rotation, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true, accessTokenTtl: TTL_SECONDS });
  let channel: CommandLineChannel | undefined;

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
  });

  const setUp = async () => {
    const app = await peers.newApp({ approvalTimeoutMs: 3_000 });
    const { account } = ok(await app.connectAs('alice'));
    ok(await app.api.saveSettings({ commandLineAccess: true }));
    channel = await openCommandLine(app.fixture.core);
    return { app, account, channel };
  };

  it(`${PROCESSES} processes at once for an expired token: one refresh, one token for all, a live one`, async () => {
    const { app, account, channel } = await setUp();
    const stop = answerPrompts(app.fixture.core, 'allow');
    // Approved once (the prompt is not what this test measures), then let the token expire.
    expect((await channel.run(['token', account.id])).status).toBe(0);
    const before = await app.secrets(account.id);
    expect(await waitUntil(() => Date.now() > (account.expiresAt ?? 0) + 50, 6_000, 50)).toBe(true);
    peers.server.resetCounts();

    const runs = await Promise.all(
      Array.from({ length: PROCESSES }, () => channel.run(['token', account.id])),
    );
    stop();

    expect(runs.map((run) => run.status)).toEqual(Array(PROCESSES).fill(0));
    expect(peers.server.counts.refreshRequests).toBe(1);
    const tokens = new Set(runs.map((run) => run.stdout.trim()));
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).not.toBe(before.accessToken);
    expect((await userinfo(peers.server, token ?? '')).body).toMatchObject({ sub: 'alice' });
    expect(runs.every((run) => run.stderr === '')).toBe(true);
  });

  it('access off, denied, allowed, revoked: each refused or served, with its exit code', async () => {
    const { app, account, channel } = await setUp();
    const core = app.fixture.core;

    ok(await app.api.saveSettings({ commandLineAccess: false }));
    const off = await channel.run(['token', account.id]);
    expect(off.status).toBe(EXIT_CODES.accessOff);
    expect(off.stderr).toMatch(/^tokendesk: Command-line access is off/);
    ok(await app.api.saveSettings({ commandLineAccess: true }));

    let stop = answerPrompts(core, 'deny');
    const denied = await channel.run(['token', account.id]);
    stop();
    expect(denied.status).toBe(EXIT_CODES.denied);
    expect(denied.stdout).toBe('');

    stop = answerPrompts(core, 'allow');
    const allowed = await channel.run(['token', account.id, '--format', 'json']);
    stop();
    expect(allowed.status).toBe(0);
    const handed = JSON.parse(allowed.stdout) as Record<string, unknown>;
    expect(Object.keys(handed).sort()).toEqual(['accessToken', 'expiresAt', 'scopes', 'tokenType']);
    // Allowed: the next one is served without a prompt (nobody answers now).
    expect((await channel.run(['token', account.id])).status).toBe(0);

    ok(await app.api.revokeApproval({ accountId: account.id }));
    // Revoked: it asks again, and unanswered it times out with its own exit code.
    const afterRevoke = await channel.run(['token', account.id]);
    expect(afterRevoke.status).toBe(EXIT_CODES.timedOut);
    expect(afterRevoke.stdout).toBe('');

    const { log } = ok(await app.api.getCommandLine());
    expect(log.map((entry) => entry.outcome)).toEqual([
      'timed-out',
      'handed-out',
      'handed-out',
      'denied',
      'access-off',
    ]);
  });

  it('no token, refresh token or key in the log, in stderr, or in any error', async () => {
    const { app, account, channel } = await setUp();
    const stop = answerPrompts(app.fixture.core, 'allow');
    const runs = [
      await channel.run(['token', account.id]),
      await channel.run(['token', account.id, '--format', 'header']),
      await channel.run(['token', 'nobody']),
      await channel.run(['token', account.id, '--min-ttl', '1h']),
      await channel.run(['accounts', '--json']),
      await channel.run(['run', account.id, '--', 'sh', '-c', 'exit 3']),
    ];
    stop();
    expect(runs.map((run) => run.status)).toEqual([
      0,
      0,
      EXIT_CODES.noSuchAccount,
      EXIT_CODES.providerError,
      0,
      3,
    ]);
    const secrets = await app.secrets(account.id);
    const key = readFileSync(channel.server.channel.keyFile, 'utf8').trim();
    const { log } = ok(await app.api.getCommandLine());
    const everythingButTheTokenOutputs = [
      ...runs.map((run) => run.stderr),
      runs[2]?.stdout ?? '',
      runs[3]?.stdout ?? '',
      runs[4]?.stdout ?? '',
      JSON.stringify(log),
    ].join('\n');
    for (const secret of [
      secrets.accessToken,
      secrets.refreshToken ?? 'none',
      secrets.idToken ?? 'none',
      key,
    ])
      expect(everythingButTheTokenOutputs).not.toContain(secret);
  });
});
