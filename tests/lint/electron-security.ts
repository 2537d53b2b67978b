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

const WINDOW_CLASSES: ReadonlySet<string> = new Set([
  'BrowserWindow',
  'BrowserView',
  'WebContentsView',
]);
const IPC_MAIN_REGISTRATIONS: ReadonlySet<string> = new Set([
  'handle',
  'handleOnce',
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);
const IPC_RENDERER_SUBSCRIPTIONS: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);
const INJECTION_METHODS: ReadonlySet<string> = new Set(['insertCSS', 'executeJavaScript']);
const INSECURE_SWITCHES: ReadonlySet<string> = new Set([
  'disable-web-security',
  'no-sandbox',
  'ignore-certificate-errors',
  'allow-running-insecure-content',
  'disable-site-isolation-trials',
  'remote-debugging-port',
  'inspect',
  'inspect-brk',
  'js-flags',
]);
const UNSAFE_SOURCES: readonly string[] = [
  "'unsafe-inline'",
  "'unsafe-eval'",
  "'unsafe-hashes'",
  '*',
  'data:',
  'http:',
  'https:',
  'blob:',
];

/** The helpers the app routes windows through; each is verified before it is trusted. */
const PREFERENCES_HELPER = 'hardenedWebPreferences';
const LOCKDOWN_HELPER = 'lockDownContents';
const TRUSTED_SENDER_CHECK = 'isTrustedSender';
const ENDPOINT_GUARD = 'isAllowedEndpoint';

// ---------------------------------------------------------------------------------------------
// Syntax helpers

const unwrap = (node: ts.Expression): ts.Expression => {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isTypeAssertionExpression(current)
  ) {
    current = current.expression;
  }
  return current;
};

const propertyName = (name: ts.PropertyName | ts.MemberName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isPrivateIdentifier(name)
    ? name.text
    : undefined;

/** `a.b` and `a['b']` alike: the object and the member name. */
const memberAccess = (
  node: ts.Node,
): { readonly object: ts.Expression; readonly name: string } | undefined => {
  if (ts.isPropertyAccessExpression(node)) return { object: node.expression, name: node.name.text };
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return { object: node.expression, name: node.argumentExpression.text };
  return undefined;
};

const isStringLiteral = (node: ts.Expression | undefined): node is ts.StringLiteralLike =>
  node !== undefined && ts.isStringLiteralLike(unwrap(node));

const booleanLiteral = (node: ts.Expression): boolean | undefined => {
  const value = unwrap(node);
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
};

const walk = (node: ts.Node, visit: (node: ts.Node) => void): void => {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
};

type FunctionNode =
  ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

const isFunctionNode = (node: ts.Node): node is FunctionNode =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node);

const enclosingFunction = (node: ts.Node): FunctionNode | undefined => {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
};

const parameterName = (fn: FunctionNode, index: number): string | undefined => {
  const parameter = fn.parameters[index];
  return parameter !== undefined && ts.isIdentifier(parameter.name)
    ? parameter.name.text
    : undefined;
};

