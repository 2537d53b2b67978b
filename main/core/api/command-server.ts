/**
 * The local channel the `tokendesk` command talks to: a Unix socket in a folder only the user
 * may enter (0700) on Linux and macOS, a named pipe on Windows, plus a key the command must
 * present, rewritten at each start into a file only the user can read (Node cannot set a pipe's
 * access rules, so on Windows the key is what keeps other users out).
 *
 * Each connection carries one request line and gets one answer line. What a client cannot do to
 * the app: send more than MAX_REQUEST_BYTES (refused, closed), hold a connection open without
 * finishing its line (closed after the time limit), open connections without end (a cap), or
 * make it throw (every failure is an answer, and socket errors end that connection only).
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import nodeFs from 'node:fs';
import {
  commandChannel,
  MAX_REQUEST_BYTES,
  type CommandChannel,
  type CommandResponse,
} from '../../../shared/command-line';
import { errorOf, messageOf } from '../../../shared/errors';
import { exitCodeFor } from '../../../shared/command-line';
import type { Logger } from '../ports';
import { PRIVATE_FILE_MODE, PRIVATE_FOLDER_MODE, writeFileDurably } from '../storage/durable-file';

export interface CommandServerOptions {
  readonly userData: string;
  readonly platform?: NodeJS.Platform;
  /** The answer to one request line, given the key the line must carry. */
  readonly answer: (line: string, key: string) => Promise<CommandResponse>;
  readonly logger: Logger;
  /** How long a client may take to send its whole request line. */
  readonly requestTimeoutMs?: number;
  readonly maxConnections?: number;
  /**
   * How to start this app again (executable, then arguments), recorded beside the key: a
   * command installed away from the app (an AppImage's copy, a link elsewhere) starts it from
   * here when it finds it not running.
   */
  readonly appCommand?: readonly string[];
}

export interface CommandServer {
  readonly channel: CommandChannel;
  close(): Promise<void>;
}

const REQUEST_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 256;

const refusal = (message: string): string => {
  const error = errorOf('commandMalformed', { message });
  return `${JSON.stringify({ ok: false, error, exitCode: exitCodeFor(error) })}\n`;
};

/**
 * The folder, made private and checked: a directory (not a link to one), the user's own, no one
 * else's access. Anything else is refused rather than listened in.
 */
const privateFolder = (folder: string): void => {
  nodeFs.mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform === 'win32') return;
  const stat = nodeFs.lstatSync(folder);
  if (!stat.isDirectory()) throw new Error(`${folder} is not a folder`);
  if (stat.uid !== process.getuid?.()) throw new Error(`${folder} belongs to another user`);
  if ((stat.mode & 0o777) !== PRIVATE_FOLDER_MODE) nodeFs.chmodSync(folder, PRIVATE_FOLDER_MODE);
};

/** Whether something answers at a socket path (another Tokendesk with the same folder). */
const answers = (address: string): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.connect(address);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });

/**
 * A socket file left by an app that crashed is removed; one a running app answers on is not
 * taken over. Whatever else sits at the path in the private folder (a file) is removed too.
 */
const clearStaleSocket = async (address: string): Promise<void> => {
  let stat: nodeFs.Stats;
  try {
    stat = nodeFs.lstatSync(address);
  } catch {
    return;
  }
  if (stat.isSocket() && (await answers(address)))
    throw new Error('another Tokendesk already answers on this folder’s command channel');
  nodeFs.unlinkSync(address);
};

const serveConnection = (socket: net.Socket, options: CommandServerOptions, key: string): void => {
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const refuse = (message: string) => {
    done = true;
    socket.end(refusal(message));
  };
  socket.setTimeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, () => {
    if (!done) refuse('The request did not arrive whole in time.');
    socket.destroy();
  });
  // A client that goes away (or breaks the connection) ends only its own connection.
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    const newline = chunk.indexOf(0x0a);
    size += newline === -1 ? chunk.length : newline + 1;
    if (size > MAX_REQUEST_BYTES) {
      refuse(`The request is longer than ${MAX_REQUEST_BYTES} bytes.`);
      return;
    }
    if (newline === -1) {
      chunks.push(chunk);
      return;
    }
    chunks.push(chunk.subarray(0, newline));
    done = true;
    // The answer may wait for the user's approval: that has its own time limit.
    socket.setTimeout(0);
    const line = Buffer.concat(chunks).toString('utf8');
    void options
      .answer(line, key)
      .catch((error: unknown) => {
        options.logger.error('the command line’s answer failed', { reason: messageOf(error) });
        const internal = errorOf('internal');
        const answer: CommandResponse = {
          ok: false,
          error: internal,
          exitCode: exitCodeFor(internal),
        };
        return answer;
      })
      .then((response) => {
        if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
      });
  });
  socket.on('end', () => {
    if (!done) refuse('The request ended before its end of line.');
  });
};

/**
 * The app's start command, written only when it changed (an update, a moved AppImage): each
 * durable write costs the start an fsync or two, and the record is the same from start to start.
 */
const recordAppCommand = (file: string, text: string): void => {
  try {
    if (nodeFs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // Not there yet, or unreadable: written below.
  }
  writeFileDurably(file, text, { mode: PRIVATE_FILE_MODE });
};

/** Opens the channel and writes this start's key. */
export const startCommandServer = async (options: CommandServerOptions): Promise<CommandServer> => {
  const platform = options.platform ?? process.platform;
  const channel = commandChannel(options.userData, platform);
  privateFolder(channel.folder);
  if (platform !== 'win32') await clearStaleSocket(channel.address);
  const key = randomBytes(32).toString('base64url');
  writeFileDurably(channel.keyFile, `${key}\n`, { mode: PRIVATE_FILE_MODE });
  if (options.appCommand) recordAppCommand(channel.appFile, JSON.stringify(options.appCommand));

  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    serveConnection(socket, options, key);
  });
  server.maxConnections = options.maxConnections ?? MAX_CONNECTIONS;
  server.on('error', (error) =>
    options.logger.error('the command line’s channel failed', { reason: messageOf(error) }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(channel.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (platform !== 'win32') nodeFs.chmodSync(channel.address, PRIVATE_FILE_MODE);
  return {
    channel,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Quitting does not wait for a slow client's line.
        for (const socket of open) socket.destroy();
        // The key of a closed channel opens nothing: removed so a later command knows at once.
        try {
          nodeFs.unlinkSync(channel.keyFile);
        } catch {
          // Already gone.
        }
      }),
  };
};
