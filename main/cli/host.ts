/**
 * Everything the command takes from its process, as one object: the real process in index.ts,
 * a stand-in in the tests. Subcommands reach stdin, stdout, the environment, child processes and
 * signals only through it, so each can be tested without Electron and without a terminal.
 */
import type { Socket } from 'node:net';

/** What `tokendesk run` needs of its child: to learn how it ended and to pass it signals. */
export interface ChildLike {
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): this;
  on(event: 'spawn', listener: () => void): this;
  kill(signal: NodeJS.Signals): boolean;
}

export interface Host {
  /** The arguments after the program's name. */
  readonly argv: readonly string[];
  /** The names the program was started under (argv0, the script, the executable). */
  readonly invokedAs: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  readonly homedir: string;
  readonly pid: number;
  readonly ppid: number;
  /** The executable running this program: where a packaged command finds the app. */
  readonly execPath: string;
  readonly stdin: AsyncIterable<Buffer | string>;
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
  fileExists(path: string): boolean;
  connect(address: string): Socket;
  /** Starts the app in the background and lets it outlive the command; false if it failed. */
  startDetached(file: string, args: readonly string[]): { failed(): boolean };
  /** Starts `tokendesk run`'s command with the terminal's stdio and the given environment. */
  startChild(file: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildLike;
  /** Listens for a signal sent to the command; returns how to stop listening. */
  onSignal(signal: NodeJS.Signals, listener: () => void): () => void;
  /** The standard output of a short program (macOS `ps`), or undefined if it fails. */
  capture(file: string, args: readonly string[]): Promise<string | undefined>;
  sleep(ms: number): Promise<void>;
  now(): number;
}
