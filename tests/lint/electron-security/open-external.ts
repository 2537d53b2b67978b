// shell.openExternal: only ever called on a URL the same function has just checked.

import ts from 'typescript';
import { enclosingFunction, isNegatedGuard, unwrap, walk, type MemberAccess } from './ast';
import type { Check } from './context';
import { electronExport } from './parsed-file';

/** The check a URL must pass before it reaches the system browser. */
const ENDPOINT_GUARD = 'isAllowedEndpoint';

/**
 * shell.openExternal(x) only inside a function that first says
 * `if (!isAllowedEndpoint(x)) throw …` (or returns), with x never reassigned.
 */
export const checkOpenExternal: Check<ts.CallExpression> = (scan, file, node) => {
  scan.stats.openExternalCalls += 1;
  const argument = node.arguments[0];
  const fn = enclosingFunction(node);
  const subject = argument === undefined ? undefined : unwrap(argument);
  let guarded = false;
  if (
    subject !== undefined &&
    ts.isIdentifier(subject) &&
    fn?.body !== undefined &&
    ts.isBlock(fn.body)
  ) {
    const statements = fn.body.statements;
    const at = statements.findIndex((s) => s.pos <= node.pos && node.end <= s.end);
    guarded = statements
      .slice(0, Math.max(at, 0))
      .some((s) => isNegatedGuard(s, ENDPOINT_GUARD, subject.text));
    let reassigned = false;
    walk(fn.body, (n) => {
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(n.left) &&
        n.left.text === subject.text
      )
        reassigned = true;
    });
    if (reassigned) guarded = false;
  }
  if (!guarded) {
    scan.report(
      'open-external-unguarded',
      'high',
      file,
      node,
      `shell.openExternal() needs a URL checked first in the same function: if (!${ENDPOINT_GUARD}(url)) throw …`,
    );
  }
};

export const checkOpenExternalReference: Check<
  ts.PropertyAccessExpression | ts.ElementAccessExpression,
  [member: MemberAccess, owner: string | undefined]
> = (scan, file, node, member, owner) => {
  // shell.openExternal handed on as a function (not called here) escapes the guard.
  const parent = node.parent;
  const called = ts.isCallExpression(parent) && parent.expression === node;
  if (owner === 'shell' && member.name === 'openExternal' && !called) {
    scan.report(
      'open-external-unguarded',
      'high',
      file,
      node,
      'shell.openExternal passed on as a value escapes the URL check: wrap it in a guarded function',
    );
  }
};

/** `const { openExternal } = shell` escapes the guard just as passing it on does. */
export const checkOpenExternalDestructuring: Check<ts.BindingElement> = (scan, file, node) => {
  const pattern = node.parent;
  const declaration = pattern.parent;
  const name = node.propertyName ?? node.name;
  if (
    ts.isObjectBindingPattern(pattern) &&
    ts.isVariableDeclaration(declaration) &&
    declaration.initializer !== undefined &&
    ts.isIdentifier(name) &&
    name.text === 'openExternal' &&
    electronExport(declaration.initializer, file) === 'shell'
  ) {
    scan.report(
      'open-external-unguarded',
      'high',
      file,
      node,
      'openExternal taken out of shell escapes the URL check',
    );
  }
};
