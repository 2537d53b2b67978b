/**
 * `npm start` on a fresh clone (scripts/start.ts): the `electron` package has no binary yet.
 * Where Electron can be fetched, the start fetches it once with progress a user can watch, and
 * goes on to electron-vite; where it cannot, it stops with one line that says why and what to do,
 * without a stack trace, and starts nothing else.
 *
 * The `electron` package is a copy without its binary (TOKENDESK_ELECTRON_PACKAGE_DIR), and
 * "GitHub" is a local mirror (ELECTRON_MIRROR) serving a stand-in Electron, or a closed port.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFiles, writeStandInExecutable, zipFolder } from './stand-in-electron';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const realPackage = join(repoRoot, 'node_modules', 'electron');
const version = (
  JSON.parse(readFileSync(join(realPackage, 'package.json'), 'utf8')) as { version: string }
).version;
const zipName = `electron-v${version}-linux-x64.zip`;

let work: string;
let packageDir: string;
let appDir: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tokendesk-start-test-'));
  appDir = join(work, 'app');
  writeFiles(appDir, { 'package.json': '{ "main": "main.js" }', 'main.js': '' });
  // The package's own files, with what they require reachable as in node_modules.
  packageDir = join(work, 'electron');
  mkdirSync(join(packageDir, 'node_modules', '@electron'), { recursive: true });
  for (const file of ['package.json', 'index.js', 'install.js', 'cli.js', 'checksums.json']) {
    copyFileSync(join(realPackage, file), join(packageDir, file));
  }
  symlinkSync(
    join(realPackage, 'node_modules', '@electron', 'get'),
    join(packageDir, 'node_modules', '@electron', 'get'),
  );
  symlinkSync(
    join(repoRoot, 'node_modules', '@electron-internal'),
    join(packageDir, 'node_modules', '@electron-internal'),
  );
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm start` as scripts/start.ts, in a stand-in project (its package.json names a main script,
 * all electron-vite checks before it starts Electron), told not to build: a clean clone has no
 * out/ yet when the unit tests run.
 */
const start = (mirror: string): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        import.meta.resolve('tsx'),
        join(repoRoot, 'scripts', 'start.ts'),
        'preview',
        '--skipBuild',
      ],
      {
        cwd: appDir,
        env: {
          ...process.env,
          TOKENDESK_ELECTRON_PACKAGE_DIR: packageDir,
          ELECTRON_MIRROR: mirror,
          electron_use_remote_checksums: '1',
          electron_config_cache: join(work, 'electron-cache'),
          ELECTRON_OVERRIDE_DIST_PATH: '',
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
    ),
  );

describe('npm start without the Electron binary', () => {
  it('fetches Electron once, showing progress, then starts the app on it', async () => {
    // The release zip as GitHub serves it: the executable at its root.
    const release = join(work, 'release');
    writeStandInExecutable(join(release, 'electron'), {
      electron: version,
      chrome: '0',
      node: '0',
    });
    const zip = join(work, zipName);
    zipFolder(release, ['electron'], zip);
    const zipBytes = readFileSync(zip);
    const sums = `${createHash('sha256').update(zipBytes).digest('hex')} *${zipName}\n`;
    const served: string[] = [];
    const server = createServer((request, response) => {
      served.push(request.url ?? '');
      if (request.url === `/v${version}/${zipName}`) {
        response.writeHead(200, { 'content-length': String(zipBytes.length) });
        response.end(zipBytes);
      } else if (request.url === `/v${version}/SHASUMS256.txt`) response.end(sums);
      else response.writeHead(404).end();
    });
    const mirror = await listen(server);
    try {
      const run = await start(mirror);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stdout).toContain(`Electron ${version} is not installed yet: fetching it once`);
      expect(run.stdout).toMatch(
        new RegExp(`Fetching Electron ${version.replace(/\./g, '\\.')}: 100%`),
      );
      expect(run.stdout).toContain(`Electron ${version} installed.`);
      // The package's own install step unpacked it where the package (and electron-vite) look.
      expect(readFileSync(join(packageDir, 'path.txt'), 'utf8')).toBe('electron');
      expect(existsSync(join(packageDir, 'dist', 'electron'))).toBe(true);
      // electron-vite then started the app on that binary.
      expect(run.stdout).toContain('STAND-IN ELECTRON');
      expect(run.code).toBe(0);
      expect(served).toContain(`/v${version}/${zipName}`);

      // The next start fetches nothing.
      served.length = 0;
      const again = await start(mirror);
      expect(again.stdout).not.toContain('fetching it once');
      expect(again.stdout).toContain('STAND-IN ELECTRON');
      expect(served).toEqual([]);
    } finally {
      server.close();
    }
  }, 90_000);

  it('stops with one line saying why and what to do when Electron cannot be fetched', async () => {
    const closed = createServer();
    const mirror = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));

    const run = await start(mirror);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^\\[tokendesk\\] Cannot fetch Electron ${version.replace(/\./g, '\\.')} \\(ECONNREFUSED`,
      ),
    );
    expect(lines[0]).toContain('Connect to the internet and run this again');
    expect(lines[0]).toContain('npm run start:test-runtime');
    // No runtime swapped in, nothing started, nothing half-installed.
    expect(run.stdout).not.toContain('STAND-IN');
    expect(existsSync(join(packageDir, 'path.txt'))).toBe(false);
  }, 60_000);
});
