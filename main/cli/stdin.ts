/**
 * Reading what git and docker write on standard input. git ends its attributes with a blank
 * line and may keep the pipe open after it, so reading can stop there; docker writes one line
 * and closes. A cap keeps a runaway writer from filling memory.
 */
const MAX_INPUT_BYTES = 1024 * 1024;

const BLANK_LINE = /(^|\n)\r?\n/;

export const readInput = async (
  stdin: AsyncIterable<Buffer | string>,
  options: { readonly untilBlankLine?: boolean } = {},
): Promise<string> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(data);
    size += data.length;
    if (size >= MAX_INPUT_BYTES) break;
    if (options.untilBlankLine && BLANK_LINE.test(Buffer.concat(chunks).toString('utf8'))) break;
  }
  return Buffer.concat(chunks).toString('utf8');
};
