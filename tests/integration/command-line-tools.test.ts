/**
 * Real clients taking tokens from the `tokendesk` command, not fakes of them: git as a credential
 * helper against a server that checks the password is a live token, curl with the header the
 * command prints, and kubectl running it as an exec credential plugin. oidc-provider issues and
 * checks every token; the app's core answers the command over its real channel.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../shared/command-line';
import {
  answerPrompts,
  commandBundle,
  openCommandLine,
  runProcess,
  type CommandLineChannel,
} from './command-line-app';
import { ok } from './core-fixture';
import { startGitHttpServer, type GitHttpServer } from './git-http-server';
import { userinfo, type OidcApp } from './oidc-app';
import { setUpOidcPeers } from './oidc-peers';

/**
 * The ExecCredential API versions this kubectl speaks: v1 since Kubernetes 1.22, beside v1beta1;
 * Debian's kubernetes-client (1.20) knows v1beta1 only.
 */
const execApiVersions = (): string[] => {
  const version = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  const minor = Number.parseInt(
    (JSON.parse(version.stdout || '{}') as { clientVersion?: { minor?: string } }).clientVersion
      ?.minor ?? '0',
    10,
  );
  return [
    ...(minor >= 22 ? ['client.authentication.k8s.io/v1'] : []),
    'client.authentication.k8s.io/v1beta1',
  ];
};

