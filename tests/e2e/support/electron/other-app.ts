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
const { app, BrowserWindow, clipboard, ClipboardItem } = require('electron');
const { createInterface } = require('node:readline');
let window;
const answer = (id, value) => process.stdout.write('OTHER-APP ' + JSON.stringify({ id, value }) + '\\n');
// Focus arrives as an X event after focus(): answer once the window has it, or say it did not.
const focused = (win) => new Promise((resolve) => {
  if (win.isFocused()) return resolve(true);
  const timer = setTimeout(() => resolve(win.isFocused()), 10000);
  win.once('focus', () => { clearTimeout(timer); resolve(true); });
});
// A raw clipboard format (an X target here) by name, whoever offers it. Electron 44 and later
// spell it as a MIME of their own and read it as a Blob; Electron 33 has has() and readBuffer()
// for raw names (its availableFormats() lists standard types only).
const osFormat = (name) => 'electron application/osclipboard;format="' + name + '"';
const readFormat = async (name) => {
  if (!ClipboardItem) {
    return clipboard.has(name)
      ? { offered: true, text: clipboard.readBuffer(name).toString('utf8') }
      : { offered: false, text: '' };
  }
  for (const item of await clipboard.read()) {
    if (item.types.includes(osFormat(name))) {
      return { offered: true, text: Buffer.from(await (await item.getType(osFormat(name))).arrayBuffer()).toString('utf8') };
    }
  }
  return { offered: false, text: '' };
};
// Offers one raw format, value 'secret' (Electron 33 can offer it only on its own).
const writeFormat = async (name) => {
  if (!ClipboardItem) clipboard.writeBuffer(name, Buffer.from('secret'));
  else await clipboard.write([new ClipboardItem({ [osFormat(name)]: 'secret' })]);
};
app.on('window-all-closed', () => {});
app.whenReady().then(() => {
  const lines = createInterface({ input: process.stdin });
  lines.on('close', () => app.exit(0));
  lines.on('line', async (line) => {
    const { id, op, text } = JSON.parse(line);
    // Electron 33 answers these at once, newer Electron with promises: await takes both.
    if (op === 'read') answer(id, await clipboard.readText());
    else if (op === 'write') { await clipboard.writeText(text); answer(id, true); }
    else if (op === 'readFormat') answer(id, await readFormat(text));
    else if (op === 'writeFormat') { await writeFormat(text); answer(id, true); }
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

/** A raw clipboard format (an X target) as another app sees it. */
export interface RawFormat {
  readonly offered: boolean;
  /** Its bytes as UTF-8; '' when not offered. */
  readonly text: string;
}

export interface OtherApp {
  /** The clipboard's text as another X client sees it. */
  readClipboard(): Promise<string>;
  /** Whether the clipboard offers the raw format `name` (an X target), and its value. */
  readFormat(name: string): Promise<RawFormat>;
  /** Copies the raw format `name` with the value 'secret', as a password manager would. */
  writeFormat(name: string): Promise<void>;
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
    readFormat: async (name) => (await request('readFormat', name)) as RawFormat,
    writeFormat: async (name) => {
      await request('writeFormat', name);
    },
    focusOwnWindow: async () => (await request('focus')) === true,
    stop,
  };
};
