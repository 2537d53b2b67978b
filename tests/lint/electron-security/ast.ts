// Syntax helpers

import ts from 'typescript';

export const unwrap = (node: ts.Expression): ts.Expression => {
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

export const propertyName = (name: ts.PropertyName | ts.MemberName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isPrivateIdentifier(name)
    ? name.text
    : undefined;

export interface MemberAccess {
  readonly object: ts.Expression;
  readonly name: string;
}

/** `a.b` and `a['b']` alike: the object and the member name. */
export const memberAccess = (node: ts.Node): MemberAccess | undefined => {
  if (ts.isPropertyAccessExpression(node)) return { object: node.expression, name: node.name.text };
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression))
    return { object: node.expression, name: node.argumentExpression.text };
  return undefined;
};

export const isStringLiteral = (node: ts.Expression | undefined): node is ts.StringLiteralLike =>
  node !== undefined && ts.isStringLiteralLike(unwrap(node));

export const booleanLiteral = (node: ts.Expression): boolean | undefined => {
  const value = unwrap(node);
  if (value.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (value.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
};

export const walk = (node: ts.Node, visit: (node: ts.Node) => void): void => {
  visit(node);
  ts.forEachChild(node, (child) => walk(child, visit));
};

export type FunctionNode =
  ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

const isFunctionNode = (node: ts.Node): node is FunctionNode =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node);

export const enclosingFunction = (node: ts.Node): FunctionNode | undefined => {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isFunctionNode(current)) return current;
  }
  return undefined;
};

export const parameterName = (fn: FunctionNode, index: number): string | undefined => {
  const parameter = fn.parameters[index];
  return parameter !== undefined && ts.isIdentifier(parameter.name)
    ? parameter.name.text
    : undefined;
};

/** The expressions a function can return (an arrow's expression body included). */
export const returnedExpressions = (fn: FunctionNode): ts.Expression[] => {
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
export const isNegatedGuard = (
  statement: ts.Statement,
  guard: string,
  subject: string,
): boolean => {
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
