/**
 * `tokendesk docker-credential` / docker-credential-tokendesk: the outputs docker reads
 * (docker/docker-credential-helpers), including the exact "not found" text docker looks for.
 */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import { runCli } from '../../../main/cli/main';
import type { Services } from '../../../main/cli/services';
import { fakeCliHost, handedToken, listing, scriptedServices } from '../helpers/fake-cli-host';

const asHelper = async (action: string, stdin: string, services: Services) => {
  const host = fakeCliHost({
    argv: [action],
    invokedAs: ['docker-credential-tokendesk', '/opt/tokendesk/resources/bin/tokendesk'],
    stdinText: stdin,
  });
  const code = await runCli(host, services);
  return { code, out: host.out(), err: host.err() };
};

const answering = () =>
  scriptedServices({
    ok: true,
    value: handedToken({
      use: { envName: 'E', gitUsername: 'g', registryUsername: 'oauth2accesstoken' },
    }),
  });

describe('docker-credential get', () => {
  it('prints ServerURL, the registry user name and the token as Secret', async () => {
    const services = answering();
    const { code, out } = await asHelper('get', 'https://ghcr.io\n', services);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      ServerURL: 'https://ghcr.io',
      Username: 'oauth2accesstoken',
      Secret: 'gho_access-token-1',
    });
    expect(services.queries).toEqual([
      { subcommand: 'docker-credential', forUrl: 'https://ghcr.io' },
    ]);
  });

  it('asks for https:// when docker sends a bare registry, and answers with it as sent', async () => {
    const services = answering();
    const { out } = await asHelper('get', 'europe-docker.pkg.dev', services);
    expect(services.queries[0]?.forUrl).toBe('https://europe-docker.pkg.dev');
    expect((JSON.parse(out) as { ServerURL: string }).ServerURL).toBe('europe-docker.pkg.dev');
  });

  it('as `tokendesk docker-credential --account`, asks for that account', async () => {
    const services = answering();
    const host = fakeCliHost({
      argv: ['docker-credential', '--account', 'google:me@example.com', 'get'],
      stdinText: 'gcr.io',
    });
    expect(await runCli(host, services)).toBe(0);
    expect(services.queries).toEqual([
      {
        subcommand: 'docker-credential',
        forUrl: 'https://gcr.io',
        account: 'google:me@example.com',
      },
    ]);
  });

  it('with no such account prints the text docker takes as "not found" and exits 1', async () => {
    const { code, out } = await asHelper(
      'get',
      'https://registry.example.com',
      scriptedServices({
        ok: false,
        failure: { message: 'No such account.', exitCode: EXIT_CODES.noSuchAccount },
      }),
    );
    expect(code).toBe(1);
    expect(out).toBe('credentials not found in native keychain\n');
  });

  it('another failure is shown by docker (stdout) and on stderr, with its exit code', async () => {
    const { code, out, err } = await asHelper(
      'get',
      'ghcr.io',
      scriptedServices({
        ok: false,
        failure: { message: 'The request was denied in Tokendesk.', exitCode: EXIT_CODES.denied },
      }),
    );
    expect(code).toBe(7);
    expect(out).toBe('The request was denied in Tokendesk.\n');
    expect(err).toBe('tokendesk: The request was denied in Tokendesk.\n');
  });

  it('an empty input is docker-credential-helpers\' "no credentials server URL"', async () => {
    const services = answering();
    const { code, out } = await asHelper('get', '\n', services);
    expect(code).toBe(1);
    expect(out).toBe('no credentials server URL\n');
    expect(services.queries).toEqual([]);
  });
});

describe('docker-credential store, erase and list', () => {
  it.each(['store', 'erase'])(
    '%s reads its input and does nothing, without echoing the secret',
    async (action) => {
      const services = answering();
      const { code, out, err } = await asHelper(
        action,
        '{"ServerURL":"https://ghcr.io","Username":"u","Secret":"s3cret"}',
        services,
      );
      expect(code).toBe(0);
      expect(out + err).toBe('');
      expect(services.queries).toEqual([]);
    },
  );

  it('list prints the registries mapped in the app, as docker’s {ServerURL: Username}', async () => {
    const services = scriptedServices(
      { ok: false, failure: { message: 'unused', exitCode: EXIT_CODES.failed } },
      undefined,
      {
        ok: true,
        value: [
          { registry: 'ghcr.io', account: listing(), username: 'octocat' },
          {
            registry: 'registry.work.example',
            account: listing({ id: 'acc-2', name: 'work:ada' }),
            username: 'ada',
          },
        ],
      },
    );
    const { code, out } = await asHelper('list', '', services);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ 'ghcr.io': 'octocat', 'registry.work.example': 'ada' });
    expect(services.registryChanges).toEqual([undefined]);
  });

  it('list with none mapped prints an empty map', async () => {
    const { code, out } = await asHelper('list', '', answering());
    expect(code).toBe(0);
    expect(out).toBe('{}\n');
  });
});

describe('docker-credential map and unmap', () => {
  const run = async (argv: string[], services: Services) => {
    const host = fakeCliHost({ argv: ['docker-credential', ...argv] });
    const code = await runCli(host, services);
    return { code, out: host.out(), err: host.err() };
  };

  it('map sends the registry and the account, and prints the mappings', async () => {
    const services = scriptedServices(
      { ok: false, failure: { message: 'unused', exitCode: EXIT_CODES.failed } },
      undefined,
      { ok: true, value: [{ registry: 'ghcr.io', account: listing(), username: 'octocat' }] },
    );
    const { code, out } = await run(['map', 'ghcr.io', 'github:octocat'], services);
    expect(code).toBe(0);
    expect(services.registryChanges).toEqual([{ registry: 'ghcr.io', account: 'github:octocat' }]);
    expect(out).toBe('ghcr.io\tgithub:octocat\n');
  });

  it('unmap sends null for the account', async () => {
    const services = answering();
    const { code } = await run(['unmap', 'ghcr.io'], services);
    expect(code).toBe(0);
    expect(services.registryChanges).toEqual([{ registry: 'ghcr.io', account: null }]);
  });

  it.each([
    [['map', 'ghcr.io']],
    [['unmap']],
    [['unmap', 'ghcr.io', 'extra']],
    [['map', 'a', 'b', 'c']],
  ])('refuses %j with a usage error', async (argv) => {
    const services = answering();
    const { code, err } = await run(argv, services);
    expect(code).toBe(EXIT_CODES.badArguments);
    expect(err).toMatch(/^tokendesk: /);
    expect(services.registryChanges).toEqual([]);
  });

  it('a failure of the app is reported with its exit code', async () => {
    const services = scriptedServices(
      { ok: false, failure: { message: 'unused', exitCode: EXIT_CODES.failed } },
      undefined,
      {
        ok: false,
        failure: { message: 'No account matches "x".', exitCode: EXIT_CODES.noSuchAccount },
      },
    );
    const { code, err } = await run(['map', 'ghcr.io', 'x'], services);
    expect(code).toBe(EXIT_CODES.noSuchAccount);
    expect(err).toBe('tokendesk: No account matches "x".\n');
  });
});
