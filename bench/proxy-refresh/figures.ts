/**
 * Figure 7 (issue 15): a refresh through a company proxy against a direct one, both in real
 * Electron on the app's own network adapter. The provider is a real oidc-provider over HTTPS at
 * a name (idp.tokendesk.test) only the proxy and Chromium's host rules can reach, with a private
 * CA trusted in the system store (an NSS database in the run's own HOME). The proxy is the tests'
 * (tests/support/http-proxy.ts): CONNECT tunnels on 127.0.0.1. The ratio says what the proxy
 * path adds to a refresh here; on a real network the proxy is one more hop away, which this
 * does not model.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startTestProxy } from '../../tests/support/http-proxy';
import { OIDC_PUBLIC_CLIENT_ID, startOidcServer } from '../../tests/support/oidc-server';
import { createTestPki, pkiUnavailable } from '../../tests/support/test-pki';
import { startDesktopSession } from '../../tests/e2e/support/electron/desktop-session';
import { homeWithNssDb, nssToolsMissing } from '../../tests/e2e/support/electron/nss-trust';
import { whichElectron } from '../../tests/e2e/support/electron/which-electron';
import { summarize, type Summary } from '../stats';

const HOST = 'idp.tokendesk.test';

export interface ProxyRefreshFigures {
  readonly electron: string;
  readonly direct: Summary;
  readonly proxied: Summary;
  /** Median through the proxy ÷ median direct. */
  readonly ratio: number;
}

export type ProxyRefreshResult = ProxyRefreshFigures | { readonly skipped: string };

const here = fileURLToPath(new URL('.', import.meta.url));

export const measureProxyRefresh = async (samples: number): Promise<ProxyRefreshResult> => {
  const missing = pkiUnavailable() ?? nssToolsMissing();
  if (missing) return { skipped: missing };
  const choice = whichElectron();
  if (!('runtime' in choice)) return { skipped: choice.reason };
  const scratch = mkdtempSync(join(tmpdir(), 'tokendesk-bench-proxy-'));
  const pki = createTestPki('Tokendesk Bench', [HOST]);
  const server = await startOidcServer({
    rotateRefreshToken: false,
    clients: [{ clientId: OIDC_PUBLIC_CLIENT_ID }],
    tls: { cert: pki.serverCert, key: pki.serverKey, host: HOST },
  });
  const proxy = await startTestProxy();
  const desktop = await startDesktopSession();
  try {
    if (desktop.noDisplay) return { skipped: desktop.noDisplay };
    // A refresh token of the server's own making: the figure is the refresh, not a sign-in.
    // oidc-provider's model classes, which its typings leave out.
    const provider = server.provider as unknown as {
      Grant: new (fields: object) => { addOIDCScope(scope: string): void; save(): Promise<string> };
      Client: { find(id: string): Promise<unknown> };
      RefreshToken: new (fields: object) => { save(): Promise<string> };
    };
    const grant = new provider.Grant({ accountId: 'bench', clientId: OIDC_PUBLIC_CLIENT_ID });
    grant.addOIDCScope('openid offline_access');
    const grantId = await grant.save();
    const client = await provider.Client.find(OIDC_PUBLIC_CLIENT_ID);
    const refreshToken = await new provider.RefreshToken({
      accountId: 'bench',
      client,
      grantId,
      scope: 'openid offline_access',
      gty: 'authorization_code',
      iat: Math.floor(Date.now() / 1000),
    }).save();

    const bundle = join(scratch, 'main.cjs');
    await build({
      entryPoints: [join(here, 'electron-main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      outfile: bundle,
      logLevel: 'silent',
    });
    const home = homeWithNssDb(scratch, pki.caFile);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        choice.runtime.executable,
        [
          bundle,
          '--no-sandbox',
          // The direct arm reaches the name without the proxy; the proxied arm's proxy resolves it.
          `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
        ],
        {
          env: {
            ...process.env,
            ...desktop.env,
            HOME: home,
            XDG_CONFIG_HOME: join(scratch, 'config'),
            BENCH_ISSUER: server.issuer,
            BENCH_CLIENT_ID: OIDC_PUBLIC_CLIENT_ID,
            BENCH_REFRESH_TOKEN: refreshToken,
            BENCH_PROXY: `http://${proxy.hostPort}`,
            BENCH_SAMPLES: String(samples),
          },
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', reject);
      child.on('exit', () => resolve(text));
    });
    const line = output.split('\n').find((candidate) => candidate.startsWith('BENCH'));
    if (!line?.startsWith('BENCH ')) throw new Error(`the Electron arm failed: ${line ?? output}`);
    const { electron, times } = JSON.parse(line.slice('BENCH '.length)) as {
      electron: string;
      times: { direct: number[]; proxied: number[] };
    };
    const tunnels = proxy.seen.filter((record) => record.method === 'CONNECT').length;
    if (tunnels === 0) throw new Error('no request went through the proxy');
    const direct = summarize(times.direct);
    const proxied = summarize(times.proxied);
    return {
      electron,
      direct,
      proxied,
      ratio: Math.round((proxied.median / direct.median) * 100) / 100,
    };
  } finally {
    await desktop.stop();
    await proxy.stop();
    await server.stop();
    pki.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
};
