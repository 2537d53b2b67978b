/**
 * Who is asking, sent with every request: the app shows it in its approval prompt and writes it
 * to the hand-out log, so the user can tell `git push` from a script they do not know.
 */
import type { CallerInfo } from '../../shared/command-line';
import type { Host } from './host';

/** Long enough to recognise a command; short enough to keep the request far below its limit. */
const MAX_COMMAND_LINE = 2000;
const MAX_PARENT = 500;

const cap = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** An argument as a POSIX shell would take it back: bare when safe, else single-quoted. */
export const quoteArgument = (arg: string): string =>
  /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;

export const commandLineOf = (argv: readonly string[], program = 'tokendesk'): string =>
  cap([program, ...argv].map(quoteArgument).join(' '), MAX_COMMAND_LINE);

/**
 * The parent's command line where it is cheap to read: /proc on Linux, `ps` on macOS. Windows
 * has no cheap way without a native module, so it is left out there.
 */
export const parentCommandLine = async (host: Host): Promise<string | undefined> => {
  try {
    let text: string | undefined;
    if (host.platform === 'linux') {
      text = (await host.readFile(`/proc/${host.ppid}/cmdline`)).replaceAll('\0', ' ');
    } else if (host.platform === 'darwin') {
      text = await host.capture('/bin/ps', ['-o', 'command=', '-p', String(host.ppid)]);
    }
    const line = text?.trim();
    return line ? cap(line, MAX_PARENT) : undefined;
  } catch {
    return undefined;
  }
};

export const callerInfo = async (host: Host, program: string): Promise<CallerInfo> => {
  const parent = await parentCommandLine(host);
  return {
    commandLine: commandLineOf(host.argv, program),
    pid: host.pid,
    ...(parent !== undefined ? { parent } : {}),
  };
};
