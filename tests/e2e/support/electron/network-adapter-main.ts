/**
 * Runs inside real Electron for network-adapter.spec.ts (bundled by it with esbuild): the app's
 * network adapter (main/shell/electron-fetch.ts) under the core's limited fetch, against the
 * spec's local server, one case per name in TOKENDESK_CASES. Prints one JSON line per case.
 */
import { app, session } from 'electron';
import { createLimitedFetch } from '../../../../main/core/http/http-client';
import { watchCertificateFailures } from '../../../../main/shell/certificate-failures';
import { createElectronFetch } from '../../../../main/shell/electron-fetch';

const base = process.env.TOKENDESK_BASE ?? '';
const LIMIT_MS = 600;

const run = async (name: string): Promise<Record<string, unknown>> => {
  const ses = session.fromPartition(`adapter-${name}`, { cache: false });
  const fetch = createLimitedFetch(
    { timeoutMs: LIMIT_MS, maxBodyBytes: 4096 },
    createElectronFetch({
      session: ses,
      certificates: watchCertificateFailures(ses),
      proxyLogin: () => Promise.resolve(undefined),
    }),
  );
  const started = Date.now();
  try {
    const response = await fetch(`${base}/${name}`, {
      method: 'POST',
      headers: { accept: 'application/json', authorization: 'Basic YTpi' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'rt-1' }),
      redirect: 'manual',
    });
    return {
      name,
      ok: true,
      status: response.status,
      body: await response.text(),
      header: response.headers.get('x-answer'),
      ms: Date.now() - started,
    };
  } catch (error) {
    const failure = error as { name?: string; message?: string; kind?: string; place?: string };
    return {
      name,
      ok: false,
      error: failure.name,
      kind: failure.kind,
      place: failure.place,
      message: failure.message,
      ms: Date.now() - started,
    };
  }
};

void app.whenReady().then(async () => {
  for (const name of (process.env.TOKENDESK_CASES ?? '').split(',')) {
    process.stdout.write(`CASE ${JSON.stringify(await run(name))}\n`);
  }
  app.quit();
});
