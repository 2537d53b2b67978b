/**
 * `tokendesk git-credential`: git's key=value protocol in and out. What git must see: the
 * provider's user name and the token as password with its expiry; nothing for a host no
 * account serves (git asks elsewhere); `quit=1` when the account exists but no token can be had.
 */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import { parseCredentialInput } from '../../../main/cli/git-credential';
import { runCli } from '../../../main/cli/main';
import type { Services } from '../../../main/cli/services';
import { fakeCliHost, handedToken, scriptedServices } from '../helpers/fake-cli-host';

const get = async (stdin: string | string[], services: Services, extra: string[] = []) => {
  const host = fakeCliHost({ argv: ['git-credential', ...extra, 'get'], stdinText: stdin });
  const code = await runCli(host, services);
  return { code, out: host.out(), err: host.err() };
};

const answering = (overrides: Parameters<typeof handedToken>[0] = {}) =>
  scriptedServices({ ok: true, value: handedToken(overrides) });

describe('parseCredentialInput', () => {
  it('reads key=value lines up to the blank line, values with = kept whole', () => {
    const attributes = parseCredentialInput(
      'protocol=https\nhost=github.com\npath=a=b.git\nwwwauth[]=Basic realm="x"\nwwwauth[]=Bearer\n\nhost=evil.example\n',
    );
    expect(Object.fromEntries(attributes)).toEqual({
      protocol: ['https'],
      host: ['github.com'],
      path: ['a=b.git'],
      'wwwauth[]': ['Basic realm="x"', 'Bearer'],
    });
  });

  it('takes CRLF line ends and skips lines without a key', () => {
    expect(
      Object.fromEntries(parseCredentialInput('protocol=https\r\nnonsense\r\n=x\r\nhost=h\r\n')),
    ).toEqual({
      protocol: ['https'],
      host: ['h'],
    });
  });
});

describe('git-credential get', () => {
  it('answers the user name, the token as password and its expiry in Unix seconds', async () => {
    const services = answering();
    const { code, out, err } = await get('protocol=https\nhost=github.com\n\n', services);
    expect(code).toBe(0);
    expect(out).toBe(
      'username=x-access-token\npassword=gho_access-token-1\npassword_expiry_utc=1893553445\n',
    );
    expect(err).toBe('');
    expect(services.queries).toEqual([
      { subcommand: 'git-credential', forUrl: 'https://github.com/' },
    ]);
  });

  it('never sends a refresh token, even if the app handed one by mistake', async () => {
    const leaky = {
      ...handedToken(),
      refreshToken: 'ghr_refresh',
      oauthRefreshToken: 'ghr_refresh',
    };
    const { out } = await get(
      'protocol=https\nhost=github.com\n\n',
      scriptedServices({ ok: true, value: leaky }),
    );
    expect(out).not.toContain('oauth_refresh_token');
    expect(out).not.toContain('ghr_refresh');
  });

  it('omits password_expiry_utc for a token that does not expire', async () => {
    const { out } = await get(
      'protocol=https\nhost=github.com\n\n',
      answering({ expiresAt: null }),
    );
    expect(out).toBe('username=x-access-token\npassword=gho_access-token-1\n');
  });

  it('asks for the path when git sends one, the port with the host, and --account', async () => {
    const services = answering();
    await get(
      ['protocol=https\nhost=git.example.com:8443\n', 'path=team/repo.git\nusername=me\n\n'],
      services,
      ['--account', 'gitlab:me'],
    );
    expect(services.queries).toEqual([
      {
        subcommand: 'git-credential',
        forUrl: 'https://git.example.com:8443/team/repo.git',
        account: 'gitlab:me',
      },
    ]);
  });

  it('stops reading at the blank line even if git keeps the pipe open', async () => {
    const services = answering();
    const host = fakeCliHost({ argv: ['git-credential', 'get'] });
    const neverEnding = (async function* () {
      yield Buffer.from('protocol=https\nhost=github.com\n\n');
      await new Promise(() => {}); // git still holds the pipe
    })();
    const code = await runCli({ ...host, stdin: neverEnding }, services);
    expect(code).toBe(0);
    expect(services.queries).toHaveLength(1);
  });

  it.each([
    'protocol=ssh\nhost=github.com\n\n',
    'protocol=cert\npath=/x.p12\n\n',
    'protocol=https\n\n',
  ])('answers nothing and asks nothing for %j', async (stdin) => {
    const services = answering();
    const { code, out } = await get(stdin, services);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(services.queries).toEqual([]);
  });

  it('with no such account: nothing on stdout (git tries elsewhere), a one-line note, exit 0', async () => {
    const { code, out, err } = await get(
      'protocol=https\nhost=example.com\n\n',
      scriptedServices({
        ok: false,
        failure: {
          message:
            'No account serves "https://example.com/";\nthe accounts are github:octocat (acc-1)',
          exitCode: EXIT_CODES.noSuchAccount,
        },
      }),
    );
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe(
      'tokendesk: No account serves "https://example.com/"; the accounts are github:octocat (acc-1)\n',
    );
  });

  it.each([
    ['denied', EXIT_CODES.denied],
    ['app not running', EXIT_CODES.noApp],
    ['reconnect', EXIT_CODES.reconnectNeeded],
  ])(
    'on any other failure (%s): the message on stderr and quit=1 so git does not prompt',
    async (message, exitCode) => {
      const { code, out, err } = await get(
        'protocol=https\nhost=github.com\n\n',
        scriptedServices({ ok: false, failure: { message, exitCode } }),
      );
      expect(code).toBe(0);
      expect(out).toBe('quit=1\n');
      expect(err).toBe(`tokendesk: ${message}\n`);
    },
  );

  it('refuses to pass on a token with a line break, which would add attributes of its own', async () => {
    const { out } = await get(
      'protocol=https\nhost=github.com\n\n',
      answering({ accessToken: 'abc\npassword_expiry_utc=1' }),
    );
    expect(out).toBe('quit=1\n');
  });
});

describe('git-credential store and erase', () => {
  it.each(['store', 'erase', 'some-future-action'])(
    '%s reads its input, asks nothing and prints nothing',
    async (action) => {
      const services = answering();
      const host = fakeCliHost({
        argv: ['git-credential', action],
        stdinText: 'protocol=https\nhost=github.com\nusername=x\npassword=secret\n\n',
      });
      expect(await runCli(host, services)).toBe(0);
      expect(host.out()).toBe('');
      expect(host.err()).toBe('');
      expect(services.queries).toEqual([]);
    },
  );
});
