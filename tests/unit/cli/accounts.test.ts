/** `tokendesk accounts`: the table a person reads and the JSON a script reads; never a token. */
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../../shared/command-line';
import { runCli } from '../../../main/cli/main';
import { fakeCliHost, listing, scriptedServices } from '../helpers/fake-cli-host';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const ACCOUNTS = [
  listing({ expiresAt: NOW + 42 * 60_000 + 30_000 }),
  listing({
    id: 'acc-2',
    name: 'google:me@example.com',
    providerId: 'google',
    status: 'reconnect-needed',
    expiresAt: NOW - 1000,
  }),
  listing({ id: 'acc-3', name: 'gitlab:x', expiresAt: null }),
  listing({ id: 'acc-4', name: 'ms:y', hasToken: false, expiresAt: null }),
];

const run = async (argv: string[]) => {
  const host = fakeCliHost({ argv, now: () => NOW });
  const services = scriptedServices(
    { ok: false, failure: { message: 'unused', exitCode: 1 } },
    { ok: true, value: ACCOUNTS },
  );
  const code = await runCli(host, services);
  return { code, out: host.out() };
};

describe('tokendesk accounts', () => {
  it('prints aligned columns with expiry in words', async () => {
    const { code, out } = await run(['accounts']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'NAME                   ID     STATUS            EXPIRES',
        'github:octocat         acc-1  ok                in 42 min',
        'google:me@example.com  acc-2  reconnect-needed  expired',
        'gitlab:x               acc-3  ok                never',
        'ms:y                   acc-4  ok                no token',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON with ISO expiry times or null', async () => {
    const { out } = await run(['accounts', '--json']);
    const rows = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      id: 'acc-1',
      name: 'github:octocat',
      providerId: 'github',
      presetId: 'github',
      displayName: 'The Octocat',
      status: 'ok',
      hasToken: true,
      expiresAt: '2030-01-01T12:42:30.000Z',
    });
    expect(rows[2]?.expiresAt).toBeNull();
  });

  it('fails like every subcommand when the app refuses', async () => {
    const host = fakeCliHost({ argv: ['accounts'] });
    const services = scriptedServices(
      { ok: false, failure: { message: 'unused', exitCode: 1 } },
      {
        ok: false,
        failure: { message: 'Command-line access is off.', exitCode: EXIT_CODES.accessOff },
      },
    );
    expect(await runCli(host, services)).toBe(10);
    expect(host.err()).toBe('tokendesk: Command-line access is off.\n');
  });
});
