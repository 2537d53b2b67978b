/**
 * One exchange with the app over its local channel (a Unix socket or a Windows named pipe):
 * connect, send the request line, read one answer line. Every way this can go wrong ends in
 * a result, never a hang or a stack trace: a channel that is not there means the app is not
 * running (the caller may start it); anything after the connection is made is a failure with
 * its own message.
 */
import type { Socket } from 'node:net';
import { EXIT_CODES, type CommandResponse, type ExitCode } from '../../shared/command-line';
import { readAnswer } from './answer';

export type Exchanged =
  | { readonly kind: 'answer'; readonly response: CommandResponse }
  /** Nothing listens there: the app is not running (or has not opened its channel yet). */
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'failed'; readonly message: string; readonly exitCode: ExitCode };

export interface ExchangeLimits {
  /** For the whole exchange. The app bounds its own waits (prompt 60 s, refresh 30 s). */
  readonly timeoutMs: number;
  readonly maxAnswerBytes: number;
}

export const DEFAULT_LIMITS: ExchangeLimits = {
  timeoutMs: 120_000,
  maxAnswerBytes: 1024 * 1024,
};

/** Connection errors that mean no app is listening: no socket file (or pipe), or a stale one. */
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED']);

const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;

/** Sends `line` (one JSON request ending in "\n") on a socket being connected. */
export const exchange = (
  socket: Socket,
  line: string,
  limits: ExchangeLimits = DEFAULT_LIMITS,
): Promise<Exchanged> =>
  new Promise((resolve) => {
    let connected = false;
    let done = false;
    const chunks: Buffer[] = [];
    let size = 0;

    const finish = (result: Exchanged) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const fail = (message: string, exitCode: ExitCode = EXIT_CODES.failed) =>
      finish({ kind: 'failed', message, exitCode });

    const timer = setTimeout(
      () =>
        fail(`Tokendesk did not answer within ${seconds(limits.timeoutMs)}.`, EXIT_CODES.timedOut),
      limits.timeoutMs,
    );

    socket.on('connect', () => {
      connected = true;
      socket.write(line);
    });

    socket.on('data', (data: Buffer | string) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      const newline = chunk.indexOf(0x0a);
      const kept = newline === -1 ? chunk : chunk.subarray(0, newline);
      chunks.push(kept);
      size += kept.length;
      if (size > limits.maxAnswerBytes) {
        fail('The answer from Tokendesk is too long; the command and the app may not match.');
        return;
      }
      if (newline === -1) return;
      const response = readAnswer(Buffer.concat(chunks).toString('utf8'));
      if (response) finish({ kind: 'answer', response });
      else
        fail(
          'The answer from Tokendesk could not be read; the command and the app may be of different versions.',
        );
    });

    const closed = () => fail('Tokendesk closed the connection without answering.');
    socket.on('end', closed);
    socket.on('close', closed);

    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'unknown error';
      if (!connected && NOT_LISTENING.has(code)) finish({ kind: 'unreachable' });
      else if (!connected)
        fail(`Tokendesk's command channel could not be opened (${code}).`, EXIT_CODES.noApp);
      else fail(`The connection to Tokendesk broke (${code}).`);
    });
  });