/** The expressions a function can return (an arrow's expression body included). */
const returnedExpressions = (fn: FunctionNode): ts.Expression[] => {
  if (fn.body === undefined) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const returned: ts.Expression[] = [];
  const visit = (node: ts.Node): void => {
    if (isFunctionNode(node)) return;
    if (ts.isReturnStatement(node) && node.expression !== undefined) returned.push(node.expression);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return returned;
};

/** The function a handler argument is: inline, or declared by name in the same file. */
const resolveFunction = (
  node: ts.Expression | undefined,
  file: ParsedFile,
): FunctionNode | undefined => {
  if (node === undefined) return undefined;
  const value = unwrap(node);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (ts.isIdentifier(value)) return file.functions.get(value.text);
  return undefined;
};

/** Statements that leave the function or the block: `throw`, `return`, or a block ending so. */
const exits = (statement: ts.Statement): boolean => {
  if (ts.isThrowStatement(statement) || ts.isReturnStatement(statement)) return true;
  if (ts.isBlock(statement)) {
    const last = statement.statements.at(-1);
    return last !== undefined && exits(last);
  }
  return false;
};

/** `if (!guard(<subject>…)) { …; return | throw }` */
const isNegatedGuard = (statement: ts.Statement, guard: string, subject: string): boolean => {
  if (!ts.isIfStatement(statement) || !exits(statement.thenStatement)) return false;
  const condition = unwrap(statement.expression);
  if (
    !ts.isPrefixUnaryExpression(condition) ||
    condition.operator !== ts.SyntaxKind.ExclamationToken
  )
    return false;
  const call = unwrap(condition.operand);
  return (
    ts.isCallExpression(call) &&
    ts.isIdentifier(call.expression) &&
    call.expression.text === guard &&
    call.arguments[0] !== undefined &&
    unwrap(call.arguments[0]).getText() === subject
  );
};

// ---------------------------------------------------------------------------------------------
// Files and their electron imports

interface ParsedFile {
  readonly path: string;
  readonly source: ts.SourceFile;
  /** Local name → electron export, from `import { X as local } from 'electron'`. */
  readonly electronNames: ReadonlyMap<string, string>;
  /** Local names of `import * as electron` / `import electron from 'electron'`. */
  readonly electronNamespaces: ReadonlySet<string>;
  /** Functions declared by name (declarations and `const f = () => …`). */
  readonly functions: ReadonlyMap<string, FunctionNode>;
  /** `const name = <initializer>` in the file, for following one identifier. */
  readonly constants: ReadonlyMap<string, ts.Expression>;
}

const ELECTRON_MODULES: ReadonlySet<string> = new Set([
  'electron',
  'electron/main',
  'electron/renderer',
  'electron/common',
]);

const parse = (input: SourceInput): ParsedFile => {
  const source = ts.createSourceFile(
    input.path,
    input.text,
    ts.ScriptTarget.Latest,
    true,
    input.path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const electronNames = new Map<string, string>();
  const electronNamespaces = new Set<string>();
  const functions = new Map<string, FunctionNode>();
  const constants = new Map<string, ts.Expression>();
  walk(source, (node) => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      ELECTRON_MODULES.has(node.moduleSpecifier.text) &&
      node.importClause !== undefined &&
      !node.importClause.isTypeOnly
    ) {
      const clause = node.importClause;
      if (clause.name !== undefined) electronNamespaces.add(clause.name.text);
      const bindings = clause.namedBindings;
      if (bindings !== undefined && ts.isNamespaceImport(bindings))
        electronNamespaces.add(bindings.name.text);
      if (bindings !== undefined && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          if (element.isTypeOnly) continue;
          electronNames.set(element.name.text, (element.propertyName ?? element.name).text);
        }
      }
    }
    if (ts.isFunctionDeclaration(node) && node.name !== undefined)
      functions.set(node.name.text, node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const initializer = unwrap(node.initializer);
      if (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))
        functions.set(node.name.text, initializer);
      else constants.set(node.name.text, initializer);
    }
  });
  return { path: input.path, source, electronNames, electronNamespaces, functions, constants };
};

/**
 * The electron export an expression names: `BrowserWindow` for an imported (or aliased)
 * BrowserWindow, `shell` for `electron.shell`. An identifier that is not imported but has an
 * Electron API's own name counts as that API: better a finding than a miss.
 */
