/**
 * Another desktop application beside Tokendesk, for the real-Electron specs: a separate Electron
 * process on the same display, so what it reads from the clipboard went through the X server
 * (Tokendesk's own clipboard.readText() answers from its own copy while it owns the selection),
 * what it copies takes the selection away from Tokendesk as another app would, and its window can
 * take the keyboard focus from Tokendesk's.
 *
 * It is a throwaway app written to a temporary folder (as keyring-probe.ts does) and driven by
 * one JSON line per request on stdin, answered by one line on stdout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ElectronRuntime } from './which-electron';

const OTHER_APP_MAIN = `
const { app, BrowserWindow, clipboard } = require('electron');
const { createInterface } = require('node:readline');
let window;
const answer = (id, value) => process.stdout.write('OTHER-APP ' + JSON.stringify({ id, value }) + '\\n');
// Focus arrives as an X event after focus(): answer once the window has it, or say it did not.
const focused = (win) => new Promise((resolve) => {
  if (win.isFocused()) return resolve(true);
  const timer = setTimeout(() => resolve(win.isFocused()), 10000);
  win.once('focus', () => { clearTimeout(timer); resolve(true); });
});
app.on('window-all-closed', () => {});
app.whenReady().then(() => {
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => app.exit(0));
  lines.on('line', async (line) => {
    const { id, op, text } = JSON.parse(line);
    // Electron 33 answers these at once, newer Electron with promises: await takes both.
    if (op === 'read') answer(id, await clipboard.readText());
    else if (op === 'write') { await clipboard.writeText(text); answer(id, true); }
    else if (op === 'focus') {
      if (!window) {
        window = new BrowserWindow({ x: 0, y: 0, width: 320, height: 200, title: 'Another app', show: false });
        await window.loadURL('data:text/html,<title>Another app</title>');
      }
      window.show();
      window.focus();
      answer(id, await focused(window));
    }
  });
  answer(0, 'ready');
});
`;

export interface OtherApp {
  /** The clipboard's text as another X client sees it. */
  readClipboard(): Promise<string>;
  /** Copies `text` in this other app: Tokendesk no longer owns the clipboard. */
  writeClipboard(text: string): Promise<void>;
  /** Shows this app's window and gives it the keyboard focus (false: it did not get it). */
  focusOwnWindow(): Promise<boolean>;
  stop(): Promise<void>;
}

const ANSWER_TIMEOUT_MS = 30_000;

export const startOtherApp = async (runtime: ElectronRuntime): Promise<OtherApp> => {
  const dir = mkdtempSync(join(tmpdir(), 'tokendesk-other-app-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'tokendesk-e2e-other-app', main: 'main.cjs' }),
  );
  writeFileSync(join(dir, 'main.cjs'), OTHER_APP_MAIN);
  const child = spawn(runtime.executable, ['--no-sandbox', dir], {
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Chromium's stderr chatter is not ours to read; it must still be drained.
  child.stderr.resume();

  const waiting = new Map<number, (value: unknown) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('OTHER-APP ')) return;
    const { id, value } = JSON.parse(line.slice('OTHER-APP '.length)) as {
      id: number;
      value: unknown;
    };
    waiting.get(id)?.(value);
    waiting.delete(id);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const answerTo = (id: number, what: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the other app did not answer ${what} within ${ANSWER_TIMEOUT_MS} ms`));
      }, ANSWER_TIMEOUT_MS);
      waiting.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      void exited.then(() => reject(new Error(`the other app exited before answering ${what}`)));
    });

  let next = 1;
  const request = (op: string, text?: string): Promise<unknown> => {
    const id = next++;
    const answer = answerTo(id, op);
    child.stdin.write(`${JSON.stringify({ id, op, text })}\n`);
    return answer;
  };

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await answerTo(0, 'its start');
  } catch (error) {
    child.kill('SIGKILL');
    await stop();
    throw error;
  }
  return {
    readClipboard: async () => String(await request('read')),
    writeClipboard: async (text) => {
      await request('write', text);
    },
    focusOwnWindow: async () => (await request('focus')) === true,
    stop,
  };
};
