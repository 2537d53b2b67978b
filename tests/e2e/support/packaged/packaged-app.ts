/**
 * A packaged Tokendesk: the folder electron-builder made (linux-unpacked on Linux) and where its
 * parts are, with the Electron it was packed around.
 */
import type { ElectronRuntime } from '../electron/which-electron';

export interface PackagedApp {
  /** The folder electron-builder made: linux-unpacked, mac, win-unpacked. */
  readonly appDir: string;
  /** The app's executable: the Electron binary, renamed, fuses flipped. */
  readonly executable: string;
  /** resources/ (Contents/Resources on macOS): app.asar and nothing of Electron's own app. */
  readonly resources: string;
  readonly archive: string;
  /** The project electron-builder packed: out/ as it was then, and any planted files. */
  readonly project: string;
  /** electron-builder's download cache during the pack, which must stay empty. */
  readonly downloadCache: string;
  /** The Electron the app was packed around. */
  readonly runtime: ElectronRuntime;
  readonly electronVersion: string;
}
