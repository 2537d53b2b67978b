/**
 * "Install Command in PATH", on a real folder: links in ~/.local/bin (a copy from an AppImage,
 * whose files go away when it quits), the docker helper's name beside it, another program of the
 * same name left alone, macOS's sudo line where /usr/local/bin is not writable, and the Windows
 * Path given the command's folder.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import nodeFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installCommand } from '../../../main/shell/command-install';

let root: string;
let home: string;
let command: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tokendesk-install-'));
  home = join(root, 'home');
  mkdirSync(join(root, 'resources', 'bin'), { recursive: true });
  command = join(root, 'resources', 'bin', 'tokendesk');
  writeFileSync(command, '#!/bin/sh\necho command\n');
  chmodSync(command, 0o755);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('on Linux', () => {
  const bin = () => join(home, '.local', 'bin');

  it('links ~/.local/bin/tokendesk to the command, and docker’s name to that', async () => {
    const result = await installCommand({ command, platform: 'linux', home });
    expect(result.ok).toBe(true);
    expect(result.message).toContain(join(bin(), 'tokendesk'));
    expect(readlinkSync(join(bin(), 'tokendesk'))).toBe(command);
    expect(readlinkSync(join(bin(), 'docker-credential-tokendesk'))).toBe(join(bin(), 'tokendesk'));
    // Again: the links are ours and are replaced, not refused.
    expect((await installCommand({ command, platform: 'linux', home })).ok).toBe(true);
  });

  it('from an AppImage, copies the command: the mount it runs from goes away', async () => {
    const result = await installCommand({
      command,
      platform: 'linux',
      home,
      appImage: '/x.AppImage',
    });
    expect(result.ok).toBe(true);
    const installed = join(bin(), 'tokendesk');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(readFileSync(installed, 'utf8')).toBe(readFileSync(command, 'utf8'));
    expect(lstatSync(installed).mode & 0o111).not.toBe(0);
  });

  it('leaves another program called tokendesk alone, and says so', async () => {
    mkdirSync(bin(), { recursive: true });
    writeFileSync(join(bin(), 'tokendesk'), 'someone else');
    const result = await installCommand({ command, platform: 'linux', home });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('is not a link to Tokendesk');
    expect(readFileSync(join(bin(), 'tokendesk'), 'utf8')).toBe('someone else');
  });

  it('says the build has no command when it has none', async () => {
    rmSync(command);
    const result = await installCommand({ command, platform: 'linux', home });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/npm run build/);
  });
});

describe('on macOS', () => {
  it('where /usr/local/bin is not writable, gives the sudo line to run', async () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const fs = {
      ...nodeFs,
      lstatSync: () => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      },
      mkdirSync: () => {
        throw denied;
      },
    } as unknown as typeof nodeFs;
    const result = await installCommand({ command, platform: 'darwin', home, fs });
    expect(result.ok).toBe(false);
    expect(result.message).toContain(`sudo ln -sf '${command}' '/usr/local/bin/tokendesk'`);
  });
});

describe('on Windows', () => {
  it('adds the command’s folder to the user’s Path', async () => {
    const addToWindowsPath = vi.fn(() => Promise.resolve());
    const result = await installCommand({ command, platform: 'win32', home, addToWindowsPath });
    expect(addToWindowsPath).toHaveBeenCalledWith(join(root, 'resources', 'bin'));
    expect(result.ok).toBe(true);
  });

  it('says why when the Path could not be changed', async () => {
    const addToWindowsPath = () => Promise.reject(new Error('registry locked'));
    const result = await installCommand({ command, platform: 'win32', home, addToWindowsPath });
    expect(result).toEqual({
      ok: false,
      message: 'Your Path could not be changed: registry locked',
    });
  });
});
