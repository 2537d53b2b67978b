/**
 * The `tokendesk` command for an account whose tokens come through a backend (issue 16), as for
 * any other: processes on the core's real channel, the Google-style backend refreshing at
 * oidc-provider behind it. Ten processes at once for a token due for refresh make one backend
 * refresh and all print the same live token; neither stdout nor stderr holds the refresh token
 * or the backend credential.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_CREDENTIAL, setUpBackendPeers } from './backend-app';
import { answerPrompts, openCommandLine, type CommandLineChannel } from './command-line-app';
import { ok } from './core-fixture';
import { createShiftableClock } from './providers-app';

const PROCESSES = 10;

describe('the tokendesk command through a token backend (oidc-provider, Chromium)', () => {
  const peers = setUpBackendPeers({ rotateRefreshToken: true });
  let channel: CommandLineChannel | undefined;

  afterEach(async () => {
    await channel?.close();
    channel = undefined;
  });

  it(`${PROCESSES} processes at once for a token due for refresh: one backend refresh, one live token for all`, async () => {
    const { google, server } = peers;
    const clock = createShiftableClock();
    const app = peers.newApp({ consent: 'system-browser', clock, approvalTimeoutMs: 5_000 });
    ok(await app.save('google'));
    const { account } = ok(await app.connectAs('google', 'cleo'));
    ok(await app.api.saveSettings({ commandLineAccess: true }));
    channel = await openCommandLine(app.fixture.core);
    const stop = answerPrompts(app.fixture.core, 'allow');
    try {
      expect((await channel.run(['token', account.id])).status).toBe(0);
      const before = await app.secrets(account.id);
      // A minute before the hour-long token expires (at the app's clock): due for refresh, and
      // still within the hour the prompt allowed.
      clock.shift(3_600_000 - 50_000);
      const refreshes = google.counts.refreshes;

      const channelNow = channel;
      const runs = await Promise.all(
        Array.from({ length: PROCESSES }, () => channelNow.run(['token', account.id])),
      );

      expect(runs.map((run) => run.status)).toEqual(Array(PROCESSES).fill(0));
      expect(google.counts.refreshes).toBe(refreshes + 1);
      const tokens = new Set(runs.map((run) => run.stdout.trim()));
      expect(tokens.size).toBe(1);
      const [token = ''] = [...tokens];
      expect(token).not.toBe(before.accessToken);
      expect(await server.isAccessTokenActive(token)).toBe(true);
      const printed = runs.map((run) => run.stdout + run.stderr).join('\n');
      const after = await app.secrets(account.id);
      for (const secret of [before.refreshToken, after.refreshToken, BACKEND_CREDENTIAL])
        expect(printed).not.toContain(secret);
    } finally {
      stop();
    }
  });
});
