// Lock-down of a window's contents: window-open and permission handlers that refuse, and a
// will-navigate handler that can prevent.

import ts from 'typescript';
import {
  booleanLiteral,
  isStringLiteral,
  memberAccess,
  parameterName,
  propertyName,
  returnedExpressions,
  unwrap,
  walk,
  type FunctionNode,
} from './ast';
import type { Check, ScanContext } from './context';
import { resolveFunction, type ParsedFile } from './parsed-file';

/** The helper the app routes windows' contents through; verified before it is trusted. */
export const LOCKDOWN_HELPER = 'lockDownContents';

export const lockdownIn = (
  scan: ScanContext,
  scope: ts.Node,
  file: ParsedFile,
  isContents: (expression: ts.Expression) => boolean,
): {
  windowOpenDenied: boolean;
  navigationHandled: boolean;
  permissionsHandled: boolean;
  complete: boolean;
} => {
  let windowOpenDenied = false;
  let navigationHandled = false;
  let permissionsHandled = false;
  walk(scope, (n) => {
    if (!ts.isCallExpression(n)) return;
    const callee = unwrap(n.expression);
    if (ts.isIdentifier(callee) && callee.text === LOCKDOWN_HELPER) {
      const target = n.arguments[0];
      if (scan.lockdownHelperVerified && target !== undefined && isContents(target)) {
        windowOpenDenied = true;
        navigationHandled = true;
        permissionsHandled = true;
      }
      return;
    }
    const member = memberAccess(callee);
    if (member === undefined) return;
    if (member.name === 'setWindowOpenHandler' && isContents(member.object)) {
      const handler = resolveFunction(n.arguments[0], file);
      if (handler !== undefined && handlerDenies(handler)) windowOpenDenied = true;
    }
    if (
      (member.name === 'on' || member.name === 'once') &&
      isContents(member.object) &&
      isStringLiteral(n.arguments[0]) &&
      unwrap(n.arguments[0]).getText().slice(1, -1) === 'will-navigate'
    ) {
      const handler = resolveFunction(n.arguments[1], file);
      if (handler !== undefined && handler.getText().includes('.preventDefault()'))
        navigationHandled = true;
    }
    if (member.name === 'setPermissionRequestHandler') {
      const handler = resolveFunction(n.arguments[0], file);
      if (handler !== undefined && permissionHandlerDenies(handler)) permissionsHandled = true;
    }
  });
  return {
    windowOpenDenied,
    navigationHandled,
    permissionsHandled,
    complete: windowOpenDenied && navigationHandled && permissionsHandled,
  };
};

/** Every answer of a window-open handler is `{ action: 'deny' }`. */
const handlerDenies = (handler: FunctionNode): boolean => {
  const returned = returnedExpressions(handler).map(unwrap);
  return (
    returned.length > 0 &&
    returned.every(
      (value) =>
        ts.isObjectLiteralExpression(value) &&
        value.properties.some(
          (p) =>
            ts.isPropertyAssignment(p) &&
            propertyName(p.name) === 'action' &&
            isStringLiteral(p.initializer) &&
            unwrap(p.initializer).getText().slice(1, -1) === 'deny',
        ),
    )
  );
};

/** The callback of a permission request handler is only ever called with `false`. */
const permissionHandlerDenies = (handler: FunctionNode): boolean => {
  const callback = parameterName(handler, 2);
  if (callback === undefined || handler.body === undefined) return false;
  let denies = true;
  let called = false;
  walk(handler.body, (n) => {
    if (!ts.isIdentifier(n) || n.text !== callback) return;
    const call = n.parent;
    if (ts.isCallExpression(call) && call.expression === n) {
      called = true;
      const answer = call.arguments[0];
      if (answer === undefined || booleanLiteral(answer) !== false) denies = false;
    } else {
      // Passed on or stored: what it is called with cannot be seen here.
      denies = false;
    }
  });
  return denies && called;
};

export const checkWindowOpenHandler: Check<ts.CallExpression> = (scan, file, node) => {
  const handler = resolveFunction(node.arguments[0], file);
  if (handler === undefined || !handlerDenies(handler)) {
    scan.report(
      'window-open-allowed',
      'high',
      file,
      node,
      "setWindowOpenHandler must answer { action: 'deny' } on every path",
    );
  }
};

export const checkPermissionHandler: Check<ts.CallExpression> = (scan, file, node) => {
  scan.stats.permissionHandlers += 1;
  const argument = node.arguments[0];
  const handler = resolveFunction(argument, file);
  if (handler !== undefined && permissionHandlerDenies(handler)) return;
  scan.report(
    'permission-granted',
    'high',
    file,
    node,
    argument !== undefined && unwrap(argument).kind === ts.SyntaxKind.NullKeyword
      ? 'setPermissionRequestHandler(null) restores the default, which grants every permission'
      : 'the permission request handler must only ever call its callback with false',
  );
};

export const checkPermissionCheck: Check<ts.CallExpression, [method: string]> = (
  scan,
  file,
  node,
  method,
) => {
  scan.stats.permissionHandlers += 1;
  const handler = resolveFunction(node.arguments[0], file);
  const returned = handler === undefined ? [] : returnedExpressions(handler);
  if (returned.length > 0 && returned.every((value) => booleanLiteral(value) === false)) return;
  scan.report(
    'permission-granted',
    'high',
    file,
    node,
    `the ${method} handler must answer false on every path`,
  );
};
