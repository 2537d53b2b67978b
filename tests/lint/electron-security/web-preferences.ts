// webPreferences: the values Electron's checklist asks for, and the helper that states them.

import ts from 'typescript';
import {
  booleanLiteral,
  memberAccess,
  propertyName,
  returnedExpressions,
  unwrap,
  type FunctionNode,
} from './ast';
import type { Check, ScanContext } from './context';

/** Electron's security checklist values; any other value, or a non-literal one, is a finding. */
const SECURE_PREFERENCES: Readonly<Record<string, boolean>> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  enableRemoteModule: false,
};
/** Preferences that must not appear at all. */
const FORBIDDEN_PREFERENCES: ReadonlySet<string> = new Set(['enableBlinkFeatures']);
/** What a window's own webPreferences literal must say when it does not use the helper. */
const REQUIRED_LITERALS: readonly string[] = ['contextIsolation', 'sandbox', 'nodeIntegration'];

/** The helper the app routes windows' preferences through; verified before it is trusted. */
export const PREFERENCES_HELPER = 'hardenedWebPreferences';

export const returnsHardenedPreferences = (fn: FunctionNode): boolean => {
  const returned = returnedExpressions(fn).map(unwrap);
  return (
    returned.length > 0 &&
    returned.every((value) => ts.isObjectLiteralExpression(value) && literalIsHardened(value))
  );
};

/** Whether an object literal states the required secure values itself. */
export const literalIsHardened = (literal: ts.ObjectLiteralExpression): boolean => {
  const stated = new Map<string, boolean | undefined>();
  for (const property of literal.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = propertyName(property.name);
      if (name !== undefined) stated.set(name, booleanLiteral(property.initializer));
    }
  }
  return REQUIRED_LITERALS.every((name) => stated.get(name) === SECURE_PREFERENCES[name]);
};

export const isPreferencesHelperCall = (scan: ScanContext, node: ts.Expression): boolean => {
  const value = unwrap(node);
  return (
    scan.preferencesHelperVerified &&
    ts.isCallExpression(value) &&
    ts.isIdentifier(value.expression) &&
    value.expression.text === PREFERENCES_HELPER
  );
};

// webPreferences values anywhere in main/.

export const checkPreferenceProperty: Check<
  ts.PropertyAssignment | ts.ShorthandPropertyAssignment
> = (scan, file, node) => {
  const name = propertyName(node.name);
  if (name === undefined) return;
  const value = ts.isPropertyAssignment(node) ? node.initializer : undefined;
  checkPreferenceValue(scan, file, node, name, value);
};

export const checkPreferenceAssignment: Check<ts.BinaryExpression> = (scan, file, node) => {
  const member = memberAccess(node.left);
  if (member !== undefined) checkPreferenceValue(scan, file, node, member.name, node.right);
};

const checkPreferenceValue: Check<ts.Node, [name: string, value: ts.Expression | undefined]> = (
  scan,
  file,
  node,
  name,
  value,
) => {
  if (FORBIDDEN_PREFERENCES.has(name)) {
    scan.report(
      'insecure-web-preference',
      'high',
      file,
      node,
      `${name} turns on Blink features outside Electron's defaults: remove it`,
    );
    return;
  }
  const secure = SECURE_PREFERENCES[name];
  if (secure === undefined) return;
  const actual = value === undefined ? undefined : booleanLiteral(value);
  if (actual === secure) return;
  scan.report(
    'insecure-web-preference',
    'high',
    file,
    node,
    actual === undefined
      ? `${name} must be the literal ${String(secure)}, not a computed value`
      : `${name}: ${String(actual)} weakens the window: it must be ${String(secure)}`,
  );
};
