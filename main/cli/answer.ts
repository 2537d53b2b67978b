/**
 * The app's answer line, checked by hand before use: the command carries no schema library (it
 * must start fast), and an answer from an app of another version must end in a clear message,
 * not in a TypeError halfway through printing a credential.
 */
import {
  exitCodeFor,
  type AccountListing,
  type CommandResponse,
  type ExitCode,
  type HandedToken,
} from '../../shared/command-line';
import type { ApiError } from '../../shared/errors';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isString = (value: unknown): value is string => typeof value === 'string';

const isTime = (value: unknown): value is number | null =>
  value === null || (typeof value === 'number' && Number.isFinite(value));

const isListing = (value: unknown): value is AccountListing =>
  isObject(value) &&
  isString(value.id) &&
  isString(value.name) &&
  isString(value.providerId) &&
  isString(value.displayName) &&
  isString(value.status) &&
  typeof value.hasToken === 'boolean' &&
  isTime(value.expiresAt);

const isToken = (value: unknown): value is HandedToken =>
  isObject(value) &&
  isString(value.accessToken) &&
  value.accessToken !== '' &&
  isString(value.tokenType) &&
  isTime(value.expiresAt) &&
  Array.isArray(value.scopes) &&
  value.scopes.every(isString) &&
  isObject(value.use) &&
  isString(value.use.envName) &&
  isString(value.use.gitUsername) &&
  isString(value.use.registryUsername);

const isApiError = (value: unknown): value is ApiError =>
  isObject(value) &&
  isString(value.group) &&
  typeof value.code === 'number' &&
  isString(value.message);

const EXIT_CODE_MAX = 125; // above this a shell reads a signal or "cannot run"

/** The answer if it has a shape the command knows, else undefined. */
export const readAnswer = (line: string): CommandResponse | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (value.ok === true) {
    if (isToken(value.token)) return { ok: true, token: value.token };
    if (Array.isArray(value.accounts) && value.accounts.every(isListing))
      return { ok: true, accounts: value.accounts };
    return undefined;
  }
  if (value.ok === false && isApiError(value.error)) {
    const given = value.exitCode;
    const exitCode =
      typeof given === 'number' && Number.isInteger(given) && given > 0 && given <= EXIT_CODE_MAX
        ? (given as ExitCode)
        : exitCodeFor(value.error);
    return { ok: false, error: value.error, exitCode };
  }
  return undefined;
};
