/**
 * The command from arguments to exit code, with the app's answers scripted: what each token
 * format prints, what a usage error looks like, and that failures go to stderr only.
 */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import { runCli } from '../../../main/cli/main';
import { fakeCliHost, handedToken, scriptedServices } from '../helpers/fake-cli-host';

const tokenAnswer = (overrides: Parameters<typeof handedToken>[0] = {}) =>
  scriptedServices({ ok: true, value: handedToken(overrides) });

describe('tokendesk token', () => {
  it('prints the bare token and a newline by default', async () => {
    const host = fakeCliHost({ argv: ['token'] });
    expect(await runCli(host, tokenAnswer())).toBe(0);
    expect(host.out()).toBe('gho_access-token-1\n');
    expect(host.err()).toBe('');
  });

  it('prints an Authorization header with "bearer" spelt as HTTP does', async () => {
    const host = fakeCliHost({ argv: ['token', '--format', 'header'] });
    await runCli(host, tokenAnswer());
    expect(host.out()).toBe('Authorization: Bearer gho_access-token-1\n');
  });

  it('keeps another token type as the app gives it', async () => {
    const host = fakeCliHost({ argv: ['token', '--format', 'header'] });
    await runCli(host, tokenAnswer({ tokenType: 'DPoP' }));
    expect(host.out()).toBe('Authorization: DPoP gho_access-token-1\n');
  });

  it('prints JSON with an ISO expiry, or null for a token that does not expire', async () => {
    const host = fakeCliHost({ argv: ['token', '--format', 'json'] });
    await runCli(host, tokenAnswer());
    expect(JSON.parse(host.out())).toEqual({
      accessToken: 'gho_access-token-1',
      tokenType: 'bearer',
      expiresAt: '2030-01-02T03:04:05.678Z',
      scopes: ['repo', 'read:user'],
    });
    const forever = fakeCliHost({ argv: ['token', '--format', 'json'] });
    await runCli(forever, tokenAnswer({ expiresAt: null }));
    expect((JSON.parse(forever.out()) as { expiresAt: unknown }).expiresAt).toBeNull();
  });

  it('asks for the account, URL and minimum lifetime typed', async () => {
    const services = tokenAnswer();
    await runCli(
      fakeCliHost({ argv: ['token', 'github', '--for', 'api.github.com', '--min-ttl', '1h30m'] }),
      services,
    );
    expect(services.queries).toEqual([
      {
        subcommand: 'token',
        account: 'github',
        forUrl: 'https://api.github.com',
        minTtlSeconds: 5400,
      },
    ]);
  });

  it("prints the app's refusal on stderr with its exit code, nothing on stdout", async () => {
    const host = fakeCliHost({ argv: ['token'] });
    const services = scriptedServices({
      ok: false,
      failure: { message: 'The request was denied in Tokendesk.', exitCode: EXIT_CODES.denied },
    });
    expect(await runCli(host, services)).toBe(7);
    expect(host.err()).toBe('tokendesk: The request was denied in Tokendesk.\n');
    expect(host.out()).toBe('');
  });
});

describe('usage, help and version', () => {
  it('a usage error exits 2 with one tokendesk: line and where to read more', async () => {
    const host = fakeCliHost({ argv: ['token', '--min-ttl', 'soon'] });
    const services = tokenAnswer();
    expect(await runCli(host, services)).toBe(EXIT_CODES.badArguments);
    expect(host.err()).toBe(
      'tokendesk: --min-ttl takes a duration such as 90, 90s, 5m, 1h or 1h30m, not "soon"\n' +
        "Run 'tokendesk help token' for usage.\n",
    );
    expect(host.out()).toBe('');
    expect(services.queries).toEqual([]);
  });

  it('an unknown subcommand exits 2 pointing at the general help', async () => {
    const host = fakeCliHost({ argv: ['tokn'] });
    expect(await runCli(host, tokenAnswer())).toBe(2);
    expect(host.err()).toBe(
      'tokendesk: unknown subcommand "tokn"\nRun \'tokendesk help\' for usage.\n',
    );
  });

  it('help goes to stdout, names every subcommand, and asks the app nothing', async () => {
    const host = fakeCliHost({ argv: ['--help'] });
    const services = tokenAnswer();
    expect(await runCli(host, services)).toBe(0);
    for (const name of ['token', 'run', 'git-credential', 'kube', 'docker-credential', 'accounts'])
      expect(host.out()).toContain(`  ${name} `);
    expect(services.queries).toEqual([]);
  });

  it("a subcommand's help shows its own usage", async () => {
    const host = fakeCliHost({ argv: ['help', 'run'] });
    await runCli(host, tokenAnswer());
    expect(host.out()).toMatch(/^Usage: tokendesk run /);
  });

  it('--version prints the version', async () => {
    const host = fakeCliHost({ argv: ['--version'] });
    expect(await runCli(host, tokenAnswer())).toBe(0);
    expect(host.out()).toMatch(/^tokendesk \S+\n$/);
  });
});
