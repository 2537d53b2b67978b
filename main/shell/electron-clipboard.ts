/**
 * The clipboard port on Electron's clipboard module. What Tokendesk copies is a token (or the
 * empty text that clears one), so every write carries, beside the text, the markers each desktop
 * has for "a secret, keep it out of clipboard history" — clipboard managers and the OS honour
 * them; none is a guarantee, which is why the core also clears the token after a delay:
 *
 * - macOS (nspasteboard.org): `org.nspasteboard.ConcealedType` (a secret: do not show or record
 *   it) and `org.nspasteboard.TransientType` (gone soon: do not record it). Presence is the
 *   marker; the value is empty, as password managers write it.
 * - Windows (Microsoft's "Cloud Clipboard and Clipboard History Formats"): the registered formats
 *   `ExcludeClipboardContentFromMonitorProcessing` (any value: no history, no sync, no clipboard
 *   monitors), `CanIncludeInClipboardHistory` and `CanUploadToCloudClipboard`, each a DWORD 0.
 * - Linux (KDE's Klipper, and the clipboard managers that follow it, on X11 and Wayland):
 *   `x-kde-passwordManagerHint` with the value `secret`.
 *
 * The text and the markers must reach the clipboard in one write: on every platform a write
 * replaces all that was there. Electron 44 and later commit a `ClipboardItem`'s types at once,
 * raw platform formats spelled `electron application/osclipboard;format="<name>"`. Electron 33
 * (the test runtime) cannot: its `writeBuffer` is a write of its own that drops the text, and
 * its `write` takes no custom format. There the text goes alone, and the app says so once.
 */
import electron, { clipboard } from 'electron';
import type { Clipboard, Logger } from '../core/ports';
import { messageOf } from '../../shared/errors';

/** Electron's name for a raw platform clipboard format in a ClipboardItem. */
export const osClipboardFormat = (name: string): string =>
  `electron application/osclipboard;format="${name}"`;

/** A serialized DWORD 0, as the Windows formats take it (little-endian; zero either way). */
const DWORD_ZERO = (): Blob => new Blob([new Uint8Array(4)]);

/** The markers this platform has, by raw format name. */
export const secretMarkers = (
  platform: NodeJS.Platform,
): Readonly<Record<string, () => string | Blob>> => {
  switch (platform) {
    case 'darwin':
      return {
        'org.nspasteboard.ConcealedType': () => '',
        'org.nspasteboard.TransientType': () => '',
      };
    case 'win32':
      return {
        ExcludeClipboardContentFromMonitorProcessing: DWORD_ZERO,
        CanIncludeInClipboardHistory: DWORD_ZERO,
        CanUploadToCloudClipboard: DWORD_ZERO,
      };
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return { 'x-kde-passwordManagerHint': () => 'secret' };
    default:
      return {};
  }
};

/**
 * Electron's ClipboardItem where it has one (44 and later). Read off the module object: a named
 * import of it would fail to link on Electron 33, whose 'electron' module has no such export.
 */
const clipboardItemClass = (): typeof electron.ClipboardItem | undefined =>
  (electron as { ClipboardItem?: typeof electron.ClipboardItem }).ClipboardItem;

export interface ElectronClipboardOptions {
  readonly logger: Logger;
  readonly platform?: NodeJS.Platform;
}

export const createElectronClipboard = ({
  logger,
  platform = process.platform,
}: ElectronClipboardOptions): Clipboard => {
  const markers = secretMarkers(platform);
  const ClipboardItem = clipboardItemClass();
  if (!ClipboardItem && Object.keys(markers).length > 0) {
    logger.warn(
      'copied tokens are not marked as secret for clipboard history: this Electron has no ClipboardItem (Electron 44 and later have it)',
      { electron: process.versions.electron ?? 'unknown' },
    );
  }

  const writeMarked = async (text: string): Promise<void> => {
    if (!ClipboardItem || Object.keys(markers).length === 0) {
      await clipboard.writeText(text);
      return;
    }
    const formats: Record<string, string | Blob> = { 'text/plain': text };
    for (const [name, value] of Object.entries(markers)) formats[osClipboardFormat(name)] = value();
    try {
      await clipboard.write([new ClipboardItem(formats)]);
    } catch (error) {
      // The text must still paste: without the markers rather than not at all (the core's clear
      // still applies). The error names a format, never the text.
      logger.warn('the clipboard refused the secret markers; the text was copied without them', {
        reason: messageOf(error),
      });
      await clipboard.writeText(text);
    }
  };

  return {
    writeText: writeMarked,
    // Electron 33 answers at once, 44 and later with a promise: await takes both.
    readText: async () => clipboard.readText(),
  };
};
