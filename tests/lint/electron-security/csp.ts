import ts from 'typescript';
import { unwrap } from './ast';
import type { Check, ScanContext } from './context';
import type { Finding, SourceInput } from './types';

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

// Content-Security-Policy: the header policy declared in main/.

export const checkCspConstant: Check<ts.VariableDeclaration> = (scan, file, node) => {
  if (!ts.isIdentifier(node.name) || !/CONTENT_SECURITY_POLICY$/.test(node.name.text)) return;
  const policy = node.initializer === undefined ? undefined : evaluateString(node.initializer);
  if (policy === undefined) {
    scan.report(
      'csp',
      'medium',
      file,
      node,
      `${node.name.text} is not a literal policy the scan can read`,
    );
    return;
  }
  scan.stats.cspPolicies += 1;
  for (const problem of cspProblems(policy)) {
    scan.report('csp', 'high', file, node, `${node.name.text}: ${problem}`);
  }
};

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
export const scanHtml = (input: SourceInput, scan: ScanContext): void => {
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
