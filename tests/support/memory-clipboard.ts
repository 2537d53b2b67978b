/**
 * An in-memory clipboard for the core's Clipboard port. It keeps every write so tests can assert
 * what was copied (and that a scheduled clear really emptied it) without a desktop session.
 */
import type { Clipboard } from '../../main/core/ports';

export interface MemoryClipboard extends Clipboard {
  /** Every text written, oldest first (clears included, as empty strings). */
  readonly writes: readonly string[];
}

export const createMemoryClipboard = (initial = ''): MemoryClipboard => {
  let text = initial;
  const writes: string[] = [];
  return {
    writes,
    writeText(value: string): Promise<void> {
      text = value;
      writes.push(value);
      return Promise.resolve();
    },
    readText: (): Promise<string> => Promise.resolve(text),
  };
};
