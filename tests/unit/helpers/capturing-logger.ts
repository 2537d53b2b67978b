/** A Logger that keeps every call, so tests can check what would reach the log file. */
import type { Logger } from '../../../main/core/ports';

export interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

export interface CapturingLogger extends Logger {
  readonly entries: LogEntry[];
  /** Everything logged, as one JSON string, for "never contains" checks. */
  dump(): string;
}

export const createCapturingLogger = (): CapturingLogger => {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      entries.push({ level, message, ...(fields !== undefined ? { fields } : {}) });
    };
  return {
    entries,
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    dump: () => JSON.stringify(entries),
  };
};
