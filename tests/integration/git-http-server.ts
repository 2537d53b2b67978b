/**
 * A git server over HTTP for the credential-helper tests: git's own `git http-backend` (CGI)
 * behind a Node server that demands HTTP Basic authentication and accepts a password only if
 * oidc-provider takes it as a live access token. So a passing `git ls-remote` proves git got a
 * real, fresh token from the helper.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>/repo.git` */
  readonly url: string;
  /** The commit the repository's main branch points at. */
  readonly head: string;
  /** The passwords presented, in order (the test checks which were live). */
  readonly presented: string[];
  close(): Promise<void>;
}

const git = (cwd: string, args: readonly string[]): string => {
  const run = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Tokendesk test',
      GIT_AUTHOR_EMAIL: 'test@tokendesk.invalid',
      GIT_COMMITTER_NAME: 'Tokendesk test',
      GIT_COMMITTER_EMAIL: 'test@tokendesk.invalid',
    },
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
};

/** Runs git http-backend for one request (RFC 3875 CGI) and relays its answer. */
const cgi = (root: string, request: IncomingMessage, response: ServerResponse): void => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const backend = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: request.method ?? 'GET',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      REMOTE_USER: 'tokendesk',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(request.headers['content-encoding'] ?? ''),
    },
  });
  request.pipe(backend.stdin);
  const chunks: Buffer[] = [];
  backend.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  backend.on('close', () => {
    const output = Buffer.concat(chunks);
    const split = output.indexOf('\r\n\r\n');
    const headerEnd = split === -1 ? output.indexOf('\n\n') : split;
    const gap = split === -1 ? 2 : 4;
    const headers = output.subarray(0, headerEnd).toString('latin1').split(/\r?\n/);
    let status = 200;
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else response.setHeader(name, value);
    }
    response.writeHead(status);
    response.end(output.subarray(headerEnd + gap));
  });
};

export const startGitHttpServer = async (
  dir: string,
  isLiveToken: (token: string) => Promise<boolean>,
): Promise<GitHttpServer> => {
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  git(work, ['init', '-q', '-b', 'main']);
  writeFileSync(join(work, 'README'), 'served by git http-backend\n');
  git(work, ['add', 'README']);
  git(work, ['commit', '-q', '-m', 'first']);
  const head = git(work, ['rev-parse', 'HEAD']);
  git(dir, ['clone', '-q', '--bare', work, join(dir, 'repo.git')]);

  const presented: string[] = [];
  const server = createServer((request, response) => {
    const header = request.headers.authorization ?? '';
    const basic = /^Basic (.+)$/i.exec(header)?.[1];
    const password = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':')
      : undefined;
    const refuse = () => {
      request.resume();
      response.writeHead(401, { 'www-authenticate': 'Basic realm="tokendesk-test"' });
      response.end('a live access token is needed\n');
    };
    if (password === undefined) return refuse();
    presented.push(password);
    void isLiveToken(password).then((live) => (live ? cgi(dir, request, response) : refuse()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/repo.git`,
    head,
    presented,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
