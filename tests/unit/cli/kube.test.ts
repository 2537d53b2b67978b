/** `tokendesk kube`: the ExecCredential kubectl reads, in the API version kubectl asked for. */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import { runCli } from '../../../main/cli/main';
import { fakeCliHost, handedToken, scriptedServices } from '../helpers/fake-cli-host';

const run = async (
  env: Record<string, string>,
  expiresAt: number | null = Date.UTC(2030, 0, 2, 3, 4, 5, 678),
) => {
  const host = fakeCliHost({ argv: ['kube', 'google'], env });
  const services = scriptedServices({ ok: true, value: handedToken({ expiresAt }) });
  const code = await runCli(host, services);
  return { code, host, services, output: JSON.parse(host.out()) as unknown };
};

describe('tokendesk kube', () => {
  it('prints a v1 ExecCredential with an RFC 3339 UTC expiry in whole seconds', async () => {
    const { code, output, services } = await run({});
    expect(code).toBe(0);
    expect(output).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'gho_access-token-1', expirationTimestamp: '2030-01-02T03:04:05Z' },
    });
    expect(services.queries).toEqual([{ subcommand: 'kube', account: 'google' }]);
  });

  it('answers in v1beta1 when kubectl asks in v1beta1', async () => {
    const { output } = await run({
      KUBERNETES_EXEC_INFO: JSON.stringify({
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        kind: 'ExecCredential',
        spec: { interactive: false },
      }),
    });
    expect(output).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1beta1' });
  });

  it('answers in v1 when the exec info is v1 or unreadable', async () => {
    const v1 = await run({
      KUBERNETES_EXEC_INFO:
        '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"}',
    });
    expect(v1.output).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1' });
    const garbled = await run({ KUBERNETES_EXEC_INFO: '{not json' });
    expect(garbled.output).toMatchObject({ apiVersion: 'client.authentication.k8s.io/v1' });
  });

  it('leaves expirationTimestamp out for a token that does not expire', async () => {
    const { output } = await run({}, null);
    expect(output).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'gho_access-token-1' },
    });
  });

  it('on failure prints the message on stderr, nothing on stdout, and exits with its code', async () => {
    const host = fakeCliHost({ argv: ['kube'] });
    const code = await runCli(
      host,
      scriptedServices({
        ok: false,
        failure: { message: 'More than one account matches.', exitCode: EXIT_CODES.ambiguous },
      }),
    );
    expect(code).toBe(5);
    expect(host.out()).toBe('');
    expect(host.err()).toBe('tokendesk: More than one account matches.\n');
  });
});
