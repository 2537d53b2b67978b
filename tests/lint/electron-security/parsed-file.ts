// Files and their electron imports

import ts from 'typescript';
import { memberAccess, unwrap, walk, type FunctionNode } from './ast';
import type { SourceInput } from './types';

export interface ParsedFile {
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

export const ELECTRON_MODULES: ReadonlySet<string> = new Set([
  'electron',
  'electron/main',
  'electron/renderer',
  'electron/common',
]);

export const parse = (input: SourceInput): ParsedFile => {
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
export const electronExport = (node: ts.Expression, file: ParsedFile): string | undefined => {
  const value = unwrap(node);
  if (ts.isIdentifier(value)) return file.electronNames.get(value.text) ?? value.text;
  const member = memberAccess(value);
  if (member !== undefined) {
    const object = unwrap(member.object);
    if (ts.isIdentifier(object) && file.electronNamespaces.has(object.text)) return member.name;
  }
  return undefined;
};

/** The function a handler argument is: inline, or declared by name in the same file. */
export const resolveFunction = (
  node: ts.Expression | undefined,
  file: ParsedFile,
): FunctionNode | undefined => {
  if (node === undefined) return undefined;
  const value = unwrap(node);
  if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) return value;
  if (ts.isIdentifier(value)) return file.functions.get(value.text);
  return undefined;
};
