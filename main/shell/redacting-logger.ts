/**
 * The app's logger: fields that could hold a secret are dropped by name, and token-shaped strings
 * are masked, so logs never carry tokens, codes, verifiers or secrets. The rules are the core's
 * (main/core/redaction.ts), shared with the masking of provider text in errors.
 */
import type { Logger } from '../core/ports';
import { isSecretName, maskTokenShapes as maskString, REDACTED } from '../core/redaction';

// Nested fields are redacted too, to a depth that logs never need to exceed.
const MAX_DEPTH = 4;

const redactValue = (value: unknown, depth: number): unknown => {
  if (typeof value === 'string') return maskString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  // An Error's message can quote a request or a response; its stack adds nothing for a user.
  if (value instanceof Error) return { name: value.name, message: maskString(value.message) };
  if (value instanceof URL) return maskString(value.href);
  if (value instanceof Date) return value;
  // Bytes could be anything, a decrypted secret included.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]';
  return redactFields(value as Record<string, unknown>, depth + 1);
};

const redactFields = (fields: Record<string, unknown>, depth: number): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = isSecretName(key) ? REDACTED : redactValue(value, depth);
  }
  return out;
};

export const redact = (fields: Record<string, unknown> = {}): Record<string, unknown> =>
  redactFields(fields, 0);

// The message is masked too: it is meant to be a constant, but nothing enforces that.
export const createConsoleLogger = (): Logger => ({
  info: (message, fields) => console.info(`[tokendesk] ${maskString(message)}`, redact(fields)),
  warn: (message, fields) => console.warn(`[tokendesk] ${maskString(message)}`, redact(fields)),
  error: (message, fields) => console.error(`[tokendesk] ${maskString(message)}`, redact(fields)),
});