const electronExport = (node: ts.Expression, file: ParsedFile): string | undefined => {
  const value = unwrap(node);
  if (ts.isIdentifier(value)) return file.electronNames.get(value.text) ?? value.text;
  const member = memberAccess(value);
  if (member !== undefined) {
    const object = unwrap(member.object);
    if (ts.isIdentifier(object) && file.electronNamespaces.has(object.text)) return member.name;
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// The scan

class Scan {
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
  private preferencesHelperVerified = false;
  private lockdownHelperVerified = false;

  constructor(
    private readonly files: readonly ParsedFile[],
    private readonly ipcBridgePath: string,
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

  run(): void {
    this.verifyHelpers();
    for (const file of this.files) {
      walk(file.source, (node) => this.visit(file, node));
    }
  }

  // Helpers: trusted only when their own body does what the rule asks.

  private verifyHelpers(): void {
    for (const file of this.files) {
      const preferences = file.functions.get(PREFERENCES_HELPER);
      if (preferences !== undefined && this.returnsHardenedPreferences(preferences))
        this.preferencesHelperVerified = true;
      const lockdown = file.functions.get(LOCKDOWN_HELPER);
      if (lockdown !== undefined) {
        const contents = parameterName(lockdown, 0);
        if (
          contents !== undefined &&
          this.lockdownIn(lockdown, file, (e) => unwrap(e).getText() === contents).complete
        )
          this.lockdownHelperVerified = true;
      }
    }
  }

  private returnsHardenedPreferences(fn: FunctionNode): boolean {
    const returned = returnedExpressions(fn).map(unwrap);
    return (
      returned.length > 0 &&
      returned.every(
        (value) => ts.isObjectLiteralExpression(value) && this.literalIsHardened(value),
      )
    );
  }

  /** Whether an object literal states the required secure values itself. */
  private literalIsHardened(literal: ts.ObjectLiteralExpression): boolean {
    const stated = new Map<string, boolean | undefined>();
    for (const property of literal.properties) {
      if (ts.isPropertyAssignment(property)) {
        const name = propertyName(property.name);
        if (name !== undefined) stated.set(name, booleanLiteral(property.initializer));
      }
    }
    return REQUIRED_LITERALS.every((name) => stated.get(name) === SECURE_PREFERENCES[name]);
  }

  private isPreferencesHelperCall(node: ts.Expression): boolean {
    const value = unwrap(node);
    return (
      this.preferencesHelperVerified &&
      ts.isCallExpression(value) &&
      ts.isIdentifier(value.expression) &&
      value.expression.text === PREFERENCES_HELPER
    );
  }

  private visit(file: ParsedFile, node: ts.Node): void {
    if (ts.isNewExpression(node)) this.checkWindow(file, node);
    if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node))
      this.checkPreferenceProperty(file, node);
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      memberAccess(node.left) !== undefined
    )
      this.checkPreferenceAssignment(file, node);
    if (ts.isCallExpression(node)) this.checkCall(file, node);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node))
      this.checkMemberReference(file, node);
    if (ts.isImportDeclaration(node) || ts.isCallExpression(node))
      this.checkRemoteImport(file, node);
    if (ts.isBindingElement(node)) this.checkDestructuring(file, node);
    if (ts.isVariableDeclaration(node)) this.checkCspConstant(file, node);
  }

  // Windows: hardened webPreferences, lock-down of their contents.

  private checkWindow(file: ParsedFile, node: ts.NewExpression): void {
    const kind = electronExport(node.expression, file);
    if (kind === undefined || !WINDOW_CLASSES.has(kind)) return;
    this.stats.windows += 1;
    const options = node.arguments?.[0];
    const literal = options === undefined ? undefined : unwrap(options);
    if (literal === undefined || !ts.isObjectLiteralExpression(literal)) {
      this.report(
        'window-web-preferences',
        'high',
        file,
        node,
        `new ${kind}() needs an object literal with webPreferences: ${PREFERENCES_HELPER}() (or contextIsolation: true, sandbox: true, nodeIntegration: false)`,
      );
    } else {
      this.checkWindowOptions(file, node, kind, literal);
    }
    this.checkWindowLockdown(file, node, kind);
  }

  private checkWindowOptions(
    file: ParsedFile,
    node: ts.NewExpression,
    kind: string,
    options: ts.ObjectLiteralExpression,
  ): void {
    const index = options.properties.findIndex(
      (p) =>
        (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) &&
        propertyName(p.name) === 'webPreferences',
    );
    const property = options.properties[index];
    if (property === undefined) {
      this.report(
        'window-web-preferences',
        'high',
        file,
        node,
        `new ${kind}() has no webPreferences: use ${PREFERENCES_HELPER}()`,
      );
      return;
    }
    if (options.properties.slice(index + 1).some((p) => ts.isSpreadAssignment(p))) {
      this.report(
        'window-web-preferences',
        'high',
        file,
        property,
        `a spread after webPreferences in new ${kind}() may replace them`,
      );
    }
    const value = ts.isPropertyAssignment(property) ? unwrap(property.initializer) : undefined;
    if (value !== undefined && this.isPreferencesHelperCall(value)) return;
    if (value !== undefined && ts.isObjectLiteralExpression(value)) {
      const helperSpread = value.properties.some(
        (p) => ts.isSpreadAssignment(p) && this.isPreferencesHelperCall(p.expression),
      );
      // Values written after the spread are checked one by one (insecure-web-preference).
      if (helperSpread || this.literalIsHardened(value)) return;
    }
    this.report(
      'window-web-preferences',
      'high',
      file,
      property,
      `webPreferences of new ${kind}() must come from ${PREFERENCES_HELPER}() (verified) or state contextIsolation: true, sandbox: true, nodeIntegration: false`,
    );
  }

  /**
   * In the function that creates the window: its webContents go through lockDownContents(), or
   * get a window-open handler that denies and a will-navigate handler that can prevent; and a
   * permission request handler is set (by the helper, or on the session the window uses).
   */
  private checkWindowLockdown(file: ParsedFile, node: ts.NewExpression, kind: string): void {
    const declaration = node.parent;
    if (
      !ts.isVariableDeclaration(declaration) ||
      !ts.isIdentifier(declaration.name) ||
      unwrap(declaration.initializer ?? node) !== node
    ) {
      this.report(
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
    const found = this.lockdownIn(scope, file, isContents);
    const missing = [
      ...(found.windowOpenDenied ? [] : ['setWindowOpenHandler(() => ({ action: "deny" }))']),
      ...(found.navigationHandled ? [] : ["on('will-navigate', …preventDefault())"]),
      ...(found.permissionsHandled ? [] : ['setPermissionRequestHandler(deny)']),
    ];
    if (missing.length > 0) {
      this.report(
        'window-lockdown',
        'high',
        file,
        node,
        `the webContents of ${windowName} lack ${missing.join(', ')}: call ${LOCKDOWN_HELPER}(${windowName}.webContents) or add them`,
      );
    }
  }

  private lockdownIn(
    scope: ts.Node,
    file: ParsedFile,
    isContents: (expression: ts.Expression) => boolean,
  ): {
    windowOpenDenied: boolean;
    navigationHandled: boolean;
    permissionsHandled: boolean;
    complete: boolean;
  } {
    let windowOpenDenied = false;
    let navigationHandled = false;
    let permissionsHandled = false;
    walk(scope, (n) => {
      if (!ts.isCallExpression(n)) return;
      const callee = unwrap(n.expression);
      if (ts.isIdentifier(callee) && callee.text === LOCKDOWN_HELPER) {
        const target = n.arguments[0];
        if (this.lockdownHelperVerified && target !== undefined && isContents(target)) {
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
        if (handler !== undefined && this.handlerDenies(handler)) windowOpenDenied = true;
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
        if (handler !== undefined && this.permissionHandlerDenies(handler))
          permissionsHandled = true;
      }
    });
    return {
      windowOpenDenied,
      navigationHandled,
      permissionsHandled,
      complete: windowOpenDenied && navigationHandled && permissionsHandled,
    };
  }

  /** Every answer of a window-open handler is `{ action: 'deny' }`. */
  private handlerDenies(handler: FunctionNode): boolean {
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
  }

  /** The callback of a permission request handler is only ever called with `false`. */
  private permissionHandlerDenies(handler: FunctionNode): boolean {
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
  }

  // webPreferences values anywhere in main/.

  private checkPreferenceProperty(
    file: ParsedFile,
    node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment,
  ): void {
    const name = propertyName(node.name);
    if (name === undefined) return;
    const value = ts.isPropertyAssignment(node) ? node.initializer : undefined;
    this.checkPreferenceValue(file, node, name, value);
  }

  private checkPreferenceAssignment(file: ParsedFile, node: ts.BinaryExpression): void {
    const member = memberAccess(node.left);
    if (member !== undefined) this.checkPreferenceValue(file, node, member.name, node.right);
  }

  private checkPreferenceValue(
    file: ParsedFile,
    node: ts.Node,
    name: string,
    value: ts.Expression | undefined,
  ): void {
    if (FORBIDDEN_PREFERENCES.has(name)) {
      this.report(
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
    this.report(
      'insecure-web-preference',
      'high',
      file,
      node,
      actual === undefined
        ? `${name} must be the literal ${String(secure)}, not a computed value`
        : `${name}: ${String(actual)} weakens the window: it must be ${String(secure)}`,
    );
  }

  // Calls.

  private checkCall(file: ParsedFile, node: ts.CallExpression): void {
    const callee = unwrap(node.expression);
    const member = memberAccess(callee);
    if (member === undefined) return;
    const owner = electronExport(member.object, file);

    if (owner === 'shell' && member.name === 'openExternal') this.checkOpenExternal(file, node);
    if (owner === 'contextBridge' && member.name === 'exposeInMainWorld')
      this.checkExposure(file, node);
    if (owner === 'ipcMain' && IPC_MAIN_REGISTRATIONS.has(member.name))
      this.checkIpcRegistration(file, node, member.name);
    if (INJECTION_METHODS.has(member.name) && !isStringLiteral(node.arguments[0])) {
      this.report(
        'dynamic-injection',
        'high',
        file,
        node,
        `${member.name}() with a computed argument: only string literals may be injected into a page`,
      );
    }
    if (
      member.name === 'executeJavaScriptInIsolatedWorld' ||
      member.name === 'executeJavaScriptInMainWorld'
    ) {
      this.report(
        'dynamic-injection',
        'high',
        file,
        node,
        `${member.name}() runs script in a page: the app has no need for it`,
      );
    }
    if (member.name === 'setPermissionRequestHandler') this.checkPermissionHandler(file, node);
    if (member.name === 'setPermissionCheckHandler' || member.name === 'setDevicePermissionHandler')
      this.checkPermissionCheck(file, node, member.name);
    if (member.name === 'setWindowOpenHandler') {
      const handler = resolveFunction(node.arguments[0], file);
      if (handler === undefined || !this.handlerDenies(handler)) {
        this.report(
          'window-open-allowed',
          'high',
          file,
          node,
          "setWindowOpenHandler must answer { action: 'deny' } on every path",
        );
      }
    }
    if (member.name === 'appendSwitch' || member.name === 'appendArgument')
      this.checkSwitch(file, node, member.name);
    if (
      (member.name === 'on' || member.name === 'once') &&
      isStringLiteral(node.arguments[0]) &&
      unwrap(node.arguments[0]).getText().slice(1, -1) === 'certificate-error'
    ) {
      const handler = resolveFunction(node.arguments[1], file);
      if (handler === undefined || handler.getText().includes('preventDefault')) {
        this.report(
          'certificate-bypass',
          'high',
          file,
          node,
          'a certificate-error handler that prevents the default accepts a bad certificate',
        );
      }
    }
    if (member.name === 'setCertificateVerifyProc') {
      this.report(
        'certificate-bypass',
        'high',
        file,
        node,
        'setCertificateVerifyProc replaces Chromium certificate verification',
      );
    }
  }

  /**
   * shell.openExternal(x) only inside a function that first says
   * `if (!isAllowedEndpoint(x)) throw …` (or returns), with x never reassigned.
   */
  private checkOpenExternal(file: ParsedFile, node: ts.CallExpression): void {
    this.stats.openExternalCalls += 1;
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
      this.report(
        'open-external-unguarded',
        'high',
        file,
        node,
        `shell.openExternal() needs a URL checked first in the same function: if (!${ENDPOINT_GUARD}(url)) throw …`,
      );
    }
  }

  /** What the preload hands the page: never ipcRenderer, its methods, or its event objects. */
  private checkExposure(file: ParsedFile, node: ts.CallExpression): void {
    this.stats.exposures += 1;
    const exposed = node.arguments[1];
    if (exposed === undefined) return;
    const seen = new Set<ts.Node>();
    const inspect = (root: ts.Node): void => {
      if (seen.has(root)) return;
      seen.add(root);
      walk(root, (n) => {
        // `electron.ipcRenderer` through a namespace import.
        if (ts.isPropertyAccessExpression(n) && electronExport(n, file) === 'ipcRenderer') {
          this.checkIpcRendererUse(file, n);
          return;
        }
        if (!ts.isIdentifier(n)) return;
        const parent = n.parent;
        // A name, not a value.
        if (
          (ts.isPropertyAccessExpression(parent) && parent.name === n) ||
          (ts.isPropertyAssignment(parent) && parent.name === n) ||
          (ts.isMethodDeclaration(parent) && parent.name === n) ||
          ts.isParameter(parent) ||
          ts.isBindingElement(parent) ||
          (ts.isVariableDeclaration(parent) && parent.name === n)
        )
          return;
        if (electronExport(n, file) === 'ipcRenderer') {
          this.checkIpcRendererUse(file, n);
          return;
        }
        // Follow what the exposed object is built from, in this file.
        const constant = file.constants.get(n.text);
        if (constant !== undefined) inspect(constant);
        const fn = file.functions.get(n.text);
        if (fn !== undefined) inspect(fn);
      });
    };
    inspect(exposed);
  }

  /** One use of ipcRenderer inside what the preload exposes. */
  private checkIpcRendererUse(
    file: ParsedFile,
    reference: ts.Identifier | ts.PropertyAccessExpression,
  ): void {
    const parent = reference.parent;
    const member = memberAccess(parent);
    const called =
      member !== undefined &&
      ts.isCallExpression(parent.parent) &&
      parent.parent.expression === parent;
    if (member === undefined || !called) {
      this.report(
        'preload-exposes-ipc',
        'high',
        file,
        parent,
        member === undefined
          ? 'ipcRenderer itself reaches the page: expose typed functions instead'
          : `ipcRenderer.${member.name} reaches the page as a function: wrap it`,
      );
      return;
    }
    const call = parent.parent;
    if (member.name === 'sendSync') return; // reported by checkMemberReference
    if (IPC_RENDERER_SUBSCRIPTIONS.has(member.name)) {
      // The listener must be the preload's own wrapper, not a function the page passed in:
      // that one would receive the IpcRendererEvent (and with it `sender`).
      const listener = call.arguments[1] === undefined ? undefined : unwrap(call.arguments[1]);
      const fn = enclosingFunction(call);
      const fromPage =
        listener !== undefined &&
        ts.isIdentifier(listener) &&
        fn !== undefined &&
        fn.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === listener.text);
      // The preload's own wrapper may take the event, but must not pass it on.
      const wrapper = resolveFunction(listener, file);
      const eventName = wrapper === undefined ? undefined : parameterName(wrapper, 0);
      let passesEvent = false;
      if (wrapper?.body !== undefined && eventName !== undefined) {
        walk(wrapper.body, (n) => {
          if (ts.isIdentifier(n) && n.text === eventName) passesEvent = true;
        });
      }
      if (listener === undefined || fromPage || passesEvent) {
        this.report(
          'preload-exposes-ipc',
          'high',
          file,
          call,
          `ipcRenderer.${member.name} with the page's own listener hands it the event object: wrap the listener and pass the payload only`,
        );
      }
    }
  }

  private checkIpcRegistration(file: ParsedFile, node: ts.CallExpression, method: string): void {
    this.stats.ipcHandlers += 1;
    if (file.path !== this.ipcBridgePath) {
      this.report(
        'ipc-outside-bridge',
        'high',
        file,
        node,
        `ipcMain.${method}() outside ${this.ipcBridgePath}: every channel goes through the bridge and its trusted-sender check`,
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
      this.report(
        'ipc-untrusted-sender',
        'high',
        file,
        node,
        `the handler of ipcMain.${method}() must begin with if (!${TRUSTED_SENDER_CHECK}(event, …)) return`,
      );
    }
  }

  private checkPermissionHandler(file: ParsedFile, node: ts.CallExpression): void {
    this.stats.permissionHandlers += 1;
    const argument = node.arguments[0];
    const handler = resolveFunction(argument, file);
    if (handler !== undefined && this.permissionHandlerDenies(handler)) return;
    this.report(
      'permission-granted',
      'high',
      file,
      node,
      argument !== undefined && unwrap(argument).kind === ts.SyntaxKind.NullKeyword
        ? 'setPermissionRequestHandler(null) restores the default, which grants every permission'
        : 'the permission request handler must only ever call its callback with false',
    );
  }

  private checkPermissionCheck(file: ParsedFile, node: ts.CallExpression, method: string): void {
    this.stats.permissionHandlers += 1;
    const handler = resolveFunction(node.arguments[0], file);
    const returned = handler === undefined ? [] : returnedExpressions(handler);
    if (returned.length > 0 && returned.every((value) => booleanLiteral(value) === false)) return;
    this.report(
      'permission-granted',
      'high',
      file,
      node,
      `the ${method} handler must answer false on every path`,
    );
  }

  private checkSwitch(file: ParsedFile, node: ts.CallExpression, method: string): void {
    const argument = node.arguments[0];
    if (!isStringLiteral(argument)) {
      this.report(
        'insecure-switch',
        'medium',
        file,
        node,
        `${method}() with a computed switch cannot be checked`,
      );
      return;
    }
    const name = unwrap(argument).getText().slice(1, -1).replace(/^--/, '').split('=')[0] ?? '';
    if (INSECURE_SWITCHES.has(name)) {
      this.report(
        'insecure-switch',
        'high',
        file,
        node,
        `the Chromium switch ${name} disables a protection`,
      );
    }
  }

  /** References that are findings whether called or not. */
  private checkMemberReference(
    file: ParsedFile,
    node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  ): void {
    const member = memberAccess(node);
    if (member === undefined) return;
    const owner = electronExport(member.object, file);
    if (owner === 'ipcRenderer' && member.name === 'sendSync') {
      this.report(
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
      this.report(
        'remote-module',
        'high',
        file,
        node,
        'the remote module gives the page the main process: never use it',
      );
    }
    // shell.openExternal handed on as a function (not called here) escapes the guard.
    const parent = node.parent;
    const called = ts.isCallExpression(parent) && parent.expression === node;
    if (owner === 'shell' && member.name === 'openExternal' && !called) {
      this.report(
        'open-external-unguarded',
        'high',
        file,
        node,
        'shell.openExternal passed on as a value escapes the URL check: wrap it in a guarded function',
      );
    }
  }

  private checkRemoteImport(
    file: ParsedFile,
    node: ts.ImportDeclaration | ts.CallExpression,
  ): void {
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
      this.report(
        'remote-module',
        'high',
        file,
        node,
        'the remote module gives the page the main process: never use it',
      );
    }
  }

  /** `const { openExternal } = shell` escapes the guard just as passing it on does. */
  private checkDestructuring(file: ParsedFile, node: ts.BindingElement): void {
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
      this.report(
        'open-external-unguarded',
        'high',
        file,
        node,
        'openExternal taken out of shell escapes the URL check',
      );
    }
  }

  // Content-Security-Policy: the header policy declared in main/.

  private checkCspConstant(file: ParsedFile, node: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(node.name) || !/CONTENT_SECURITY_POLICY$/.test(node.name.text)) return;
    const policy = node.initializer === undefined ? undefined : evaluateString(node.initializer);
    if (policy === undefined) {
      this.report(
        'csp',
        'medium',
        file,
        node,
        `${node.name.text} is not a literal policy the scan can read`,
      );
      return;
    }
    this.stats.cspPolicies += 1;
    for (const problem of cspProblems(policy)) {
      this.report('csp', 'high', file, node, `${node.name.text}: ${problem}`);
    }
  }
}

/** A string literal, a template without substitutions, or `[literals].join(literal)`. */
const evaluateString = (node: ts.Expression): string | undefined => {
  const value = unwrap(node);
  if (ts.isStringLiteralLike(value)) return value.text;
  if (
    ts.isCallExpression(value) &&
    ts.isPropertyAccessExpression(value.expression) &&
    value.expression.name.text === 'join' &&
    ts.isArrayLiteralExpression(unwrap(value.expression.expression))
  ) {
    const parts = (unwrap(value.expression.expression) as ts.ArrayLiteralExpression).elements.map(
      (e) => (ts.isStringLiteralLike(e) ? e.text : undefined),
    );
    const separator = value.arguments[0] === undefined ? ',' : evaluateString(value.arguments[0]);
    if (separator === undefined || parts.some((p) => p === undefined)) return undefined;
    return parts.join(separator);
  }
  return undefined;
};

/** What is wrong with a policy: a missing default-src, unsafe sources for scripts or styles. */
export const cspProblems = (policy: string): string[] => {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name !== undefined && name !== '' && !directives.has(name.toLowerCase()))
      directives.set(name.toLowerCase(), sources);
  }
  const problems: string[] = [];
  const fallback = directives.get('default-src');
  if (fallback === undefined) problems.push('no default-src');
  for (const directive of ['script-src', 'style-src']) {
    const sources = directives.get(directive) ?? fallback;
    if (sources === undefined) {
      problems.push(`no ${directive} (and no default-src to fall back on)`);
      continue;
    }
    const unsafe = sources.filter((s) => UNSAFE_SOURCES.includes(s.toLowerCase()));
    if (unsafe.length > 0) problems.push(`${directive} allows ${unsafe.join(' ')}`);
  }
  for (const directive of [
    'script-src-elem',
    'script-src-attr',
    'style-src-elem',
    'style-src-attr',
  ]) {
    const unsafe = (directives.get(directive) ?? []).filter((s) =>
      UNSAFE_SOURCES.includes(s.toLowerCase()),
    );
    if (unsafe.length > 0) problems.push(`${directive} allows ${unsafe.join(' ')}`);
  }
  return problems;
};

