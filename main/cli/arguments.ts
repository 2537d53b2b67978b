/**
 * The command line as the user typed it, turned into one request for a subcommand, or a usage
 * error (exit 2) worded for a person. node:util's parseArgs does the splitting in strict mode,
 * so an unknown option or a missing value is never silently ignored; its own error texts are
 * long and aimed at programmers, so the few kinds are reworded here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDuration } from './duration';

export const TOPICS = [
  'token',
  'run',
  'git-credential',
  'kube',
  'docker-credential',
  'accounts',
  'help',
] as const;
export type Topic = (typeof TOPICS)[number];

/** Which account: typed by name, by an URL it serves, or left to the app (the only one). */
export interface Selection {
  readonly account?: string;
  readonly forUrl?: string;
}

export const TOKEN_FORMATS = ['bare', 'header', 'json'] as const;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

export const DOCKER_ACTIONS = ['get', 'store', 'erase', 'list', 'map', 'unmap'] as const;
export type DockerAction = (typeof DOCKER_ACTIONS)[number];

export type Parsed =
  | { readonly kind: 'help'; readonly topic?: Topic }
  | { readonly kind: 'version' }
  | {
      readonly kind: 'token';
      readonly selection: Selection;
      readonly format: TokenFormat;
      readonly minTtlSeconds?: number;
    }
  | {
      readonly kind: 'run';
      readonly selection: Selection;
      readonly envName?: string;
      readonly minTtlSeconds?: number;
      readonly command: readonly [string, ...string[]];
    }
  | { readonly kind: 'git-credential'; readonly account?: string; readonly action: string }
  | { readonly kind: 'kube'; readonly selection: Selection; readonly minTtlSeconds?: number }
  | {
      readonly kind: 'docker-credential';
      readonly account?: string;
      readonly action: DockerAction;
      /** `map <registry> <account>` and `unmap <registry>`: what to map. */
      readonly registry?: string;
      readonly mapTo?: string;
    }
  | { readonly kind: 'accounts'; readonly json: boolean }
  | { readonly kind: 'usage'; readonly message: string; readonly topic?: Topic };

/** docker runs `docker-credential-<name> get`: the program under that name is that subcommand. */
export const DOCKER_HELPER_NAME = 'docker-credential-tokendesk';

const baseName = (path: string): string =>
  (path.split(/[\\/]/).pop() ?? '').replace(/\.exe$/i, '').toLowerCase();

export const invokedAsDockerHelper = (names: readonly string[]): boolean =>
  names.some((name) => baseName(name) === DOCKER_HELPER_NAME);

const isTopic = (word: string | undefined): word is Topic =>
  (TOPICS as readonly string[]).includes(word ?? '');

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP: Options = { help: { type: 'boolean', short: 'h' } };
const SELECT: Options = { for: { type: 'string' }, 'min-ttl': { type: 'string' } };

class UsageError extends Error {}

/** parseArgs' own error for a bad option, in a few words. */
const reworded = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error);
  const option = /'(-[^' ]+)/.exec(text)?.[1] ?? 'an option';
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`;
  if (/does not take an argument/.test(text)) return `option ${option} takes no value`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option ${option} needs a value`;
  return text.split(/\.\s|\n/)[0] ?? text;
};

const parse = (args: readonly string[], options: Options) => {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(reworded(error));
  }
};

const minTtl = (text: string | undefined): { minTtlSeconds?: number } => {
  if (text === undefined) return {};
  const seconds = parseDuration(text);
  if (seconds === undefined)
    throw new UsageError(
      `--min-ttl takes a duration such as 90, 90s, 5m, 1h or 1h30m, not "${text}"`,
    );
  return { minTtlSeconds: seconds };
};

