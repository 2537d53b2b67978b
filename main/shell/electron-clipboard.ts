/** The clipboard port on Electron's clipboard module. */
import { clipboard } from 'electron';
import type { Clipboard } from '../core/ports';

export const electronClipboard: Clipboard = {
  writeText: (text) => clipboard.writeText(text),
  readText: () => clipboard.readText(),
};
