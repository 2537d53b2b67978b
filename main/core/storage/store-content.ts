/**
 * What a store file's content is, decided before anything is written: a document this Tokendesk
 * can use (migrated from an older schema if need be), one a newer Tokendesk wrote (kept as it is:
 * moving it aside would lose every account for good), or corrupt (does not parse, is not a JSON
 * object, or does not validate).
 */
import type { z } from 'zod';
import { MIGRATIONS, SCHEMA_VERSION, storeDocument, type StoreDocument } from './store-schema';

/** Thrown by the store's deserializer for JSON that is not an object (null, [], "x", 42, true). */
export class StoreContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreContentError';
  }
}

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/**
 * The file's text as a plain object, or a StoreContentError (SyntaxError for invalid JSON).
 * The store library turns any JSON value into an object (`null` into `{}`, `[1,2]` into
 * `{"0":1,"1":2}`), so this check must come first, and it is also conf's deserializer.
 */
export const parseStoreText = (text: string): Record<string, unknown> => {
  if (text.trim() === '') throw new StoreContentError('it is empty');
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StoreContentError(`it is not a JSON object but ${kindOf(value)}`);
  return value as Record<string, unknown>;
};

export type Understood =
  | {
      readonly kind: 'usable';
      readonly document: StoreDocument;
      /** The schema version the file had; below SCHEMA_VERSION means it was migrated. */
      readonly fromVersion: number;
    }
  | { readonly kind: 'newer'; readonly reason: string; readonly version: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

const newerReason = (raw: Record<string, unknown>, version: number, appVersion?: string) => {
  const by = typeof raw.writtenBy === 'string' ? `Tokendesk ${raw.writtenBy.slice(0, 100)}` : '';
  const writer = by
    ? `${by} (data format ${version})`
    : `a newer Tokendesk (data format ${version})`;
  const self = appVersion ? `Tokendesk ${appVersion}` : 'this Tokendesk';
  return `it was written by ${writer}; ${self} reads data formats up to ${SCHEMA_VERSION}`;
};

/** Classifies a parsed document and migrates it to SCHEMA_VERSION in memory (nothing written). */
export const understand = (raw: Record<string, unknown>, appVersion?: string): Understood => {
  const version = raw.schemaVersion === undefined ? 0 : raw.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0)
    return { kind: 'corrupt', reason: 'its schema version is not a number' };
  if (version > SCHEMA_VERSION)
    return { kind: 'newer', reason: newerReason(raw, version, appVersion), version };
  let doc = raw;
  for (let v = version; v < SCHEMA_VERSION; v++) doc = MIGRATIONS[v]!(doc);
  const parsed = storeDocument.safeParse(doc);
  if (!parsed.success)
    return {
      kind: 'corrupt',
      reason: `its content is not valid (${describeIssues(parsed.error)})`,
    };
  return { kind: 'usable', document: parsed.data, fromVersion: version };
};

/** `understand` for a file's bytes, parse errors included. */
export const understandText = (text: string, appVersion?: string): Understood => {
  try {
    return understand(parseStoreText(text), appVersion);
  } catch (error) {
    return { kind: 'corrupt', reason: contentProblem(error) ?? String(error) };
  }
};

/**
 * The reason, when an error from reading the store is about its content (not JSON, not an
 * object); undefined for anything else (a read error is not corruption).
 */
export const contentProblem = (error: unknown): string | undefined => {
  if (error instanceof StoreContentError) return error.message;
  if (error instanceof SyntaxError) {
    // V8's message quotes the text around the fault: store content (ciphertext, e-mail
    // addresses) that has no place in a log line or on screen. The position is enough.
    const at = /position (\d+)/.exec(error.message)?.[1];
    return `it is not valid JSON${at === undefined ? '' : ` (from character ${at} on)`}`;
  }
  return undefined;
};
