/**
 * A private certificate authority for tests, made with the openssl command: a CA no system
 * trusts, a server certificate for 127.0.0.1 and localhost, and a client certificate (mTLS).
 * Tests that need TLS a real company would have (a private CA, client certificates) use it
 * instead of certificates checked into the repo, which would expire.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPki {
  /** The CA certificate (PEM): what a client must trust to accept the server. */
  readonly caCert: string;
  readonly caFile: string;
  readonly caName: string;
  /** Server certificate (PEM) for 127.0.0.1 and localhost, signed by the CA. */
  readonly serverCert: string;
  readonly serverKey: string;
  readonly serverName: string;
  /** A client certificate (PEM) signed by the CA, and its key (PKCS#8 PEM). */
  readonly clientCert: string;
  readonly clientKey: string;
  readonly clientName: string;
  /** The folder the files live in. */
  readonly dir: string;
  dispose(): void;
}

/** Why these tests cannot run here, or undefined when they can. */
export const pkiUnavailable = (): string | undefined =>
  spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0
    ? undefined
    : 'the openssl command is not installed (apt install openssl)';

const openssl = (dir: string, args: string[]): void => {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr}`);
};

/**
 * Makes a fresh CA with one server and one client certificate, valid for a day. The server
 * certificate names 127.0.0.1, localhost and `serverHosts`.
 */
export const createTestPki = (
  label = 'Tokendesk Test',
  serverHosts: readonly string[] = [],
): TestPki => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-pki-'));
  const caName = `${label} Root CA`;
  const serverName = `${label} Server`;
  const clientName = `${label} Client`;
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${caName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  ]);
  const issue = (name: string, cn: string, extensions: string): void => {
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ]);
    const ext = join(dir, `${name}.ext`);
    writeFileSync(ext, extensions);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      `${name}.crt`,
    ]);
  };
  issue(
    'server',
    serverName,
    `subjectAltName=${['IP:127.0.0.1', 'DNS:localhost', ...serverHosts.map((host) => `DNS:${host}`)].join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  issue('client', clientName, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    caCert: read('ca.crt'),
    caFile: join(dir, 'ca.crt'),
    caName,
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    serverName,
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    clientName,
    dir,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
};
