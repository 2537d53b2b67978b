/**
 * An in-memory KeyValueStore that behaves like conf where it matters to the core: values are
 * stored as JSON copies (never the caller's objects), `store` answers a fresh copy each time, and
 * undefined values are refused. `failWrites` makes every write throw, as a full or read-only
 * disk would.
 */
import type { KeyValueStore } from '../../../main/core/ports';

const jsonCopy = (key: string, value: unknown): unknown => {
  if (value === undefined) throw new TypeError(`Use delete() to clear values (${key})`);
  return JSON.parse(JSON.stringify(value)) as unknown;
};

export class MemoryKv implements KeyValueStore {
  private data: Record<string, unknown>;
  /** When true, every set/delete throws and nothing changes. */
  failWrites = false;
  /** Number of successful writes. */
  writes = 0;

  constructor(initial: Record<string, unknown> = {}) {
    this.data = jsonCopy('(initial)', initial) as Record<string, unknown>;
  }

  get store(): Record<string, unknown> {
    return jsonCopy('(store)', this.data) as Record<string, unknown>;
  }

  set store(value: Record<string, unknown>) {
    if (this.failWrites) throw new Error('ENOSPC: no space left on device (test store)');
    this.data = jsonCopy('(store)', value) as Record<string, unknown>;
    this.writes++;
  }

  get(key: string): unknown {
    return Object.hasOwn(this.data, key) ? jsonCopy(key, this.data[key]) : undefined;
  }

  set(key: string, value: unknown): void;
  set(values: Record<string, unknown>): void;
  set(keyOrValues: string | Record<string, unknown>, value?: unknown): void {
    if (this.failWrites) throw new Error('ENOSPC: no space left on device (test store)');
    const values = typeof keyOrValues === 'string' ? { [keyOrValues]: value } : keyOrValues;
    const next = { ...this.data };
    for (const [key, entry] of Object.entries(values)) next[key] = jsonCopy(key, entry);
    this.data = next;
    this.writes++;
  }

  delete(key: string): void {
    if (this.failWrites) throw new Error('ENOSPC: no space left on device (test store)');
    const next = { ...this.data };
    delete next[key];
    this.data = next;
    this.writes++;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.data, key);
  }
}
