/**
 * Asking the app: read its key, send the request, and if nothing is listening start the app
 * and wait for its channel. Everything below the subcommands that talks to the app goes
 * through here, so every subcommand fails the same way for the same cause.
 */
import {
  COMMAND_PROTOCOL_VERSION,
  EXIT_CODES,
  MAX_REQUEST_BYTES,
  commandChannel,
  defaultUserData,
  type AccountListing,
  type CommandRequest,
  type ExitCode,
  type HandedToken,
  type RegistryMapping,
  type TokenRequest,
} from '../../shared/command-line';
import { appToStart, HIDDEN_ARGUMENT } from './app-start';
import { DOCKER_HELPER_NAME, invokedAsDockerHelper } from './arguments';
import { callerInfo } from './caller';
import { DEFAULT_LIMITS, exchange, type Exchanged, type ExchangeLimits } from './channel';
import type { Host } from './host';

export interface Failure {
  readonly message: string;
  readonly exitCode: ExitCode;
}
export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: Failure };

export type TokenQuery = Pick<TokenRequest, 'subcommand' | 'account' | 'forUrl' | 'minTtlSeconds'>;

export interface AskOptions {
  readonly limits?: ExchangeLimits;
  /** How long a started app has to open its channel. */
  readonly startWaitMs?: number;
  readonly pollMs?: number;
}

export const NOT_RUNNING =
  'Tokendesk is not running. Start it, turn on Settings → Command line, and run the command again.';

const failure = (message: string, exitCode: ExitCode): { ok: false; failure: Failure } => ({
  ok: false,
  failure: { message, exitCode },
});

type Body =
  | { op: 'accounts' }
  | ({ op: 'token' } & TokenQuery)
  | { op: 'registries'; set?: { registry: string; account: string | null } };

const send = async (
  host: Host,
  body: Body,
  options: AskOptions,
): Promise<Outcome<Extract<Exchanged, { kind: 'answer' }>['response']>> => {
  const channel = commandChannel(
    defaultUserData(host.env, host.platform, host.homedir),
    host.platform,
  );
  const program = invokedAsDockerHelper(host.invokedAs) ? DOCKER_HELPER_NAME : 'tokendesk';
  const caller = await callerInfo(host, program);

  const attempt = async (): Promise<Exchanged> => {
    let key: string;
    try {
      key = (await host.readFile(channel.keyFile)).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { kind: 'unreachable' };
      return {
        kind: 'failed',
        message: `Tokendesk's key file could not be read (${code ?? 'unknown error'}).`,
        exitCode: EXIT_CODES.failed,
      };
    }
    // An empty key: the app is writing it right now; try again like a missing one.
    if (key === '') return { kind: 'unreachable' };
    const request = { v: COMMAND_PROTOCOL_VERSION, key, ...body, caller } as CommandRequest;
    const line = `${JSON.stringify(request)}\n`;
    if (Buffer.byteLength(line) > MAX_REQUEST_BYTES)
      return {
        kind: 'failed',
        message: 'The request is too long for Tokendesk; shorten the account name or URL.',
        exitCode: EXIT_CODES.badArguments,
      };
    return exchange(host.connect(channel.address), line, options.limits ?? DEFAULT_LIMITS);
  };

  let result = await attempt();
  if (result.kind === 'unreachable') {
    const recorded = await host.readFile(channel.appFile).catch(() => undefined);
    const choice = appToStart(host, recorded);
    if (choice.kind === 'bad-setting') return failure(choice.message, EXIT_CODES.noApp);
    if (choice.kind === 'none') return failure(NOT_RUNNING, EXIT_CODES.noApp);
    host.stderr('tokendesk: starting Tokendesk…\n');
    const started = host.startDetached(choice.app.file, [...choice.app.args, HIDDEN_ARGUMENT]);
    const deadline = host.now() + (options.startWaitMs ?? 20_000);
    while (result.kind === 'unreachable' && !started.failed() && host.now() < deadline) {
      await host.sleep(options.pollMs ?? 100);
      result = await attempt();
    }
    if (result.kind === 'unreachable') return failure(NOT_RUNNING, EXIT_CODES.noApp);
  }
  if (result.kind === 'failed') return failure(result.message, result.exitCode);
  const { response } = result;
  if (!response.ok) return failure(response.error.message, response.exitCode);
  return { ok: true, value: response };
};

const UNEXPECTED = 'Tokendesk answered with something else than was asked for.';

export const askToken = async (
  host: Host,
  query: TokenQuery,
  options: AskOptions = {},
): Promise<Outcome<HandedToken>> => {
  const sent = await send(host, { op: 'token', ...query }, options);
  if (!sent.ok) return sent;
  return 'token' in sent.value
    ? { ok: true, value: sent.value.token }
    : failure(UNEXPECTED, EXIT_CODES.failed);
};

/** docker's registries mapped to accounts, after one is set (account) or removed (null). */
export const askRegistries = async (
  host: Host,
  set?: { registry: string; account: string | null },
  options: AskOptions = {},
): Promise<Outcome<readonly RegistryMapping[]>> => {
  const sent = await send(host, { op: 'registries', ...(set ? { set } : {}) }, options);
  if (!sent.ok) return sent;
  return 'registries' in sent.value
    ? { ok: true, value: sent.value.registries }
    : failure(UNEXPECTED, EXIT_CODES.failed);
};

export const askAccounts = async (
  host: Host,
  options: AskOptions = {},
): Promise<Outcome<readonly AccountListing[]>> => {
  const sent = await send(host, { op: 'accounts' }, options);
  if (!sent.ok) return sent;
  return 'accounts' in sent.value
    ? { ok: true, value: sent.value.accounts }
    : failure(UNEXPECTED, EXIT_CODES.failed);
};