/** `--for github.com` means the same as `--for https://github.com`. */
export const withScheme = (url: string): string =>
  /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`;

const selection = (
  positionals: readonly string[],
  forUrl: string | undefined,
  usage: string,
): Selection => {
  if (positionals.length > 1)
    throw new UsageError(`too many arguments (${positionals.slice(1).join(' ')}); ${usage}`);
  const account = positionals[0];
  return {
    ...(account !== undefined && account !== '' ? { account } : {}),
    ...(forUrl !== undefined ? { forUrl: withScheme(forUrl) } : {}),
  };
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const oneAction = (positionals: readonly string[], usage: string): string => {
  if (positionals.length === 0) throw new UsageError(`missing action; ${usage}`);
  if (positionals.length > 1)
    throw new UsageError(`too many arguments (${positionals.slice(1).join(' ')}); ${usage}`);
  return positionals[0]!;
};

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const SUBCOMMANDS: Record<Exclude<Topic, 'help'>, (args: readonly string[]) => Parsed> = {
  token(args) {
    const { values, positionals } = parse(args, {
      ...HELP,
      ...SELECT,
      format: { type: 'string' },
    });
    const format = str(values.format) ?? 'bare';
    if (!(TOKEN_FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format is one of ${TOKEN_FORMATS.join(', ')}, not "${format}"`);
    return {
      kind: 'token',
      selection: selection(positionals, str(values.for), 'usage: tokendesk token [<account>]'),
      format: format as TokenFormat,
      ...minTtl(str(values['min-ttl'])),
    };
  },

  run(args) {
    // Everything after the first `--` is the command, options and all; nothing of it is ours.
    const split = args.indexOf('--');
    const own = split === -1 ? args : args.slice(0, split);
    const command = split === -1 ? [] : args.slice(split + 1);
    const { values, positionals } = parse(own, { ...HELP, ...SELECT, env: { type: 'string' } });
    const usage = 'usage: tokendesk run [<account>] [options] -- <command> [<argument>…]';
    if (split === -1 && positionals.length > 1)
      throw new UsageError(`put the command after --; ${usage}`);
    const [file, ...rest] = command;
    if (file === undefined || file === '') throw new UsageError(`missing command; ${usage}`);
    const envName = str(values.env);
    if (envName !== undefined && !ENV_NAME.test(envName))
      throw new UsageError(
        `--env takes a variable name (letters, digits and _, not first a digit), not "${envName}"`,
      );
    return {
      kind: 'run',
      selection: selection(positionals, str(values.for), usage),
      ...(envName !== undefined ? { envName } : {}),
      ...minTtl(str(values['min-ttl'])),
      command: [file, ...rest],
    };
  },

  'git-credential'(args) {
    const { values, positionals } = parse(args, { ...HELP, account: { type: 'string' } });
    const account = str(values.account);
    return {
      kind: 'git-credential',
      ...(account ? { account } : {}),
      action: oneAction(
        positionals,
        'usage: tokendesk git-credential [--account <account>] get|store|erase',
      ),
    };
  },

  kube(args) {
    const { values, positionals } = parse(args, { ...HELP, ...SELECT });
    return {
      kind: 'kube',
      selection: selection(positionals, str(values.for), 'usage: tokendesk kube [<account>]'),
      ...minTtl(str(values['min-ttl'])),
    };
  },

  'docker-credential'(args) {
    const { values, positionals } = parse(args, { ...HELP, account: { type: 'string' } });
    const usage =
      'usage: tokendesk docker-credential [--account <account>] get|store|erase|list, or map <registry> <account>, or unmap <registry>';
    const account = str(values.account);
    // map and unmap name what they change; docker's own actions take nothing but stdin.
    if (positionals[0] === 'map' || positionals[0] === 'unmap') {
      const [action, registry, mapTo, ...rest] = positionals;
      const wanted = action === 'map' ? 2 : 1;
      if (registry === undefined || (wanted === 2 && mapTo === undefined))
        throw new UsageError(
          `${action} needs ${action === 'map' ? 'a registry and an account' : 'a registry'}; ${usage}`,
        );
      if (rest.length > 0 || (wanted === 1 && mapTo !== undefined))
        throw new UsageError(`too many arguments; ${usage}`);
      return {
        kind: 'docker-credential',
        action,
        registry,
        ...(mapTo !== undefined ? { mapTo } : {}),
      };
    }
    const action = oneAction(positionals, usage);
    if (!(DOCKER_ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`unknown action "${action}"; ${usage}`);
    return {
      kind: 'docker-credential',
      ...(account ? { account } : {}),
      action: action as DockerAction,
    };
  },

  accounts(args) {
    const { values, positionals } = parse(args, { ...HELP, json: { type: 'boolean' } });
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument "${positionals[0]}"; usage: tokendesk accounts`);
    return { kind: 'accounts', json: values.json === true };
  },
};

/**
 * What to do for these arguments. `invokedAs` holds the names the program was started under:
 * as docker-credential-tokendesk it is the docker subcommand whatever the arguments.
 */
export const parseCommandLine = (argv: readonly string[], invokedAs: readonly string[]): Parsed => {
  const args = invokedAsDockerHelper(invokedAs) ? ['docker-credential', ...argv] : [...argv];
  const [first, ...rest] = args;
  // --help and --version win wherever they stand, except inside run's command.
  const terminator = args.indexOf('--');
  const ours = terminator === -1 ? args : args.slice(0, terminator);
  if (ours.includes('--help') || ours.includes('-h'))
    return { kind: 'help', ...(isTopic(first) ? { topic: first } : {}) };
  if (ours.includes('--version')) return { kind: 'version' };

  if (first === undefined) return { kind: 'usage', message: 'missing subcommand' };
  if (!isTopic(first))
    return {
      kind: 'usage',
      message: first.startsWith('-')
        ? `unknown option ${first} (options come after the subcommand)`
        : `unknown subcommand "${first}"`,
    };
  if (first === 'help') {
    const [topic, extra] = rest;
    if (extra !== undefined)
      return { kind: 'usage', message: `unexpected argument "${extra}"`, topic: 'help' };
    if (topic === undefined) return { kind: 'help' };
    if (!isTopic(topic)) return { kind: 'usage', message: `no help on "${topic}"`, topic: 'help' };
    return { kind: 'help', topic };
  }
  try {
    return SUBCOMMANDS[first](rest);
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'usage', message: error.message, topic: first };
    throw error;
  }
};
