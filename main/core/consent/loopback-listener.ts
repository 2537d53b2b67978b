/**
 * Where the system-browser listener listens (RFC 8252 §7.3, §8.3): 127.0.0.1 on a port the OS
 * picks, and for a `localhost` redirect ::1 too, on the same port.
 *
 * Why ::1 as well: a browser may resolve `localhost` to ::1 first (Chromium does). Were the
 * listener on 127.0.0.1 alone, any other program could listen on ::1 at the same port and the
 * provider's redirect — the authorization code — would reach it instead. Holding both closes
 * that. When ::1 is taken at the port 127.0.0.1 got, the attempt moves to another port; when it
 * is taken at every port tried, the attempt fails saying so. A machine without IPv6 (binding ::1
 * fails with EADDRNOTAVAIL or EAFNOSUPPORT) has no ::1 for anyone: the browser reaches 127.0.0.1,
 * and the listener stays there alone.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreFailure } from '../core-failure';
import { messageOf } from '../../../shared/errors';

export type LoopbackAddress = '127.0.0.1' | '::1';

/** Binds `server` to `address:port` (0: the OS picks) and answers the port it got. */
export type Listen = (server: Server, address: LoopbackAddress, port: number) => Promise<number>;

export const listenTcp: Listen = (server, address, port) =>
  new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen({ host: address, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });

export interface LoopbackOptions {
  /**
   * The ports to try in turn; 0 lets the OS pick. Only a `localhost` redirect ever needs a
   * second try (::1 taken at the port 127.0.0.1 got). Default: five OS-picked ports.
   */
  readonly ports?: readonly number[];
  /** How a server is bound; tests stand in for a machine without IPv6. */
  readonly listen?: Listen;
}

export interface LoopbackListener {
  readonly port: number;
  /** 127.0.0.1, and ::1 for a `localhost` redirect on a machine with IPv6. */
  readonly addresses: readonly LoopbackAddress[];
  readonly listening: boolean;
  /** Stops listening and drops open connections (a browser keeps idle ones). */
  close(): Promise<void>;
}

const DEFAULT_PORTS: readonly number[] = [0, 0, 0, 0, 0];

/** Binding ::1 fails this way only where the machine has no IPv6 loopback at all. */
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT']);

const codeOf = (error: unknown): string | undefined =>
  (error as NodeJS.ErrnoException | undefined)?.code;

const addressOf = (server: Server): LoopbackAddress =>
  (server.address() as AddressInfo).address === '::1' ? '::1' : '127.0.0.1';

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.closeAllConnections();
    server.close(() => resolve());
  });

export const listenOnLoopback = async (
  handler: RequestListener,
  options: LoopbackOptions & {
    /** Also ::1 on the same port: the redirect URI names `localhost`. */
    readonly dualStack: boolean;
  },
): Promise<LoopbackListener> => {
  const listen = options.listen ?? listenTcp;
  const ports = options.ports ?? DEFAULT_PORTS;
  const taken: number[] = [];
  /** Ports named in advance that another program holds on 127.0.0.1. */
  const busy: number[] = [];
  for (const wanted of ports) {
    const v4 = createServer(handler);
    let port: number;
    try {
      port = await listen(v4, '127.0.0.1', wanted);
    } catch (error) {
      // Only a port named in advance can be taken on 127.0.0.1; the OS never picks a taken one.
      if (wanted !== 0 && codeOf(error) === 'EADDRINUSE') {
        busy.push(wanted);
        continue;
      }
      throw error;
    }
    const servers = [v4];
    if (options.dualStack) {
      const v6 = createServer(handler);
      try {
        await listen(v6, '::1', port);
        servers.push(v6);
      } catch (error) {
        const code = codeOf(error);
        if (code === 'EADDRINUSE') {
          // Another program is on ::1 at this port: a browser trying ::1 first would reach it.
          taken.push(port);
          await closeServer(v4);
          continue;
        }
        if (!NO_IPV6.has(code ?? '')) {
          await closeServer(v4);
          throw new CoreFailure(
            'consentUnavailable',
            `Tokendesk could not listen for the sign-in on ::1 (IPv6 localhost), where your browser may send it.`,
            { traces: [messageOf(error)], cause: error },
          );
        }
      }
    }
    return {
      port,
      addresses: servers.map(addressOf),
      get listening() {
        return servers.some((server) => server.listening);
      },
      close: async () => {
        await Promise.all(servers.map(closeServer));
      },
    };
  }
  if (taken.length === 0 && busy.length > 0) {
    // A redirect URI registered with its port (a token backend's client): only that port will do.
    throw new CoreFailure(
      'consentUnavailable',
      `Tokendesk could not listen for the sign-in: another program listens on port ${busy.join(', ')} of 127.0.0.1, the port of the registered redirect URI. Close that program, or choose the embedded window.`,
      { traces: [`127.0.0.1 port ${busy.join(', ')} in use`] },
    );
  }
  throw new CoreFailure(
    'consentUnavailable',
    `Tokendesk could not listen for the sign-in: another program holds ::1 (IPv6 localhost) at every port it tried, and your browser could send the sign-in there. Close that program, or try again.`,
    { traces: [`::1 taken at port ${taken.join(', ')}`] },
  );
};