const META_TAG = /<meta\b[^>]*>/gi;
const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match === null ? undefined : (match[2] ?? match[3] ?? match[4]);
};

const lineOf = (text: string, index: number): number => text.slice(0, index).split('\n').length;

/** The CSP meta tag of a renderer page: present, and without unsafe script or style sources. */
const scanHtml = (input: SourceInput, scan: Scan): void => {
  const policies: { policy: string; index: number; tag: string }[] = [];
  for (const match of input.text.matchAll(META_TAG)) {
    const tag = match[0];
    if (attribute(tag, 'http-equiv')?.toLowerCase() !== 'content-security-policy') continue;
    policies.push({ policy: attribute(tag, 'content') ?? '', index: match.index, tag });
  }
  const finding = (index: number, message: string, snippet: string): Finding => ({
    check: 'csp',
    severity: 'high',
    file: input.path,
    line: lineOf(input.text, index),
    column: 1,
    message,
    snippet: snippet.split('\n')[0]?.trim() ?? '',
  });
  if (policies.length === 0) {
    scan.findings.push(
      finding(0, 'no <meta http-equiv="Content-Security-Policy"> in the page', input.text),
    );
    return;
  }
  for (const { policy, index, tag } of policies) {
    scan.stats.cspPolicies += 1;
    for (const problem of cspProblems(policy)) scan.findings.push(finding(index, problem, tag));
  }
};

export const scan = (input: ScanInput): ScanResult => {
  const files = input.sources.map(parse);
  const run = new Scan(files, input.ipcBridgePath ?? 'main/shell/ipc-bridge.ts');
  run.run();
  for (const page of input.html) scanHtml(page, run);
  return { findings: run.findings, stats: run.stats };
};

// ---------------------------------------------------------------------------------------------
// The repository

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

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
