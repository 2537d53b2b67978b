/**
 * A company proxy for tests: HTTP CONNECT tunnels (https) and plain forwarding (http), with
 * Basic proxy authentication when asked, a record of what passed, and the faults a real one has
 * (closing the connection). Every host name is sent to 127.0.0.1, so a test's servers can carry
 * names only the proxy can reach (`idp.tokendesk.test`): a request that does not go through the
 * proxy cannot even resolve them.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ProxyRecord {
  /** 'CONNECT' for a tunnel, else the forwarded method. */
  readonly method: string;
  /** host:port asked for. */
  readonly target: string;
  /** Whether the request carried the right credentials (or none were required). */
  readonly authorized: boolean;
}

export interface TestProxy {
  readonly port: number;
  /** `127.0.0.1:port`, as a proxy rule or PAC answer names it. */
  readonly hostPort: string;
  readonly seen: ProxyRecord[];
  /** From now on: require these credentials (undefined: none). */
  requireCredentials(credentials: { user: string; password: string } | undefined): void;
  /** From now on: close every connection at once, answering nothing (open ones too). */
  closeConnections(close: boolean): void;
  stop(): Promise<void>;
}

const REALM = 'Tokendesk test proxy';

const authorizedBy = (
  request: IncomingMessage,
  credentials: { user: string; password: string } | undefined,
): boolean => {
  if (credentials === undefined) return true;
  const header = request.headers['proxy-authorization'];
  const expected = `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  return header === expected;
};

/** host:port of a CONNECT target or an absolute-form URL, with the port defaulted. */
const splitTarget = (target: string): { host: string; port: number } => {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
  return match ? { host: match[1]!, port: Number(match[2]) } : { host: target, port: 443 };
};

export const startTestProxy = async (): Promise<TestProxy> => {
  let credentials: { user: string; password: string } | undefined;
  let closing = false;
  const seen: ProxyRecord[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      response.writeHead(400).end('absolute-form URL expected');
      return;
    }
    const authorized = authorizedBy(request, credentials);
    seen.push({ method: request.method ?? 'GET', target: target.host, authorized });
    if (closing) {
      request.socket.destroy();
      return;
    }
    if (!authorized) {
      response
        .writeHead(407, { 'proxy-authenticate': `Basic realm="${REALM}"` })
        .end('proxy authentication required');
      return;
    }
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end('bad gateway'));
    request.pipe(upstream);
  });

  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const targetText = request.url ?? '';
    const authorized = authorizedBy(request, credentials);
    seen.push({ method: 'CONNECT', target: targetText, authorized });
    client.on('error', () => undefined);
    if (closing) {
      client.destroy();
      return;
    }
    if (!authorized) {
      client.end(
        `HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="${REALM}"\r\nContent-Length: 0\r\n\r\n`,
      );
      return;
    }
    const { port } = splitTarget(targetText);
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    hostPort: `127.0.0.1:${port}`,
    seen,
    requireCredentials: (next) => {
      credentials = next;
    },
    closeConnections: (close) => {
      closing = close;
      if (close) for (const socket of sockets) socket.destroy();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
