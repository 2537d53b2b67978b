/**
 * What the `tokendesk` command (main/cli) and the running app (main/core/api/command-server.ts)
 * say to each other over the local channel, where that channel is, and the command's exit codes.
 * Both sides import this file. It holds types and constants only: the command stays small and
 * starts fast (no schema library in it); the app checks every request with zod.
 *
 * One connection carries one request and one answer, each a single line of JSON.
 */
import { ERRORS, type ApiError, type ErrorName } from './errors';

export const COMMAND_PROTOCOL_VERSION = 1;

/** The most a request line may hold, newline included; longer is refused and the channel closed. */
export const MAX_REQUEST_BYTES = 16 * 1024;

export type Subcommand = 'token' | 'run' | 'git-credential' | 'kube' | 'docker-credential';
export const TOKEN_SUBCOMMANDS: readonly Subcommand[] = [
  'token',
  'run',
  'git-credential',
  'kube',
  'docker-credential',
];

/** Who asked: shown in the approval prompt and written to the hand-out log. */
export interface CallerInfo {
  /** The command line of the `tokendesk` process (its arguments, no environment). */
  readonly commandLine: string;
  readonly pid: number;
  /** The command line of the process that ran it (git, kubectl, a script), where it can be read. */
  readonly parent?: string;
}

export interface TokenRequest {
  readonly v: typeof COMMAND_PROTOCOL_VERSION;
  /** The key the app wrote to the key file at its start (see commandChannel). */
  readonly key: string;
  readonly op: 'token';
  readonly subcommand: Subcommand;
  /** An account ID, a provider ID, or `provider:login`. */
  readonly account?: string;
  /** An API, git or registry URL: the account whose provider serves its host. */
  readonly forUrl?: string;
  /** The token must stay valid this long; a token held that would not is refreshed first. */
  readonly minTtlSeconds?: number;
  readonly caller: CallerInfo;
}

export interface AccountsRequest {
  readonly v: typeof COMMAND_PROTOCOL_VERSION;
  readonly key: string;
  readonly op: 'accounts';
  readonly caller: CallerInfo;
}

/**
 * docker's registries mapped to accounts (docker runs the helper with no account to name): lists
 * them, after setting one (`account` an account's name) or removing one (`account: null`).
 */
export interface RegistriesRequest {
  readonly v: typeof COMMAND_PROTOCOL_VERSION;
  readonly key: string;
  readonly op: 'registries';
  readonly set?: { readonly registry: string; readonly account: string | null };
  readonly caller: CallerInfo;
}

/** A registry's host and the account docker's helper hands tokens of for it. */
export interface RegistryMapping {
  readonly registry: string;
  readonly account: AccountListing;
  /** The user name the registry takes with the token. */
  readonly username: string;
}

export type CommandRequest = TokenRequest | AccountsRequest | RegistriesRequest;

/** What the command may receive: an access token and how to use it. Never a refresh token. */
export interface HandedToken {
  readonly accessToken: string;
  readonly tokenType: string;
  /** Epoch milliseconds; null: the token does not expire. */
  readonly expiresAt: number | null;
  readonly scopes: readonly string[];
  readonly account: AccountListing;
  /** The preset's conventions for this token (shared/providers.ts `commandLine`). */
  readonly use: TokenUse;
}

export interface TokenUse {
  /** The environment variable `tokendesk run` sets by default. */
  readonly envName: string;
  /** The user name git sends with the token as password. */
  readonly gitUsername: string;
  /** The user name a container registry takes with the token. */
  readonly registryUsername: string;
}

/** An account as the command lists it: never a token. */
export interface AccountListing {
  readonly id: string;
  /** `provider:login`, as it can be typed back to the command. */
  readonly name: string;
  readonly providerId: string;
  readonly presetId: string;
  readonly displayName: string;
  readonly status: 'ok' | 'reconnect-needed' | 'error';
  readonly hasToken: boolean;
  readonly expiresAt: number | null;
}

export type CommandResponse =
  | { readonly ok: true; readonly token: HandedToken }
  | { readonly ok: true; readonly accounts: readonly AccountListing[] }
  | { readonly ok: true; readonly registries: readonly RegistryMapping[] }
  | { readonly ok: false; readonly error: ApiError; readonly exitCode: ExitCode };

/**
 * The command's exit codes, one per outcome a script may want to tell apart. `tokendesk run`
 * exits with its command's code once that command has started; these are for what happens
 * before. docs/COMMAND-LINE.md lists them.
 */
