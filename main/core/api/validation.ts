/**
 * Input validation at the API boundary: a zod parse whose issues become `request`/0 with one
 * `validationDetail` entry per problem, or `request`/1 when the body is missing altogether.
 */
import type { z } from 'zod';
import { errorOf, type ApiError, type ValidationDetail } from '../../../shared/errors';

/** Fields whose values are never echoed back, not even shortened. */
const SECRET_FIELDS = new Set([
  'clientSecret',
  'clientPrivateKey',
  'privateKey',
  'code',
  'codeVerifier',
  'key',
  'password',
  // A token backend's bearer credential (saveProvider's backend.credential).
  'credential',
]);
const MAX_ECHO = 64;

const shorten = (text: string): string =>
  text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/**
 * What a value is, for a reason ("not Date"): its JSON type, or for an object that is not plain
 * data its class as structured clone keeps it (`Date`, `Map`, `Set`, `RegExp`, `ArrayBuffer`,
 * `Uint8Array`, `Error`, `String` for a boxed string).
 */
const kindOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value !== 'object') return typeof value;
  if (isPlainObject(value)) return 'object';
  const tag = Object.prototype.toString.call(value).slice('[object '.length, -1);
  return tag === 'Object' ? 'class instance' : tag;
};

/** Stands for an object that is not plain data: no schema of the contract accepts a symbol. */
const NOT_PLAIN_DATA = Symbol('not plain data');
/** Deeper than any schema of the contract reads (root, endpoints, one URL). */
const CHECKED_DEPTH = 4;

/**
 * The input as zod should see it: every object that is not plain data replaced by a value no
 * schema accepts. zod's object schemas take any object that is not an array and read only its
 * own fields, so a `Date`, `Map` or `Set` (which IPC's structured clone delivers) would pass as
 * an empty object wherever no field is required. Shared and cyclic parts are copied once.
 */
const plainDataView = (
  value: unknown,
  depth = 0,
  copies: Map<object, unknown> = new Map(),
): unknown => {
  if (typeof value !== 'object' || value === null || depth > CHECKED_DEPTH) return value;
  const known = copies.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    value.forEach((item, index) => {
      copy[index] = plainDataView(item, depth + 1, copies);
    });
    return copy;
  }
  if (!isPlainObject(value)) return NOT_PLAIN_DATA;
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    // defineProperty: a key named "__proto__" stays an own field (refused as unknown).
    Object.defineProperty(copy, key, {
      value: plainDataView(item, depth + 1, copies),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
};

const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
};

/** A short, JSON-safe rendering of what was sent. */
const echo = (value: unknown): unknown => {
  if (typeof value === 'string') return shorten(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return `array(${value.length})`;
  return kindOf(value);
};

const detailFor = (issue: z.core.$ZodIssue, input: unknown): ValidationDetail[] => {
  const path = issue.path;
  const field = pathOf(path);
  const original = valueAt(input, path);
  const secret = path.some((key) => SECRET_FIELDS.has(String(key)));
  const withValue = (detail: Omit<ValidationDetail, 'originalValue'>): ValidationDetail => {
    const shown = secret ? undefined : echo(original);
    return shown === undefined ? detail : { ...detail, originalValue: shown };
  };
  switch (issue.code) {
    case 'unrecognized_keys':
      // The name is the sender's text, shortened as a value is.
      return issue.keys.map((key) => ({
        field: pathOf([...path, shorten(key)]),
        expression: 'unknown',
        reason: `"${shorten(key)}" is not a field of this request`,
      }));
    case 'invalid_type':
      return original === undefined
        ? [{ field, expression: 'required', reason: `${field || 'the body'} is required` }]
        : [
            withValue({
              field,
              expression: 'type',
              argument: issue.expected,
              reason: `must be ${issue.expected}, not ${kindOf(original)}`,
            }),
          ];
    case 'too_big':
    case 'too_small': {
      const big = issue.code === 'too_big';
      const limit = big ? issue.maximum : issue.minimum;
      // A number's bound has no unit; a length counts characters or items.
      const counted =
        issue.origin === 'string'
          ? 'character'
          : issue.origin === 'array' || issue.origin === 'set'
            ? 'item'
            : undefined;
      const unit = counted === undefined ? '' : ` ${counted}${Number(limit) === 1 ? '' : 's'}`;
      return [
        withValue({
          field,
          expression: big ? 'max' : 'min',
          argument: Number(limit),
          reason: `must be at ${big ? 'most' : 'least'} ${String(limit)}${unit}`,
        }),
      ];
    }
    case 'invalid_format':
      return [
        withValue({
          field,
          expression: issue.format === 'regex' ? 'pattern' : issue.format,
          // zod's own wording ("Invalid URL") is not a reason; a schema's message says what the
          // value must be ("lowercase letters, digits and dashes") or already reads "must …".
          reason: /^must\b/.test(issue.message)
            ? issue.message
            : !/^Invalid\b/.test(issue.message)
              ? `must be ${issue.message}`
              : issue.format === 'regex' && 'pattern' in issue
                ? `must match ${String(issue.pattern)}`
                : `must be a valid ${issue.format}`,
        }),
      ];
    case 'invalid_value':
      return [
        withValue({
          field,
          expression: 'enum',
          argument: issue.values,
          reason: `must be one of ${issue.values.map(String).join(', ')}`,
        }),
      ];
    case 'custom':
      // A refinement names its rule in `params.expression` (the URL fields: `url`, with a
      // "must …" reason from shared/url-rules.ts); an unnamed one is a cross-field `rule`.
      return [
        withValue({
          field,
          expression:
            typeof issue.params?.expression === 'string' ? issue.params.expression : 'rule',
          reason: issue.message,
        }),
      ];
    default:
      return [withValue({ field, expression: issue.code, reason: issue.message })];
  }
};

export const validationError = (error: z.ZodError, input: unknown): ApiError =>
  errorOf('invalidField', {
    validationDetail: error.issues.flatMap((issue) => detailFor(issue, input)),
  });

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const parseInput = <S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> => {
  let parsed;
  try {
    parsed = schema.safeParse(plainDataView(input));
  } catch {
    // zod itself throws on some hostile values (an object with a null prototype where a string
    // is expected: "Cannot convert object to primitive value"). Still bad input, not a crash.
    return {
      ok: false,
      error: errorOf('invalidField', {
        validationDetail: [
          {
            field: '',
            expression: 'type',
            reason: 'must be plain JSON data (strings, numbers, objects, arrays)',
          },
        ],
      }),
    };
  }
  if (parsed.success) return { ok: true, value: parsed.data };
  // A channel that needs fields and got nothing at all: "body required", not a list of fields.
  if (input === undefined || input === null) return { ok: false, error: errorOf('bodyRequired') };
  return { ok: false, error: validationError(parsed.error, input) };
};
