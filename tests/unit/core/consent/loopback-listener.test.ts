/**
 * Where the system-browser listener binds for a `localhost` redirect when the machine has no
 * IPv6: what a test machine with ::1 cannot show on real sockets alone (the binding itself is
 * probed for real in tests/integration/loopback-consent.test.ts). ::1 is refused the way a
 * kernel without IPv6 refuses it; 127.0.0.1 is bound for real and answers for real.
 */
import { request, type RequestListener } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  listenOnLoopback,
  listenTcp,
  type Listen,
} from '../../../../main/core/consent/loopback-listener';
import { CoreFailure } from '../../../../main/core/core-failure';

const answerOk: RequestListener = (_req, res) => {
  res.writeHead(200).end('ok');
};

const errno = (code: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`listen ${code} ::1`), { code, syscall: 'listen' });

/** Binds 127.0.0.1 for real; ::1 fails with `code`. Records what was asked. */
const withoutIpv6 = (code: string) => {
  const asked: string[] = [];
  const listen: Listen = (server, address, port) => {
    asked.push(`${address}:${port}`);
    return address === '::1' ? Promise.reject(errno(code)) : listenTcp(server, address, port);
  };
  return { listen, asked };
};

const get = (port: number): Promise<number | string> =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });

describe('a localhost redirect on a machine without IPv6', () => {
  it.each([
    ['EADDRNOTAVAIL', 'IPv6 on, but no ::1 (lo without IPv6)'],
    ['EAFNOSUPPORT', 'no IPv6 in the kernel'],
  ])(
    '%s (%s): listens on 127.0.0.1 alone, as no other program can hold ::1 either',
    async (code) => {
      const { listen, asked } = withoutIpv6(code);

      const listener = await listenOnLoopback(answerOk, { dualStack: true, listen });
      try {
        expect(listener.addresses).toEqual(['127.0.0.1']);
        expect(asked).toEqual(['127.0.0.1:0', `::1:${listener.port}`]);
        expect(await get(listener.port)).toBe(200);
      } finally {
        await listener.close();
      }
      expect(await get(listener.port)).toBe('ECONNREFUSED');
    },
  );

  it('any other failure on ::1 fails the attempt clearly, and leaves nothing listening', async () => {
    const { listen, asked } = withoutIpv6('EACCES');

    const error: unknown = await listenOnLoopback(answerOk, { dualStack: true, listen }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CoreFailure);
    expect((error as CoreFailure).errorName).toBe('consentUnavailable');
    expect((error as CoreFailure).message).toContain('::1');
    expect((error as CoreFailure).details.traces?.join(' ')).toContain('EACCES');
    const port = Number(/:(\d+)$/.exec(asked.at(-1) ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await get(port)).toBe('ECONNREFUSED');
  });

  it('a 127.0.0.1 redirect never asks for ::1', async () => {
    const { listen, asked } = withoutIpv6('EAFNOSUPPORT');

    const listener = await listenOnLoopback(answerOk, { dualStack: false, listen });
    await listener.close();

    expect(asked).toEqual(['127.0.0.1:0']);
    expect(listener.addresses).toEqual(['127.0.0.1']);
  });
});

describe('a redirect URI registered with its port (a token backend’s client)', () => {
  it('listens on exactly that port, and says so when another program holds it', async () => {
    const holder = await listenOnLoopback(answerOk, { dualStack: false });
    try {
      const attempt = listenOnLoopback(answerOk, { dualStack: false, ports: [holder.port] });
      await expect(attempt).rejects.toBeInstanceOf(CoreFailure);
      const error = (await attempt.catch((failure: unknown) => failure)) as CoreFailure;
      expect(error.errorName).toBe('consentUnavailable');
      expect(error.message).toContain(
        `another program listens on port ${holder.port} of 127.0.0.1, the port of the registered redirect URI`,
      );
    } finally {
      await holder.close();
    }
    const free = await listenOnLoopback(answerOk, { dualStack: false, ports: [holder.port] });
    try {
      expect(free.port).toBe(holder.port);
      expect(await get(free.port)).toBe(200);
    } finally {
      await free.close();
    }
  });
});
