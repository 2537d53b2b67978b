/**
 * The app's side of the `tokendesk` command's requests: one line of JSON in, one answer out
 * (shared/command-line.ts). The key comes first: a request without the key the app wrote at its
 * start is refused before anything else of it is looked at. Then the shape, strictly (zod, the
 * same field errors as IPC), then one call to the command-line service. Every failure has the
 * `{ group, code, message, validationDetail }` shape plus the exit code the command ends with.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  COMMAND_PROTOCOL_VERSION,
  exitCodeFor,
  TOKEN_SUBCOMMANDS,
  type CommandResponse,
  type Subcommand,
} from '../../../shared/command-line';
import { errorOf, type ApiError } from '../../../shared/errors';
import { LIMITS, MAX_APPROVAL_SECONDS } from '../../../shared/ipc-contract';
import type { Core } from '../core';
import { CoreFailure } from '../core-failure';
import { maskTokenShapes } from '../redaction';
import { parseInput } from './validation';

/**
 * Who asked, as the prompt shows it and the hand-out log keeps it: a secret typed into the
 * command line (`tokendesk run -- curl -H "Authorization: Bearer …"`, `password=…`, a token) is
 * masked here, before either sees it.
 */
const caller = z.strictObject({
  commandLine: z.string().max(2000).transform(maskTokenShapes),
  pid: z.number().int().min(0),
  parent: z.string().max(2000).transform(maskTokenShapes).optional(),
});

const head = {
  v: z.literal(COMMAND_PROTOCOL_VERSION),
  key: z.string().max(200),
  caller,
};

const commandRequest = z.discriminatedUnion('op', [
  z.strictObject({
    ...head,
    op: z.literal('token'),
    subcommand: z.enum(TOKEN_SUBCOMMANDS as [Subcommand, ...Subcommand[]]),
    account: z.string().min(1).max(600).optional(),
    forUrl: z.string().min(1).max(LIMITS.url).optional(),
    minTtlSeconds: z.number().int().min(0).max(MAX_APPROVAL_SECONDS).optional(),
  }),
  z.strictObject({ ...head, op: z.literal('accounts') }),
  z.strictObject({
    ...head,
    op: z.literal('registries'),
    set: z
      .strictObject({
        registry: z.string().min(1).max(LIMITS.url),
        account: z.string().min(1).max(600).nullable(),
      })
      .optional(),
  }),
]);

const failure = (error: ApiError): CommandResponse => ({
  ok: false,
  error,
  exitCode: exitCodeFor(error),
});

/** Equal keys, compared in constant time (hashed first: timingSafeEqual wants equal lengths). */
const sameKey = (given: unknown, expected: string): boolean => {
  if (typeof given !== 'string') return false;
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

/** The answer to one request line. Never throws: a failure is an answer too. */
export const answerCommandLine = async (
  line: string,
  expectedKey: string,
  core: Pick<Core, 'commandLine' | 'logger'>,
): Promise<CommandResponse> => {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return failure(errorOf('commandMalformed', { message: 'The request is not JSON.' }));
  }
  const key =
    typeof input === 'object' && input !== null ? (input as { key?: unknown }).key : undefined;
  if (!sameKey(key, expectedKey)) return failure(errorOf('commandKeyRejected'));
  const parsed = parseInput(commandRequest, input);
  if (!parsed.ok) {
    const version = (input as { v?: unknown }).v;
    return failure(
      version !== COMMAND_PROTOCOL_VERSION
        ? errorOf('commandMalformed', {
            message: `This Tokendesk speaks version ${COMMAND_PROTOCOL_VERSION} of the command's protocol, and the command another: use the command that came with the app.`,
          })
        : parsed.error,
    );
  }
  const request = parsed.value;
  try {
    if (request.op === 'accounts')
      return {
        ok: true,
        accounts: core.commandLine.accounts({ op: 'accounts', caller: request.caller }),
      };
    if (request.op === 'registries') {
      const { v: _v, key: _key, ...query } = request;
      return { ok: true, registries: core.commandLine.registries(query) };
    }
    const { v: _v, key: _key, ...query } = request;
    return { ok: true, token: await core.commandLine.token(query) };
  } catch (error) {
    if (error instanceof CoreFailure) return failure(error.toApiError());
    core.logger.error('unexpected failure answering the command line', {
      name: error instanceof Error ? error.name : typeof error,
    });
    return failure(errorOf('internal'));
  }
};
