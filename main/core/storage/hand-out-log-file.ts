/**
 * The command line's hand-out log on disk: a file of its own beside the store, private to the
 * user, written whole and durably (durable-file.ts). It never holds a token: the entries have no
 * field for one. A file that does not parse is set aside, not fatal: the log is a record for
 * the user, and losing it must not stop the app.
 */
import { z } from 'zod';
import type { HandOutEntry } from '../../../shared/model';
import type { Logger } from '../ports';
import { nodeStoreFs, PRIVATE_FILE_MODE, writeFileDurably, type StoreFs } from './durable-file';

const entry = z.object({
  at: z.number(),
  accountId: z.string().max(200).optional(),
  accountName: z.string().max(600).optional(),
  subcommand: z.string().max(40),
  commandLine: z.string().max(2000),
  outcome: z.enum(['handed-out', 'denied', 'timed-out', 'access-off', 'failed']),
  detail: z.string().max(2000).optional(),
});
const logFile = z.object({ version: z.literal(1), entries: z.array(entry) });

export interface HandOutLogFile {
  load(): HandOutEntry[];
  save(entries: readonly HandOutEntry[]): void;
}

export const handOutLogFile = (
  path: string,
  logger: Logger,
  fs: StoreFs = nodeStoreFs,
): HandOutLogFile => ({
  load() {
    let text: string;
    try {
      text = fs.readFileSync(path).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        logger.warn('the hand-out log could not be read', {
          code: (error as NodeJS.ErrnoException).code ?? 'unknown',
        });
      return [];
    }
    try {
      return logFile.parse(JSON.parse(text)).entries;
    } catch {
      logger.warn('the hand-out log is not readable; starting a new one', { file: path });
      return [];
    }
  },
  save(entries) {
    writeFileDurably(path, JSON.stringify({ version: 1, entries }), {
      fs,
      mode: PRIVATE_FILE_MODE,
    });
  },
});
