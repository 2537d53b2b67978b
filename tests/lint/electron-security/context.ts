// The scan: what one run collects, and what every check reports through.

import type ts from 'typescript';
import type { ParsedFile } from './parsed-file';
import type { CheckId, Finding, ScanStats, Severity } from './types';

export class ScanContext {
  readonly findings: Finding[] = [];
  readonly stats: ScanStats = {
    windows: 0,
    openExternalCalls: 0,
    ipcHandlers: 0,
    exposures: 0,
    cspPolicies: 0,
    permissionHandlers: 0,
  };
  /** Files in which the helper is defined and verified to do what its name promises. */
  preferencesHelperVerified = false;
  lockdownHelperVerified = false;

  constructor(
    readonly files: readonly ParsedFile[],
    readonly ipcBridgePath: string,
  ) {}

  report(
    check: CheckId,
    severity: Severity,
    file: ParsedFile,
    node: ts.Node,
    message: string,
  ): void {
    const start = node.getStart(file.source);
    const { line, character } = file.source.getLineAndCharacterOfPosition(start);
    this.findings.push({
      check,
      severity,
      file: file.path,
      line: line + 1,
      column: character + 1,
      message,
      snippet: node.getText(file.source).split('\n')[0]?.trim() ?? '',
    });
  }
}

/** A check of one node (and what its caller already knows of it), reporting through the run. */
export type Check<N extends ts.Node, Extra extends readonly unknown[] = []> = (
  scan: ScanContext,
  file: ParsedFile,
  node: N,
  ...extra: Extra
) => void;