export const EXIT_CODES = {
  ok: 0,
  /** Anything not listed below (an unexpected failure, an answer the command cannot read). */
  failed: 1,
  badArguments: 2,
  /** The app is not running and could not be started, or its channel did not answer. */
  noApp: 3,
  noSuchAccount: 4,
  ambiguous: 5,
  reconnectNeeded: 6,
  /** Denied in the app's prompt, or the key presented is not the app's. */
  denied: 7,
  /** The provider failed or could not be reached. */
  providerError: 8,
  /** The approval prompt went unanswered (or the app was busy) past the time limit. */
  timedOut: 9,
  /** Command-line access is off in the app's settings. */
  accessOff: 10,
} as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

const EXIT_BY_ERROR: Partial<Record<ErrorName, ExitCode>> = {
  invalidField: EXIT_CODES.badArguments,
  bodyRequired: EXIT_CODES.badArguments,
  accountNotFound: EXIT_CODES.noSuchAccount,
  accountAmbiguous: EXIT_CODES.ambiguous,
  reconnectNeeded: EXIT_CODES.reconnectNeeded,
  noRefreshToken: EXIT_CODES.reconnectNeeded,
  secretUnreadable: EXIT_CODES.reconnectNeeded,
  commandDenied: EXIT_CODES.denied,
  commandKeyRejected: EXIT_CODES.denied,
  approvalTimedOut: EXIT_CODES.timedOut,
  commandLineOff: EXIT_CODES.accessOff,
};

/** The exit code for a failure the app answered with. */
export const exitCodeFor = (error: Pick<ApiError, 'group' | 'code'>): ExitCode => {
  for (const [name, exit] of Object.entries(EXIT_BY_ERROR)) {
    const def = ERRORS[name as ErrorName];
    if (def.group === error.group && def.code === error.code) return exit;
  }
  // The provider's side: an exchange, a refresh or a token that does not last long enough.
  if (error.group === 'oauth' || error.group === 'refresh' || error.group === 'consent')
    return EXIT_CODES.providerError;
  if (error.group === 'command' && error.code === ERRORS.tokenTooShort.code)
    return EXIT_CODES.providerError;
  return EXIT_CODES.failed;
};

export interface CommandChannel {
  /** The folder only the user may enter (0700): it guards the socket on Linux and macOS. */
  readonly folder: string;
  /** A Unix socket path, or a Windows named pipe. */
  readonly address: string;
  /** The key, rewritten at each app start, readable by the user alone (0600). */
  readonly keyFile: string;
  /**
   * How to start the app (a JSON array: executable, then arguments), recorded at each start: a
   * command installed away from the app (a copy out of an AppImage) starts it from here.
   */
  readonly appFile: string;
}

const join = (platform: string, ...parts: string[]): string =>
  parts.join(platform === 'win32' ? '\\' : '/');

/**
 * Where the app listens, under its user-data folder. A Windows pipe cannot live in a folder;
 * its name is made from the folder's path, so each user (and each test profile) has its own.
 */
export const commandChannel = (userData: string, platform: string): CommandChannel => {
  const folder = join(platform, userData, 'command-line');
  return {
    folder,
    address:
      platform === 'win32'
        ? `\\\\.\\pipe\\tokendesk-${pipeSuffix(userData)}`
        : join(platform, folder, 'tokendesk.sock'),
    keyFile: join(platform, folder, 'key'),
    appFile: join(platform, folder, 'app.json'),
  };
};

/** A short, stable name part from a path (FNV-1a, hex): no crypto needed to name a pipe. */
const pipeSuffix = (path: string): string => {
  let hash = 0x811c9dc5;
  for (const char of path.toLowerCase()) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * The app's user-data folder as Electron picks it for the product name "Tokendesk", computed
 * without Electron: the command has to find the app's channel before anything else.
 * `TOKENDESK_USER_DATA` points elsewhere (a portable install, tests).
 */
export const defaultUserData = (
  env: Readonly<Record<string, string | undefined>>,
  platform: string,
  home: string,
): string => {
  if (env.TOKENDESK_USER_DATA) return env.TOKENDESK_USER_DATA;
  if (platform === 'win32')
    return join(platform, env.APPDATA ?? join(platform, home, 'AppData', 'Roaming'), 'Tokendesk');
  if (platform === 'darwin')
    return join(platform, home, 'Library', 'Application Support', 'Tokendesk');
  return join(platform, env.XDG_CONFIG_HOME || join(platform, home, '.config'), 'Tokendesk');
};
