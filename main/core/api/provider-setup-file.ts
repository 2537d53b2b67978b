/**
 * The provider-setup file a team shares (settings shared, tokens personal): written by
 * `exportProviders`, read by `importProviders`. Pretty-printed JSON, versioned:
 *
 *   { "tokendesk": "providers", "version": 1,
 *     "providers": [{ "id": "work", "presetId": "oidc", "label": "Work", "clientId": "…", … }] }
 *
 * Each entry is what `saveProvider` takes, without `clientSecret` and `intent`: never a secret,
 * never an account. Reading it refuses, with one `validationDetail` entry per problem and
 * nothing changed: text that is not JSON (`text`, `json`), any member named like a secret,
 * wherever it is and whatever its value, even empty (`secret`), a wrong envelope, an entry the
 * Add form would refuse (the saveProvider schema and its error mapping, fields as
 * `providers.<n>.<field>`), and two entries with one configuration ID (`unique`).
 */
import { z } from 'zod';
import type { ValidationDetail } from '../../../shared/errors';
import { saveProviderInput } from '../../../shared/ipc-contract';
import { ConfigRejected } from '../providers/provider-directory';
import { isSecretName } from '../redaction';
import type { SharedSetup } from '../services/provider-service';
import { parseInput } from './validation';

export const SETUP_FILE_KIND = 'providers';
export const SETUP_FILE_VERSION = 1;
/** Entries in one file: far above any team's providers. */
const MAX_SETUPS = 200;
/** Secret-named members reported at most (a file full of them needs no longer list). */
const MAX_SECRET_FINDINGS = 20;
const MAX_NAME = 64;

/** The file's text for these setups. */
export const setupFileText = (setups: readonly SharedSetup[]): string =>
  `${JSON.stringify(
    { tokendesk: SETUP_FILE_KIND, version: SETUP_FILE_VERSION, providers: setups },
    null,
    2,
  )}\n`;

