// What the scan takes and what it gives back.

export type Severity = 'high' | 'medium';

export type CheckId =
  | 'window-web-preferences'
  | 'insecure-web-preference'
  | 'window-lockdown'
  | 'window-open-allowed'
  | 'open-external-unguarded'
  | 'preload-exposes-ipc'
  | 'ipc-send-sync'
  | 'remote-module'
  | 'dynamic-injection'
  | 'ipc-outside-bridge'
  | 'ipc-untrusted-sender'
  | 'csp'
  | 'permission-granted'
  | 'insecure-switch'
  | 'certificate-bypass';

export interface Finding {
  readonly check: CheckId;
  readonly severity: Severity;
  /** Repository-relative path with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  /** The first line of the offending code. */
  readonly snippet: string;
}

export interface SourceInput {
  /** Repository-relative path with forward slashes, e.g. `main/shell/consent-window.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface ScanInput {
  /** The TypeScript sources of main/ (main process, shell and preload). */
  readonly sources: readonly SourceInput[];
  /** The renderer's HTML pages, whose CSP meta tag is checked. */
  readonly html: readonly SourceInput[];
  /** The one file allowed to register IPC handlers (default `main/shell/ipc-bridge.ts`). */
  readonly ipcBridgePath?: string;
}

/** What the scan looked at: a scan that saw no window proves nothing about windows. */
export interface ScanStats {
  windows: number;
  openExternalCalls: number;
  ipcHandlers: number;
  exposures: number;
  cspPolicies: number;
  permissionHandlers: number;
}

export interface ScanResult {
  readonly findings: readonly Finding[];
  readonly stats: ScanStats;
}
