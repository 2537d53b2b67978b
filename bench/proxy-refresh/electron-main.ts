/**
 * Runs inside real Electron for figure 7 (bench/proxy-refresh/figures.ts bundles it with
 * esbuild): the core's refresh request (main/core/oauth/token-requests.ts) on the app's own
 * network adapter (main/shell/electron-fetch.ts), once through a session whose proxy is the
 * bench's and once through a session that goes direct, alternating. Prints one JSON line.
 */
import { app, session } from 'electron';
import { PRESETS } from '../../shared/providers';
import { DEFAULT_HTTP_LIMITS } from '../../main/core/http/http-client';
import { createDiscovery } from '../../main/core/oauth/discovery';
import { resolveProviderRuntime } from '../../main/core/oauth/provider-runtime';
import { refreshTokens } from '../../main/core/oauth/token-requests';
import { watchCertificateFailures } from '../../main/shell/certificate-failures';
import { createElectronFetch } from '../../main/shell/electron-fetch';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const arm = async (name: string, proxyRules: string | undefined) => {
  const ses = session.fromPartition(`bench-${name}`, { cache: false });
  await ses.setProxy(proxyRules ? { proxyRules } : { mode: 'direct' });
  const fetch = createElectronFetch({
    session: ses,
    certificates: watchCertificateFailures(ses),
    proxyLogin: () => Promise.resolve(undefined),
  });
  const preset = PRESETS.find((candidate) => candidate.id === 'oidc')!;
  const runtime = await resolveProviderRuntime(
    {
      id: 'bench',
      presetId: 'oidc',
      label: 'Bench',
      clientId: env('BENCH_CLIENT_ID'),
      clientAuth: 'none',
      scopes: ['openid', 'offline_access'],
      consentMode: 'embedded',
      issuer: env('BENCH_ISSUER'),
      createdAt: 0,
      updatedAt: 0,
    },
    preset,
    undefined,
    { limits: DEFAULT_HTTP_LIMITS, baseFetch: fetch, discover: createDiscovery(Date.now) },
  );
  return () => refreshTokens(runtime, env('BENCH_REFRESH_TOKEN'), Date.now);
};

const main = async () => {
  await app.whenReady();
  const samples = Number(env('BENCH_SAMPLES'));
  const direct = await arm('direct', undefined);
  const proxied = await arm('proxied', env('BENCH_PROXY'));
  const times: { direct: number[]; proxied: number[] } = { direct: [], proxied: [] };
  // Warm both (TLS sessions, the proxy's tunnel), then alternate so a slow spell hits both.
  for (let i = 0; i < 5; i++) {
    await direct();
    await proxied();
  }
  for (let i = 0; i < samples; i++) {
    for (const [key, refresh] of [
      ['direct', direct],
      ['proxied', proxied],
    ] as const) {
      const started = performance.now();
      await refresh();
      times[key].push(performance.now() - started);
    }
  }
  process.stdout.write(`BENCH ${JSON.stringify({ electron: process.versions.electron, times })}\n`);
};

main().then(
  () => app.quit(),
  (error: unknown) => {
    process.stdout.write(`BENCH-ERROR ${error instanceof Error ? error.message : String(error)}\n`);
    app.exit(1);
  },
);
