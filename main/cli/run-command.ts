/**
 * `tokendesk run … -- <command>`: the command with the token in one environment variable, so
 * the token never appears in a shell's history or a process list. The command runs directly
 * (no shell: its arguments reach it as typed), and this process only stands by: signals a
 * terminal or a supervisor sends are passed on, and its exit code becomes the command's, as if
 * the command had been run on its own.
 */
import { constants } from 'node:os';
import { EXIT_CODES } from '../../shared/command-line';
import type { Selection } from './arguments';
import type { ChildLike, Host } from './host';
import { report, type Services } from './services';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** What a shell answers for a command it cannot run: 127 not found, 126 found but not runnable. */
const cannotStart = (host: Host, file: string, error: NodeJS.ErrnoException): number => {
  if (error.code === 'ENOENT') {
    host.stderr(`tokendesk: ${file}: command not found\n`);
    return 127;
  }
  host.stderr(`tokendesk: ${file}: cannot be run (${error.code ?? error.message})\n`);
  return 126;
};

/** The exit code of a command ended by a signal, as shells report it: 128 + its number. */
export const signalExitCode = (signal: NodeJS.Signals): number =>
  128 + ((constants.signals as Record<string, number | undefined>)[signal] ?? 0);

export const runCommand = async (
  host: Host,
  command: {
    readonly selection: Selection;
    readonly envName?: string;
    readonly minTtlSeconds?: number;
    readonly command: readonly [string, ...string[]];
  },
  services: Services,
): Promise<number> => {
  const answer = await services.token({
    subcommand: 'run',
    ...command.selection,
    ...(command.minTtlSeconds !== undefined ? { minTtlSeconds: command.minTtlSeconds } : {}),
  });
  if (!answer.ok) return report(host, answer.failure);
  const name = command.envName ?? answer.value.use.envName;
  const env = { ...host.env, [name]: answer.value.accessToken };
  const [file, ...args] = command.command;

  return new Promise<number>((resolve) => {
    let child: ChildLike;
    try {
      child = host.startChild(file, args, env);
    } catch (error) {
      resolve(cannotStart(host, file, error as NodeJS.ErrnoException));
      return;
    }
    let started = false;
    let ended = false;
    const stopForwarding = FORWARDED_SIGNALS.map((signal) =>
      host.onSignal(signal, () => {
        if (started && !ended) child.kill(signal);
      }),
    );
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      for (const stop of stopForwarding) stop();
      resolve(code);
    };
    child.on('spawn', () => {
      started = true;
    });
    // Once started, an error is a signal that could not be delivered; the exit still comes.
    child.on('error', (error) => {
      if (!started) end(cannotStart(host, file, error));
    });
    child.on('exit', (code, signal) =>
      end(code ?? (signal ? signalExitCode(signal) : EXIT_CODES.failed)),
    );
  });
};
