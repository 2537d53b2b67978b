/**
 * The `tokendesk` command's entry (bundled by scripts/build-command.ts into a single
 * executable). It may import only shared/ and node: built-ins, and nothing heavy at the top:
 * it runs before every git fetch and kubectl call, so it must start about as fast as Node.
 */
import { EXIT_CODES } from '../../shared/command-line';
import { messageOf } from '../../shared/errors';
import { runCli } from './main';
import { processHost } from './process-host';

/** Leaves once what was written has been flushed, without waiting for stdin or a timer. */
const exit = (code: number): void => {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

// A reader that went away (`tokendesk accounts | head -1`) is not a failure worth a stack trace.
process.stdout.on('error', () => process.exit(Number(process.exitCode ?? EXIT_CODES.ok)));

runCli(processHost()).then(exit, (error: unknown) => {
  // Only the message: a stack or an object could carry a request, and with it the key.
  process.stderr.write(`tokendesk: unexpected failure: ${messageOf(error)}\n`);
  exit(EXIT_CODES.failed);
});