const hasTool = (tool: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;

describe('the tokendesk command with real clients (oidc-provider, Chromium)', () => {
  const peers = setUpOidcPeers({ rotateRefreshToken: true });
  let app: OidcApp;
  let channel: CommandLineChannel;
  let accountId: string;
  let dir: string;
  const isLive = async (token: string) => (await userinfo(peers.server, token)).status === 200;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokendesk-tools-'));
    app = await peers.newApp();
    accountId = ok(await app.connectAs('alice')).account.id;
    ok(await app.api.saveSettings({ commandLineAccess: true }));
    answerPrompts(app.fixture.core, 'allow');
    channel = await openCommandLine(app.fixture.core);
  });

  afterEach(async () => {
    await channel.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('git, with the command as its credential helper', () => {
    let server: GitHttpServer;
    const gitEnv = () => ({
      ...channel.env,
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
    });
    const lsRemote = async (helperArgs: string) =>
      runProcess(
        'git',
        [
          '-c',
          'credential.helper=',
          '-c',
          `credential.helper=!"${process.execPath}" "${await commandBundle()}" git-credential ${helperArgs}`,
          'ls-remote',
          server.url,
        ],
        { env: gitEnv(), cwd: dir },
      );

    beforeEach(async () => {
      server = await startGitHttpServer(dir, isLive);
    });
    afterEach(() => server.close());

    it('lists the remote with a live token as the password', async () => {
      const listed = await lsRemote(`--account ${accountId}`);
      expect(listed.stderr).toBe('');
      expect(listed.status).toBe(0);
      expect(listed.stdout).toContain(`${server.head}\trefs/heads/main`);
      const held = await app.secrets(accountId);
      expect(server.presented).toContain(held.accessToken);
      expect(await isLive(held.accessToken)).toBe(true);
    });

    it('after a disconnect git fails clearly, and no token reaches its output', async () => {
      const held = await app.secrets(accountId);
      ok(await app.api.disconnect({ accountId }));
      const listed = await lsRemote(`--account ${accountId}`);
      expect(listed.status).not.toBe(0);
      expect(listed.stderr).toMatch(/tokendesk: .*no account/i);
      expect(listed.stderr).toMatch(
        /could not read Username|Authentication failed|terminal prompts disabled/,
      );
      expect(listed.stdout + listed.stderr).not.toContain(held.accessToken);
      expect(listed.stdout + listed.stderr).not.toContain(held.refreshToken ?? 'no refresh token');
    });
  });

  it('curl calls the API with the header the command prints', async () => {
    const bundle = await commandBundle();
    const called = await runProcess(
      'sh',
      [
        '-c',
        `curl -fsS -H "$("${process.execPath}" "${bundle}" token ${accountId} --format header)" "${peers.server.issuer}/me"`,
      ],
      { env: channel.env },
    );
    expect(called.stderr).toBe('');
    expect(called.status).toBe(0);
    expect(JSON.parse(called.stdout)).toMatchObject({ sub: 'alice' });
  });

  const noKubectl = !hasTool('kubectl')
    ? 'kubectl is not installed'
    : !hasTool('openssl')
      ? 'openssl is not installed (kubectl sends credentials to an https: API server only)'
      : undefined;
  if (noKubectl) console.log(`[command-line-tools] kubectl test skipped: ${noKubectl}`);

  it.skipIf(noKubectl !== undefined).each(noKubectl === undefined ? execApiVersions() : ['none'])(
    'kubectl runs it as an exec credential plugin (%s) and reaches the API with the token',
    async (apiVersion) => {
      // kubectl hands credentials to a TLS server only: a certificate for 127.0.0.1 of our own.
      const made = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'api.key'),
          '-out',
          join(dir, 'api.crt'),
        ],
        { encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
      const cert = readFileSync(join(dir, 'api.crt'));
      const seen: string[] = [];
      const api = createHttpsServer(
        { cert, key: readFileSync(join(dir, 'api.key')) },
        (request, response) => {
          const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          void (async () => {
            if (token === undefined || !(await isLive(token))) {
              response.writeHead(401, { 'content-type': 'application/json' });
              response.end('{"kind":"Status","apiVersion":"v1","status":"Failure","code":401}');
              return;
            }
            seen.push(token);
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end('{"kind":"APIVersions","versions":["v1"]}');
          })();
        },
      );
      await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
      const { port } = api.address() as AddressInfo;
      const kubeconfig = join(dir, 'kubeconfig.json');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            {
              name: 'local',
              cluster: {
                server: `https://127.0.0.1:${port}`,
                'certificate-authority-data': cert.toString('base64'),
              },
            },
          ],
          users: [
            {
              name: 'tokendesk',
              user: {
                exec: {
                  apiVersion,
                  command: process.execPath,
                  args: [await commandBundle(), 'kube', accountId],
                  // Known to v1 only (and required there).
                  ...(apiVersion.endsWith('/v1') ? { interactiveMode: 'Never' } : {}),
                },
              },
            },
          ],
          contexts: [{ name: 'local', context: { cluster: 'local', user: 'tokendesk' } }],
          'current-context': 'local',
        }),
      );
      try {
        const got = await runProcess(
          'kubectl',
          ['--kubeconfig', kubeconfig, 'get', '--raw', '/api'],
          {
            env: { ...channel.env, HOME: dir },
          },
        );
        expect(got.stderr).toBe('');
        expect(got.status).toBe(0);
        expect(JSON.parse(got.stdout)).toEqual({ kind: 'APIVersions', versions: ['v1'] });
        // Every request kubectl made (its version check included) carried the account's live token.
        expect(seen.length).toBeGreaterThan(0);
        expect(new Set(seen)).toEqual(new Set([(await app.secrets(accountId)).accessToken]));
      } finally {
        await new Promise<void>((resolve) => api.close(() => resolve()));
      }
    },
  );

  it('the command’s exit codes: no such account, ambiguous, access off', async () => {
    expect((await channel.run(['token', 'nobody'])).status).toBe(EXIT_CODES.noSuchAccount);
    ok(await app.connectAs('bob'));
    const ambiguous = await channel.run(['token']);
    expect(ambiguous.status).toBe(EXIT_CODES.ambiguous);
    expect(ambiguous.stderr).toMatch(/alice.*bob|bob.*alice/);
    ok(await app.api.saveSettings({ commandLineAccess: false }));
    const off = await channel.run(['token', accountId]);
    expect(off.status).toBe(EXIT_CODES.accessOff);
    expect(off.stdout).toBe('');
  });
});
