/** The Host of the real process: its arguments, streams, environment, files and children. */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { homedir } from 'node:os';
import type { Host } from './host';

export const processHost = (): Host => ({
  argv: process.argv.slice(2),
  invokedAs: [process.argv0, process.argv[1] ?? '', process.execPath],
  env: process.env,
  platform: process.platform,
  homedir: homedir(),
  pid: process.pid,
  ppid: process.ppid,
  execPath: process.execPath,
  // Opened only when a subcommand reads it: an open stdin handle of a terminal is not free.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  fileExists: (path) => existsSync(path),
  connect: (address) => connect(address),
  startDetached(file, args) {
    let failed = false;
    // Its own process group, no terminal, and the home folder as its working folder: the app
    // outlives this command and must not hold the caller's folder or terminal.
    const child = spawn(file, args, { detached: true, stdio: 'ignore', cwd: homedir() });
    child.on('error', () => {
      failed = true;
    });
    child.unref();
    return { failed: () => failed };
  },
  startChild: (file, args, env) => spawn(file, args, { stdio: 'inherit', env }),
  onSignal(signal, listener) {
    process.on(signal, listener);
    return () => void process.off(signal, listener);
  },
  capture: (file, args) =>
    new Promise((resolve) => {
      execFile(file, args, { timeout: 2000, encoding: 'utf8' }, (error, stdout) =>
        resolve(error ? undefined : stdout),
      );
    }),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
});
