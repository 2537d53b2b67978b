/**
 * An Electron security scan of the app's sources, written on the TypeScript compiler API
 * (syntax only, no type checker: it runs on virtual samples as well as on the repository).
 *
 * Electronegativity (1.10.3, the last release) was tried instead: it wants the internet to fetch
 * Electron's release list, cannot follow a `webPreferences` built by a function and so reports
 * both windows as HIGH `CONTEXT_ISOLATION_JS_CHECK`, cannot evaluate a CSP assembled with
 * `join`, and ships TypeScript 4.2 and ESLint 7. docs/SECURITY.md ("Electron security checks")
 * says what each check below enforces and why.
 *
 * Each check errs on the side of a finding: code it cannot verify statically (a `webPreferences`
 * from a variable, a window not bound to a name, a handler passed by reference) is reported.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { memberAccess, unwrap, walk } from './ast';
import { checkCertificateBypass, checkInjection, checkSwitch } from './chromium';
import { ScanContext, type Check } from './context';
import { checkCspConstant, scanHtml } from './csp';
import {
  checkIpcReference,
  checkIpcRegistration,
  checkRemoteImport,
  IPC_MAIN_REGISTRATIONS,
} from './ipc';
import { checkPermissionCheck, checkPermissionHandler, checkWindowOpenHandler } from './lockdown';
import {
  checkOpenExternal,
  checkOpenExternalDestructuring,
  checkOpenExternalReference,
} from './open-external';
import { electronExport, parse } from './parsed-file';
import { checkExposure } from './preload';
import type { Finding, ScanInput, ScanResult, SourceInput } from './types';
import { checkPreferenceAssignment, checkPreferenceProperty } from './web-preferences';
import { checkWindow, verifyHelpers } from './windows';

const visit: Check<ts.Node> = (run, file, node) => {
  if (ts.isNewExpression(node)) checkWindow(run, file, node);
  if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node))
    checkPreferenceProperty(run, file, node);
  if (
    ts.isBinaryExpression(node) &&
    node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
    memberAccess(node.left) !== undefined
  )
    checkPreferenceAssignment(run, file, node);
  if (ts.isCallExpression(node)) checkCall(run, file, node);
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
    checkMemberReference(run, file, node);
  if (ts.isImportDeclaration(node) || ts.isCallExpression(node)) checkRemoteImport(run, file, node);
  if (ts.isBindingElement(node)) checkOpenExternalDestructuring(run, file, node);
  if (ts.isVariableDeclaration(node)) checkCspConstant(run, file, node);
};

// Calls.

const checkCall: Check<ts.CallExpression> = (run, file, node) => {
  const callee = unwrap(node.expression);
  const member = memberAccess(callee);
  if (member === undefined) return;
  const owner = electronExport(member.object, file);

  if (owner === 'shell' && member.name === 'openExternal') checkOpenExternal(run, file, node);
  if (owner === 'contextBridge' && member.name === 'exposeInMainWorld')
    checkExposure(run, file, node);
  if (owner === 'ipcMain' && IPC_MAIN_REGISTRATIONS.has(member.name))
    checkIpcRegistration(run, file, node, member.name);
  checkInjection(run, file, node, member.name);
  if (member.name === 'setPermissionRequestHandler') checkPermissionHandler(run, file, node);
  if (member.name === 'setPermissionCheckHandler' || member.name === 'setDevicePermissionHandler')
    checkPermissionCheck(run, file, node, member.name);
  if (member.name === 'setWindowOpenHandler') checkWindowOpenHandler(run, file, node);
  if (member.name === 'appendSwitch' || member.name === 'appendArgument')
    checkSwitch(run, file, node, member.name);
  checkCertificateBypass(run, file, node, member.name);
};

/** References that are findings whether called or not. */
const checkMemberReference: Check<ts.PropertyAccessExpression | ts.ElementAccessExpression> = (
  run,
  file,
  node,
) => {
  const member = memberAccess(node);
  if (member === undefined) return;
  const owner = electronExport(member.object, file);
  checkIpcReference(run, file, node, member, owner);
  checkOpenExternalReference(run, file, node, member, owner);
};

export const scan = (input: ScanInput): ScanResult => {
  const files = input.sources.map(parse);
  const run = new ScanContext(files, input.ipcBridgePath ?? 'main/shell/ipc-bridge.ts');
  verifyHelpers(run);
  for (const file of files) {
    walk(file.source, (node) => visit(run, file, node));
  }
  for (const page of input.html) scanHtml(page, run);
  return { findings: run.findings, stats: run.stats };
};

// ---------------------------------------------------------------------------------------------
// The repository

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

const typescriptFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typescriptFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

const asInput = (root: string, path: string): SourceInput => ({
  path: relative(root, path).split(sep).join('/'),
  text: readFileSync(path, 'utf8'),
});

/** Scans main/**\/*.ts and renderer/index.html of the repository at `root`. */
export const scanRepository = (root: string = REPO_ROOT): ScanResult =>
  scan({
    sources: typescriptFiles(join(root, 'main')).map((path) => asInput(root, path)),
    html: [asInput(root, join(root, 'renderer', 'index.html'))],
  });

export const formatFindings = (findings: readonly Finding[]): string =>
  findings.length === 0
    ? 'no findings'
    : findings
        .map(
          (f) =>
            `${f.severity.toUpperCase()} ${f.check} ${f.file}:${f.line}:${f.column} ${f.message}\n    ${f.snippet}`,
        )
        .join('\n');
