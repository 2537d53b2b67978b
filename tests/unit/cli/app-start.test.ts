/**
 * Which app the command starts when none is running: the one TOKENDESK_APP names, else the app
 * a packaged command sits in (per platform's layout), else none — never a guess.
 */
import { describe, expect, it } from 'vitest';
import { appToStart, packagedApp } from '../../../main/cli/app-start';

const choose = (options: {
  env?: Record<string, string>;
  platform?: string;
  execPath: string;
  existing?: string[];
  recorded?: string;
}) =>
  appToStart(
    {
      env: options.env ?? {},
      platform: options.platform ?? 'linux',
      execPath: options.execPath,
      fileExists: (path) => (options.existing ?? []).includes(path),
    },
    options.recorded,
  );

describe('appToStart', () => {
  it('takes TOKENDESK_APP first: the executable, then its arguments', () => {
    expect(
      choose({
        env: { TOKENDESK_APP: '["/dev/electron", "/dev/app", "--flag"]' },
        execPath: '/opt/Tokendesk/resources/bin/tokendesk',
        existing: ['/opt/Tokendesk/tokendesk'],
      }),
    ).toEqual({ kind: 'app', app: { file: '/dev/electron', args: ['/dev/app', '--flag'] } });
  });

  it.each(['/dev/electron', '[]', '[1]', '["/x", 2]', '{"file":"/x"}'])(
    'says what is wrong with TOKENDESK_APP=%s instead of starting something else',
    (value) => {
      expect(choose({ env: { TOKENDESK_APP: value }, execPath: '/usr/bin/tokendesk' })).toEqual({
        kind: 'bad-setting',
        message: expect.stringContaining('TOKENDESK_APP must be a JSON array') as unknown,
      });
    },
  );

  it('on Linux starts <resources>/../tokendesk beside a packaged command', () => {
    expect(
      choose({
        execPath: '/opt/Tokendesk/resources/bin/tokendesk',
        existing: ['/opt/Tokendesk/tokendesk'],
      }),
    ).toEqual({ kind: 'app', app: { file: '/opt/Tokendesk/tokendesk', args: [] } });
  });

  it('starts nothing when the packaged app is not there, or the command is not packaged', () => {
    expect(choose({ execPath: '/opt/Tokendesk/resources/bin/tokendesk' })).toEqual({
      kind: 'none',
    });
    expect(
      choose({ execPath: '/usr/local/bin/tokendesk', existing: ['/usr/local/tokendesk'] }),
    ).toEqual({ kind: 'none' });
  });

  it('a command away from the app (copied out of an AppImage) starts the app it recorded', () => {
    const recorded = '["/home/ada/Apps/Tokendesk.AppImage"]';
    expect(
      choose({
        execPath: '/home/ada/.local/bin/tokendesk',
        recorded,
        existing: ['/home/ada/Apps/Tokendesk.AppImage'],
      }),
    ).toEqual({ kind: 'app', app: { file: '/home/ada/Apps/Tokendesk.AppImage', args: [] } });
    // The recorded app is gone (moved, deleted), or the record is not one: nothing is started.
    expect(choose({ execPath: '/home/ada/.local/bin/tokendesk', recorded })).toEqual({
      kind: 'none',
    });
    expect(
      choose({ execPath: '/home/ada/.local/bin/tokendesk', recorded: 'garbage', existing: [] }),
    ).toEqual({ kind: 'none' });
    // The app a packaged command sits in comes first.
    expect(
      choose({
        execPath: '/opt/Tokendesk/resources/bin/tokendesk',
        recorded,
        existing: ['/opt/Tokendesk/tokendesk', '/home/ada/Apps/Tokendesk.AppImage'],
      }),
    ).toEqual({ kind: 'app', app: { file: '/opt/Tokendesk/tokendesk', args: [] } });
  });

  it('an empty TOKENDESK_APP counts as unset', () => {
    expect(
      choose({
        env: { TOKENDESK_APP: ' ' },
        execPath: '/opt/Tokendesk/resources/bin/tokendesk',
        existing: ['/opt/Tokendesk/tokendesk'],
      }),
    ).toMatchObject({ kind: 'app', app: { file: '/opt/Tokendesk/tokendesk' } });
  });
});

describe('packagedApp', () => {
  it.each([
    ['linux', '/opt/Tokendesk/resources/bin/tokendesk', '/opt/Tokendesk/tokendesk'],
    [
      'win32',
      'C:\\Users\\me\\AppData\\Local\\Programs\\Tokendesk\\resources\\bin\\tokendesk.exe',
      'C:\\Users\\me\\AppData\\Local\\Programs\\Tokendesk\\Tokendesk.exe',
    ],
    [
      'darwin',
      '/Applications/Tokendesk.app/Contents/Resources/bin/tokendesk',
      '/Applications/Tokendesk.app/Contents/MacOS/Tokendesk',
    ],
    ['linux', '/usr/local/bin/tokendesk', undefined],
    ['linux', '/opt/x/resources/tokendesk', undefined],
  ])('on %s, %s → %s', (platform, execPath, app) => {
    expect(packagedApp(execPath, platform)).toBe(app);
  });
});
