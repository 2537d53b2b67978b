/**
 * The plain node:http server under each fake provider: 127.0.0.1, random port, every request
 * recorded with its parsed body so tests can assert exactly what the app sent (parameters,
 * headers, client authentication), and small reply helpers so fakes read like the providers' docs.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** The body's fields, from a form-encoded or a JSON object body (values as strings). */
  readonly form: Readonly<Record<string, string>>;
  readonly rawBody: string;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type FakeHandler = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeHttpServer {
  /** Base URL, `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Exceptions thrown by the fake's own handler (a bug in the fake, not a provider answer). */
  readonly errors: string[];
  stop(): Promise<void>;
}

export const jsonReply = (
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): Reply => ({
  status,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  },
  body: JSON.stringify(body),
});

export const formReply = (status: number, fields: Readonly<Record<string, string>>): Reply => ({
  status,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: new URLSearchParams(fields).toString(),
});

export const htmlReply = (status: number, html: string): Reply => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: html,
});

export const textReply = (status: number, text: string): Reply => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8' },
  body: text,
});

export const redirectReply = (location: string): Reply => ({
  status: 302,
  headers: { location },
  body: '',
});

export const sendReply = (res: ServerResponse, reply: Reply): void => {
  const body = reply.body ?? '';
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
};

const parseBody = (raw: string, contentType: string | undefined): Record<string, string> => {
  if (raw === '') return {};
  if (contentType?.includes('application/json') === true) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null) return {};
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          fields[key] = String(value);
      }
      return fields;
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
};

export const startFakeHttpServer = async (handler: FakeHandler): Promise<FakeHttpServer> => {
  const requests: RecordedRequest[] = [];
  const errors: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        form: parseBody(rawBody, req.headers['content-type']),
        rawBody,
      };
      requests.push(recorded);
      Promise.resolve()
        .then(() => handler(recorded, res))
        .catch((error: unknown) => {
          errors.push(`${recorded.method} ${recorded.path}: ${String(error)}`);
          if (!res.headersSent)
            sendReply(
              res,
              jsonReply(500, { error: 'server_error', error_description: String(error) }),
            );
        });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    errors,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Also ends requests a 'hang' fault left open and fetch's keep-alive sockets.
        server.closeAllConnections();
      }),
  };
};

/** The bearer (or GitHub-style `token`) credential of a request, if any. */
export const bearerToken = (request: RecordedRequest): string | undefined => {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^(?:bearer|token)\s+(\S+)$/i.exec(header);
  return match?.[1];
};

/** The client ID and secret of an HTTP Basic header (RFC 6749 §2.3.1 form-decodes both). */
export const basicCredentials = (
  request: RecordedRequest,
): { id: string; secret: string } | undefined => {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^basic\s+(\S+)$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
};
