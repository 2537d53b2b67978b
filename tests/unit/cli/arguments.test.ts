/**
 * The command line as typed: each subcommand's options, and the usage errors a person gets
 * instead of a guess (unknown subcommand or option, a missing value, a bad duration).
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../main/cli/arguments';

const parse = (argv: string[], invokedAs = ['/usr/bin/tokendesk']) =>
  parseCommandLine(argv, invokedAs);

describe('tokendesk token', () => {
  it('takes an account, a URL, a format and a minimum lifetime', () => {
    expect(
      parse([
        'token',
        'github:octocat',
        '--for',
        'https://api.github.com/user',
        '--format',
        'json',
        '--min-ttl',
        '5m',
      ]),
    ).toEqual({
      kind: 'token',
      selection: { account: 'github:octocat', forUrl: 'https://api.github.com/user' },
      format: 'json',
      minTtlSeconds: 300,
    });
  });

  it('prints the bare token and leaves the account to the app when nothing is given', () => {
    expect(parse(['token'])).toEqual({ kind: 'token', selection: {}, format: 'bare' });
  });

  it('takes --for=value and a host without a scheme as https', () => {
    expect(parse(['token', '--for=api.github.com'])).toMatchObject({
      selection: { forUrl: 'https://api.github.com' },
    });
  });

  it.each([
    [['token', '--format', 'curl'], '--format is one of bare, header, json, not "curl"'],
    [
      ['token', '--min-ttl', '5x'],
      '--min-ttl takes a duration such as 90, 90s, 5m, 1h or 1h30m, not "5x"',
    ],
    [['token', '--verbose'], 'unknown option --verbose'],
    [['token', '--for'], 'option --for needs a value'],
    [['token', 'a', 'b'], 'too many arguments (b); usage: tokendesk token [<account>]'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(parse(argv)).toEqual({ kind: 'usage', message, topic: 'token' });
  });
});

describe('tokendesk run', () => {
  it('keeps everything after -- for the command, its options included', () => {
    expect(
      parse(['run', 'github', '--env', 'GH_TOKEN', '--', 'gh', '--help', '--', '-h', '--version']),
    ).toEqual({
      kind: 'run',
      selection: { account: 'github' },
      envName: 'GH_TOKEN',
      command: ['gh', '--help', '--', '-h', '--version'],
    });
  });

  it('refuses a missing command, and a command without --', () => {
    expect(parse(['run', 'github'])).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^missing command/) as unknown,
    });
    expect(parse(['run', '--'])).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^missing command/) as unknown,
    });
    expect(parse(['run', 'github', 'gh', 'api'])).toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/^put the command after --/) as unknown,
    });
  });

  it('refuses an --env that is not a variable name', () => {
    expect(parse(['run', '--env', 'A=B', '--', 'true'])).toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('--env takes a variable name') as unknown,
    });
  });

  it('says an option before -- lacks its value rather than eating the --', () => {
    expect(parse(['run', '--env', '--', 'true'])).toEqual({
      kind: 'usage',
      message: 'option --env needs a value',
      topic: 'run',
    });
  });
});

describe('the credential helpers', () => {
  it('git-credential takes one action, and --account', () => {
    expect(parse(['git-credential', '--account', 'github:octocat', 'get'])).toEqual({
      kind: 'git-credential',
      account: 'github:octocat',
      action: 'get',
    });
    expect(parse(['git-credential'])).toMatchObject({ kind: 'usage', topic: 'git-credential' });
  });

  it('git-credential passes on an action git may add later (git asks helpers to ignore those)', () => {
    expect(parse(['git-credential', 'approve'])).toEqual({
      kind: 'git-credential',
      action: 'approve',
    });
  });

  it('docker-credential takes get, store, erase and list only', () => {
    expect(parse(['docker-credential', 'list'])).toEqual({
      kind: 'docker-credential',
      action: 'list',
    });
    expect(parse(['docker-credential', 'version'])).toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('unknown action "version"') as unknown,
    });
  });

  it.each([
    ['/usr/local/bin/docker-credential-tokendesk'],
    ['docker-credential-tokendesk'],
    ['C:\\Program Files\\Tokendesk\\resources\\bin\\docker-credential-tokendesk.exe'],
  ])('under the name %s the program is the docker helper', (name) => {
    expect(parse(['get'], ['/opt/node', name])).toEqual({
      kind: 'docker-credential',
      action: 'get',
    });
  });

  it('under its own name, `get` alone is not a subcommand', () => {
    expect(parse(['get'])).toEqual({ kind: 'usage', message: 'unknown subcommand "get"' });
  });
});

describe('help, version and the rest', () => {
  it('--help or -h anywhere gives the help of the subcommand, even with bad options', () => {
    expect(parse(['kube', '--nonsense', '-h'])).toEqual({ kind: 'help', topic: 'kube' });
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['help', 'accounts'])).toEqual({ kind: 'help', topic: 'accounts' });
    expect(parse(['help'])).toEqual({ kind: 'help' });
  });

  it('--version wins over the subcommand', () => {
    expect(parse(['token', '--version'])).toEqual({ kind: 'version' });
  });

  it('refuses an unknown subcommand, help topic or leading option', () => {
    expect(parse(['tokens'])).toEqual({ kind: 'usage', message: 'unknown subcommand "tokens"' });
    expect(parse(['help', 'nope'])).toEqual({
      kind: 'usage',
      message: 'no help on "nope"',
      topic: 'help',
    });
    expect(parse(['--for', 'x', 'token'])).toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('unknown option --for') as unknown,
    });
    expect(parse([])).toEqual({ kind: 'usage', message: 'missing subcommand' });
  });

  it('accounts takes --json and nothing else', () => {
    expect(parse(['accounts', '--json'])).toEqual({ kind: 'accounts', json: true });
    expect(parse(['accounts', '--json=yes'])).toMatchObject({
      kind: 'usage',
      message: 'option --json takes no value',
    });
  });

  it('kube takes an account and --min-ttl', () => {
    expect(parse(['kube', 'google', '--min-ttl', '90'])).toEqual({
      kind: 'kube',
      selection: { account: 'google' },
      minTtlSeconds: 90,
    });
  });
});
