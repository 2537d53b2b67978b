/**
 * The app's logger: fields that could hold a secret are dropped by name, and token-shaped strings
 * are masked, so logs never carry tokens, codes, verifiers or secrets.
 */
import type { Logger } from '../core/ports';

const SECRET_NAMES = /token|secret|code|verifier|password|authorization|cookie/i;
// JWTs and long opaque strings (most access and refresh tokens) are masked wherever they appear.
const TOKEN_SHAPES =
  /\b(?:eyJ[\w-]+\.[\w-]+\.[\w-]*|(?:gh[oprsu]|glpat)_[\w]+|[A-Za-z0-9_-]{32,})\b/g;

export const redact = (fields: Record<string, unknown> = {}): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_NAMES.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = value.replace(TOKEN_SHAPES, '[redacted]');
    else out[key] = value;
  }
  return out;
};

export const createConsoleLogger = (): Logger => ({
  info: (message, fields) => console.info(`[tokendesk] ${message}`, redact(fields)),
  warn: (message, fields) => console.warn(`[tokendesk] ${message}`, redact(fields)),
  error: (message, fields) => console.error(`[tokendesk] ${message}`, redact(fields)),
});
