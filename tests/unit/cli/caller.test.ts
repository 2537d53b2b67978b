/** Who asked, as the app's approval prompt and hand-out log show it. */
import { describe, expect, it } from 'vitest';
import { callerInfo, commandLineOf, quoteArgument } from '../../../main/cli/caller';
import { fakeCliHost } from '../helpers/fake-cli-host';

describe('commandLineOf', () => {
  it('quotes the arguments a shell would split or expand, so the line reads as typed', () => {
    expect(commandLineOf(['run', '--', 'sh', '-c', 'echo "$TOKEN" it\'s'])).toBe(
      `tokendesk run -- sh -c 'echo "$TOKEN" it'\\''s'`,
    );
    expect(quoteArgument('')).toBe("''");
    expect(quoteArgument('https://api.github.com/user?x=1')).toBe(
      "'https://api.github.com/user?x=1'",
    );
    expect(quoteArgument('github:me@example.com')).toBe('github:me@example.com');
  });

  it('names the program as it was run', () => {
    expect(commandLineOf(['get'], 'docker-credential-tokendesk')).toBe(
      'docker-credential-tokendesk get',
    );
  });

  it('is capped, so a long command cannot push the request past its limit', () => {
    const line = commandLineOf(['run', '--', 'echo', 'x'.repeat(20_000)]);
    expect(line.length).toBe(2000);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('callerInfo', () => {
  it("on Linux reads the parent's command line from /proc, NULs as spaces, capped at 500", async () => {
    const read: string[] = [];
    const host = fakeCliHost({
      argv: ['git-credential', 'get'],
      ppid: 99,
      readFile: (path) => {
        read.push(path);
        return Promise.resolve(`git\0remote-https\0origin\0${'y'.repeat(600)}\0`);
      },
    });
    const caller = await callerInfo(host, 'tokendesk');
    expect(read).toEqual(['/proc/99/cmdline']);
    expect(caller.commandLine).toBe('tokendesk git-credential get');
    expect(caller.pid).toBe(4242);
    expect(caller.parent?.startsWith('git remote-https origin yyy')).toBe(true);
    expect(caller.parent).toHaveLength(500);
  });

  it('on macOS asks ps for the parent', async () => {
    const asked: string[][] = [];
    const host = fakeCliHost({
      platform: 'darwin',
      ppid: 5,
      capture: (file, args) => {
        asked.push([file, ...args]);
        return Promise.resolve('/usr/local/bin/kubectl get pods\n');
      },
    });
    expect((await callerInfo(host, 'tokendesk')).parent).toBe('/usr/local/bin/kubectl get pods');
    expect(asked).toEqual([['/bin/ps', '-o', 'command=', '-p', '5']]);
  });

  it('leaves the parent out on Windows, and when it cannot be read', async () => {
    const windows = await callerInfo(fakeCliHost({ platform: 'win32' }), 'tokendesk');
    expect(windows).not.toHaveProperty('parent');
    const gone = await callerInfo(
      fakeCliHost({ readFile: () => Promise.reject(new Error('ENOENT')) }),
      'tokendesk',
    );
    expect(gone).toEqual({ commandLine: 'tokendesk', pid: 4242 });
  });
});
