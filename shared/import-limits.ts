/**
 * How much a provider-setup import may be, for main's check (shared/ipc-contract.ts) and the
 * window's early refusal of a file that is too big. A file of its own, without zod: the renderer
 * may import values from here, never from the IPC contract (which would bundle zod into it).
 */

/** The largest provider-setup file an import reads: far above any real one. */
export const MAX_IMPORT_CHARS = 256 * 1024;
