// IPC in main: handlers only in the bridge, each checking its sender; no sendSync, no remote.

import ts from 'typescript';
import { isNegatedGuard, isStringLiteral, parameterName, unwrap, type MemberAccess } from './ast';
import type { Check } from './context';
import { ELECTRON_MODULES, resolveFunction } from './parsed-file';

export const IPC_MAIN_REGISTRATIONS: ReadonlySet<string> = new Set([
  'handle',
  'handleOnce',
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);

const reportRemote: Check<ts.Node> = (scan, file, node) =>
  scan.report(
    'remote-module',
    'high',
    file,
    node,
    'the remote module gives the page the main process: never use it',
  );

/** The check the bridge's handlers must begin with. */
const TRUSTED_SENDER_CHECK = 'isTrustedSender';

export const checkIpcRegistration: Check<ts.CallExpression, [method: string]> = (
  scan,
  file,
  node,
  method,
) => {
  scan.stats.ipcHandlers += 1;
  if (file.path !== scan.ipcBridgePath) {
    scan.report(
      'ipc-outside-bridge',
      'high',
      file,
      node,
      `ipcMain.${method}() outside ${scan.ipcBridgePath}: every channel goes through the bridge and its trusted-sender check`,
    );
    return;
  }
  const handler = resolveFunction(node.arguments[1], file);
  const event = handler === undefined ? undefined : parameterName(handler, 0);
  const first =
    handler?.body !== undefined && ts.isBlock(handler.body)
      ? handler.body.statements[0]
      : undefined;
  if (
    event === undefined ||
    first === undefined ||
    !isNegatedGuard(first, TRUSTED_SENDER_CHECK, event)
  ) {
    scan.report(
      'ipc-untrusted-sender',
      'high',
      file,
      node,
      `the handler of ipcMain.${method}() must begin with if (!${TRUSTED_SENDER_CHECK}(event, …)) return`,
    );
  }
};

/** `ipcRenderer.sendSync` and `electron.remote`, called or not. */
export const checkIpcReference: Check<
  ts.PropertyAccessExpression | ts.ElementAccessExpression,
  [member: MemberAccess, owner: string | undefined]
> = (scan, file, node, member, owner) => {
  if (owner === 'ipcRenderer' && member.name === 'sendSync') {
    scan.report(
      'ipc-send-sync',
      'high',
      file,
      node,
      'ipcRenderer.sendSync blocks the page and bypasses the invoke/handle bridge: use invoke',
    );
  }
  const object = unwrap(member.object);
  if (
    member.name === 'remote' &&
    ts.isIdentifier(object) &&
    file.electronNamespaces.has(object.text)
  ) {
    reportRemote(scan, file, node);
  }
};

export const checkRemoteImport: Check<ts.ImportDeclaration | ts.CallExpression> = (
  scan,
  file,
  node,
) => {
  let specifier: string | undefined;
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier))
    specifier = node.moduleSpecifier.text;
  if (
    ts.isCallExpression(node) &&
    (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
      (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
    isStringLiteral(node.arguments[0])
  )
    specifier = unwrap(node.arguments[0]).getText().slice(1, -1);
  const remoteByName =
    ts.isImportDeclaration(node) &&
    specifier !== undefined &&
    ELECTRON_MODULES.has(specifier) &&
    node.importClause?.namedBindings !== undefined &&
    ts.isNamedImports(node.importClause.namedBindings) &&
    node.importClause.namedBindings.elements.some(
      (e) => (e.propertyName ?? e.name).text === 'remote',
    );
  if (specifier?.startsWith('@electron/remote') === true || remoteByName) {
    reportRemote(scan, file, node);
  }
};
