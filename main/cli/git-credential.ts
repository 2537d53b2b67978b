/**
 * `tokendesk git-credential`: git's credential-helper protocol (git-credential(1)). git writes
 * `key=value` lines and a blank line; `get` answers with a user name and the token as the
 * password. Answering nothing lets git try its next helper or prompt; `quit=1` makes git stop,
 * which is right when the account exists but no token can be had (a prompt could not help).
 * Only an access token leaves: never `oauth_refresh_token`, which git would store elsewhere.
 */
import { EXIT_CODES, type HandedToken } from '../../shared/command-line';
import type { Host } from './host';
import type { Services } from './services';
import { readInput } from './stdin';

export type CredentialAttributes = ReadonlyMap<string, readonly string[]>;

/** The attributes up to the first blank line; a key given twice keeps every value, in order. */
export const parseCredentialInput = (text: string): CredentialAttributes => {
  const attributes = new Map<string, string[]>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals);
    attributes.set(key, [...(attributes.get(key) ?? []), line.slice(equals + 1)]);
  }
  return attributes;
};

/** A single-valued attribute: git's rule is that the last one given wins. */
const single = (attributes: CredentialAttributes, key: string): string | undefined =>
  attributes.get(key)?.at(-1);

/** The URL git is asking about, or undefined when it is not one the command serves (not HTTP). */
export const credentialUrl = (attributes: CredentialAttributes): string | undefined => {
  const protocol = single(attributes, 'protocol')?.toLowerCase();
  const host = single(attributes, 'host');
  if ((protocol !== 'https' && protocol !== 'http') || !host) return undefined;
  return `${protocol}://${host}/${single(attributes, 'path') ?? ''}`;
};

/** A value with a newline or NUL would end the answer early or add attributes of its own. */
const safe = (value: string): boolean => !/[\n\r\0]/.test(value);

export const credentialOutput = (token: HandedToken): string | undefined => {
  if (!safe(token.accessToken) || !safe(token.use.gitUsername)) return undefined;
  const lines = [`username=${token.use.gitUsername}`, `password=${token.accessToken}`];
  if (token.expiresAt !== null)
    lines.push(`password_expiry_utc=${Math.floor(token.expiresAt / 1000)}`);
  return `${lines.join('\n')}\n`;
};

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

export const gitCredential = async (
  host: Host,
  command: { readonly action: string; readonly account?: string },
  services: Services,
): Promise<number> => {
  // store, erase and actions git may add later: the token lives in the app, nothing to do.
  if (command.action !== 'get') {
    await readInput(host.stdin);
    return EXIT_CODES.ok;
  }
  const attributes = parseCredentialInput(await readInput(host.stdin, { untilBlankLine: true }));
  const forUrl = credentialUrl(attributes);
  if (forUrl === undefined) return EXIT_CODES.ok;

  const answer = await services.token({
    subcommand: 'git-credential',
    forUrl,
    ...(command.account !== undefined ? { account: command.account } : {}),
  });
  if (!answer.ok) {
    host.stderr(`tokendesk: ${oneLine(answer.failure.message)}\n`);
    // No such account: git goes on to its other helpers or its prompt.
    if (answer.failure.exitCode !== EXIT_CODES.noSuchAccount) host.stdout('quit=1\n');
    return EXIT_CODES.ok;
  }
  const output = credentialOutput(answer.value);
  if (output === undefined) {
    host.stderr('tokendesk: the token cannot be passed to git (it holds a line break).\n');
    host.stdout('quit=1\n');
    return EXIT_CODES.ok;
  }
  host.stdout(output);
  return EXIT_CODES.ok;
};
