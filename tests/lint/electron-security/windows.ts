// Windows: hardened webPreferences, lock-down of their contents.

import ts from 'typescript';
import { enclosingFunction, parameterName, propertyName, unwrap, walk } from './ast';
import type { Check, ScanContext } from './context';
import { LOCKDOWN_HELPER, lockdownIn } from './lockdown';
import { electronExport } from './parsed-file';
import {
  isPreferencesHelperCall,
  literalIsHardened,
  PREFERENCES_HELPER,
  returnsHardenedPreferences,
} from './web-preferences';

const WINDOW_CLASSES: ReadonlySet<string> = new Set([
  'BrowserWindow',
  'BrowserView',
  'WebContentsView',
]);

// Helpers: trusted only when their own body does what the rule asks.

export const verifyHelpers = (scan: ScanContext): void => {
  for (const file of scan.files) {
    const preferences = file.functions.get(PREFERENCES_HELPER);
    if (preferences !== undefined && returnsHardenedPreferences(preferences))
      scan.preferencesHelperVerified = true;
    const lockdown = file.functions.get(LOCKDOWN_HELPER);
    if (lockdown !== undefined) {
      const contents = parameterName(lockdown, 0);
      if (
        contents !== undefined &&
        lockdownIn(scan, lockdown, file, (e) => unwrap(e).getText() === contents).complete
      )
        scan.lockdownHelperVerified = true;
    }
  }
};

export const checkWindow: Check<ts.NewExpression> = (scan, file, node) => {
  const kind = electronExport(node.expression, file);
  if (kind === undefined || !WINDOW_CLASSES.has(kind)) return;
  scan.stats.windows += 1;
  const options = node.arguments?.[0];
  const literal = options === undefined ? undefined : unwrap(options);
  if (literal === undefined || !ts.isObjectLiteralExpression(literal)) {
    scan.report(
      'window-web-preferences',
      'high',
      file,
      node,
      `new ${kind}() needs an object literal with webPreferences: ${PREFERENCES_HELPER}() (or contextIsolation: true, sandbox: true, nodeIntegration: false)`,
    );
  } else {
    checkWindowOptions(scan, file, node, kind, literal);
  }
  checkWindowLockdown(scan, file, node, kind);
};

const checkWindowOptions: Check<
  ts.NewExpression,
  [kind: string, options: ts.ObjectLiteralExpression]
> = (scan, file, node, kind, options) => {
  const index = options.properties.findIndex(
    (p) =>
      (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
      propertyName(p.name) === 'webPreferences',
  );
  const property = options.properties[index];
  if (property === undefined) {
    scan.report(
      'window-web-preferences',
      'high',
      file,
      node,
      `new ${kind}() has no webPreferences: use ${PREFERENCES_HELPER}()`,
    );
    return;
  }
  if (options.properties.slice(index + 1).some((p) => ts.isSpreadAssignment(p))) {
    scan.report(
      'window-web-preferences',
      'high',
      file,
      property,
      `a spread after webPreferences in new ${kind}() may replace them`,
    );
  }
  const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
  if (value !== undefined && isPreferencesHelperCall(scan, value)) return;
  if (value !== undefined && ts.isObjectLiteralExpression(value)) {
    const helperSpread = value.properties.some(
      (p) => ts.isSpreadAssignment(p) && isPreferencesHelperCall(scan, p.expression),
    );
    // Values written after the spread are checked one by one (insecure-web-preference).
    if (helperSpread || literalIsHardened(value)) return;
  }
  scan.report(
    'window-web-preferences',
    'high',
    file,
    property,
    `webPreferences of new ${kind}() must come from ${PREFERENCES_HELPER}() (verified) or state contextIsolation: true, sandbox: true, nodeIntegration: false`,
  );
};

/**
 * In the function that creates the window: its webContents go through lockDownContents(), or
 * get a window-open handler that denies and a will-navigate handler that can prevent; and a
 * permission request handler is set (by the helper, or on the session the window uses).
 */
const checkWindowLockdown: Check<ts.NewExpression, [kind: string]> = (scan, file, node, kind) => {
  const declaration = node.parent;
  if (
    !ts.isVariableDeclaration(declaration) ||
    !ts.isIdentifier(declaration.name) ||
    unwrap(declaration.initializer ?? node) !== node
  ) {
    scan.report(
      'window-lockdown',
      'high',
      file,
      node,
      `bind new ${kind}() to a const so that its webContents can be seen to be locked down`,
    );
    return;
  }
  const windowName = declaration.name.text;
  const scope = enclosingFunction(node) ?? file.source;
  const aliases = new Set<string>();
  walk(scope, (n) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.initializer !== undefined &&
      unwrap(n.initializer).getText() === `${windowName}.webContents`
    )
      aliases.add(n.name.text);
  });
  const isContents = (expression: ts.Expression): boolean => {
    const text = unwrap(expression).getText();
    return text === `${windowName}.webContents` || aliases.has(text);
  };
  const found = lockdownIn(scan, scope, file, isContents);
  const missing = [
    ...(found.windowOpenDenied ? [] : ['setWindowOpenHandler(() => ({ action: "deny" }))']),
    ...(found.navigationHandled ? [] : ["on('will-navigate', …preventDefault())"]),
    ...(found.permissionsHandled ? [] : ['setPermissionRequestHandler(deny)']),
  ];
  if (missing.length > 0) {
    scan.report(
      'window-lockdown',
      'high',
      file,
      node,
      `the webContents of ${windowName} lack ${missing.join(', ')}: call ${LOCKDOWN_HELPER}(${windowName}.webContents) or add them`,
    );
  }
};
