/**
 * A stand-in identity provider for the real-Electron specs of the consent window: only its
 * discovery documents and a sign-in page that misbehaves, the way a compromised or careless
 * provider page could. It listens on every IPv4 address, so the same server is reachable as
 * plain http on loopback (where the window may load it) and on the machine's other address
 * (where it must not): every request it gets is recorded with its Host, so a spec can show
 * that nothing was ever asked of the other address.
 *
 * Two issuers: `/listed` names its sign-in page on 127.0.0.1; `/elsewhere` names one on the
 * machine's other address (a discovery document the user never typed).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The machine's first non-loopback IPv4 address, or undefined when it has none. */
export const otherIpv4 = (): string | undefined =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

/** The title the sign-in page gives itself, and the one its button sets later. */
export const PAGE_TITLE = 'Google Accounts';
export const LATER_TITLE = 'Tokendesk — Settings';

export interface ConsentTestPages {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `http://<other address>:<port>`: the same server, reached off loopback. */
  readonly elsewhere: string;
  /** The issuer whose sign-in page is on loopback (and misbehaves). */
  readonly listedIssuer: string;
  /** The issuer whose discovery document names a sign-in page on plain http elsewhere. */
  readonly elsewhereIssuer: string;
  /** Every request so far, as `<host header> <path>`. */
  readonly requests: () => string[];
  /** The requests that reached the server through the other address. */
  readonly requestsElsewhere: () => string[];
  readonly stop: () => Promise<void>;
}

const discovery = (issuer: string, authorizationEndpoint: string, origin: string) => ({
  issuer,
  authorization_endpoint: authorizationEndpoint,
  token_endpoint: `${origin}/token`,
  jwks_uri: `${origin}/jwks`,
  response_types_supported: ['code'],
  subject_types_supported: ['public'],
  id_token_signing_alg_values_supported: ['RS256'],
  code_challenge_methods_supported: ['S256'],
});

const signInPage = (elsewhere: string): string => `<!doctype html>
<meta charset="utf-8">
<title>${PAGE_TITLE}</title>
<h1>Sign in</h1>
<p><a id="leave" href="${elsewhere}/elsewhere">Continue on plain http elsewhere</a></p>
<p><a id="bounce" href="/bounce">Continue through a redirect to plain http elsewhere</a></p>
<p><a id="download" href="/download">Download the sign-in helper</a></p>
<p><button id="retitle" onclick="document.title = '${LATER_TITLE}'">Rename this page</button></p>`;

export const startConsentTestPages = async (
  elsewhereAddress: string,
): Promise<ConsentTestPages> => {
  const seen: string[] = [];
  let origin = '';
  let elsewhere = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    seen.push(`${req.headers.host ?? ''} ${path}`);
    const json = (body: unknown) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (path === '/listed/.well-known/openid-configuration')
      return json(discovery(`${origin}/listed`, `${origin}/authorize`, origin));
    if (path === '/elsewhere/.well-known/openid-configuration')
      return json(discovery(`${origin}/elsewhere`, `${elsewhere}/authorize`, origin));
    if (path === '/authorize')
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(signInPage(elsewhere));
    if (path === '/bounce') return res.writeHead(302, { location: `${elsewhere}/elsewhere` }).end();
    if (path === '/download')
      return res
        .writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-disposition': 'attachment; filename="sign-in-helper.sh"',
        })
        .end('#!/bin/sh\necho this must never be saved\n');
    if (path === '/elsewhere')
      return res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Elsewhere</title><h1>Elsewhere</h1>');
    return res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '0.0.0.0', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  elsewhere = `http://${elsewhereAddress}:${port}`;
  const elsewhereHost = `${elsewhereAddress}:${port}`;
  return {
    origin,
    elsewhere,
    listedIssuer: `${origin}/listed`,
    elsewhereIssuer: `${origin}/elsewhere`,
    requests: () => [...seen],
    requestsElsewhere: () => seen.filter((line) => line.startsWith(`${elsewhereHost} `)),
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