const envelope = z.strictObject({
  tokendesk: z.literal(SETUP_FILE_KIND),
  version: z.literal(SETUP_FILE_VERSION),
  providers: z.array(z.unknown()).min(1).max(MAX_SETUPS),
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const shorten = (name: string): string =>
  name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;

/**
 * Members that are part of the format although their names sound like secrets: the file's
 * marker, and the authorization, token and device authorization endpoints (URLs) of any
 * `endpoints` (the schema then holds each to the URL rules).
 */
const ENDPOINT_MEMBERS: ReadonlySet<string> = new Set([
  'authorization',
  'token',
  'deviceAuthorization',
]);

const isFormatMember = (path: readonly string[], name: string): boolean =>
  (path.length === 0 && name === 'tokendesk') ||
  (path.at(-1) === 'endpoints' && ENDPOINT_MEMBERS.has(name));

/** Deeper than any member of the format: nothing below can be valid, nor is searched. */
const MAX_DEPTH = 16;

interface Member {
  readonly value: unknown;
  readonly name: string;
  readonly parent: Member | undefined;
  readonly depth: number;
}

const pathOf = (member: Member | undefined): string[] => {
  const path: string[] = [];
  for (let at = member; at?.parent !== undefined; at = at.parent) path.unshift(at.name);
  return path;
};

/**
 * Every member named like a secret (the logger's rules: token, secret, password, code, key …),
 * at any depth the format could hold; never its value.
 */
const secretNamedMembers = (document: unknown): ValidationDetail[] => {
  const found: ValidationDetail[] = [];
  const pending: Member[] = [{ value: document, name: '', parent: undefined, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, depth } = next;
    if (depth >= MAX_DEPTH) continue;
    const children = Array.isArray(value)
      ? value.map((item, index): [string, unknown] => [String(index), item])
      : isRecord(value)
        ? Object.entries(value)
        : [];
    for (const [name, item] of children) {
      if (!Array.isArray(value) && isSecretName(name) && !isFormatMember(pathOf(next), name)) {
        if (found.length === MAX_SECRET_FINDINGS) return found;
        found.push({
          field: [...pathOf(next), shorten(name)].join('.'),
          expression: 'secret',
          reason: `"${shorten(name)}" is named like a secret: a shared setup never holds one (each person enters their own); remove it from the file`,
        });
      }
      pending.push({ value: item, name, parent: next, depth: depth + 1 });
    }
  }
  return found;
};

/** The parser's complaint without the piece of text it quotes (which may be anything). */
const jsonProblem = (error: unknown): string => {
  const message = error instanceof Error ? error.message : '';
  const withoutQuote = message.replace(/,?\s*".*" is not valid JSON$/s, '').slice(0, 160);
  return `must be the JSON text of a provider setup file${withoutQuote ? ` (${withoutQuote})` : ''}`;
};

const inEntry = (index: number, detail: ValidationDetail): ValidationDetail => ({
  ...detail,
  field: detail.field === '' ? `providers.${index}` : `providers.${index}.${detail.field}`,
});

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/** One entry: the Add form's schema, without a secret (refused above) or an intent. */
const readEntry = (entry: unknown, index: number): SharedSetup | ValidationDetail[] => {
  if (!isRecord(entry)) {
    return [
      {
        field: `providers.${index}`,
        expression: 'type',
        argument: 'object',
        reason: `must be object, not ${kindOf(entry)}`,
      },
    ];
  }
  // A client certificate is a person's own, like a secret; its private key is refused above by
  // name (secret-named), and the certificate here.
  if (Object.hasOwn(entry, 'clientCertificate')) {
    return [
      {
        field: `providers.${index}.clientCertificate`,
        expression: 'secret',
        reason:
          '"clientCertificate" is a person’s own: a shared setup never holds one (each person adds their own in the provider form); remove it from the file',
      },
    ];
  }
  if (Object.hasOwn(entry, 'intent')) {
    return [
      {
        field: `providers.${index}.intent`,
        expression: 'unknown',
        reason: '"intent" is not a field of a provider setup',
      },
    ];
  }
  const parsed = parseInput(saveProviderInput, entry);
  if (parsed.ok) return parsed.value;
  return (parsed.error.validationDetail ?? []).map((detail) => inEntry(index, detail));
};

/**
 * The setups of a file's text, in file order. Throws ConfigRejected (`request`/0) naming every
 * problem found; nothing has been changed then.
 */
export const readSetupFile = (text: string): SharedSetup[] => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ConfigRejected([{ field: 'text', expression: 'json', reason: jsonProblem(error) }]);
  }
  const secrets = secretNamedMembers(document);
  if (secrets.length > 0) throw new ConfigRejected(secrets);
  if (!isRecord(document)) {
    throw new ConfigRejected([
      {
        field: '',
        expression: 'type',
        argument: 'object',
        reason: `must be a provider setup file (a JSON object), not ${kindOf(document)}`,
      },
    ]);
  }
  if (document.tokendesk !== SETUP_FILE_KIND) {
    throw new ConfigRejected([
      {
        field: 'tokendesk',
        expression: 'enum',
        argument: [SETUP_FILE_KIND],
        reason: `must be "${SETUP_FILE_KIND}": this is not a provider setup file Tokendesk exported`,
      },
    ]);
  }
  const { version } = document;
  if (typeof version === 'number' && version > SETUP_FILE_VERSION) {
    throw new ConfigRejected([
      {
        field: 'version',
        expression: 'enum',
        argument: [SETUP_FILE_VERSION],
        originalValue: version,
        reason: `must be ${SETUP_FILE_VERSION}: this file comes from a newer Tokendesk, which can read it`,
      },
    ]);
  }
  const file = parseInput(envelope, document);
  if (!file.ok) throw new ConfigRejected([...(file.error.validationDetail ?? [])]);

  const setups: SharedSetup[] = [];
  const problems: ValidationDetail[] = [];
  file.value.providers.forEach((entry, index) => {
    const read = readEntry(entry, index);
    if (Array.isArray(read)) problems.push(...read);
    else setups.push(read);
  });
  if (problems.length > 0) throw new ConfigRejected(problems);

  const firstIndex = new Map<string, number>();
  setups.forEach((setup, index) => {
    const id = setup.id ?? setup.presetId;
    const first = firstIndex.get(id);
    if (first === undefined) firstIndex.set(id, index);
    else
      problems.push({
        field: `providers.${index}.id`,
        expression: 'unique',
        argument: id,
        reason: `"${id}" is also the configuration ID of providers.${first}: each provider of a file needs its own`,
      });
  });
  if (problems.length > 0) throw new ConfigRejected(problems);
  return setups;
};
