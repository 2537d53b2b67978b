// Calls that turn off a Chromium protection: script injected into a page, a weakening
// command-line switch, a certificate accepted against Chromium's verdict.

import type ts from 'typescript';
import { isStringLiteral, unwrap } from './ast';
import type { Check } from './context';
import { resolveFunction } from './parsed-file';

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

export const checkInjection: Check<ts.CallExpression, [method: string]> = (
  scan,
  file,
  node,
  method,
) => {
  if (INJECTION_METHODS.has(method) && !isStringLiteral(node.arguments[0])) {
    scan.report(
      'dynamic-injection',
      'high',
      file,
      node,
      `${method}() with a computed argument: only string literals may be injected into a page`,
    );
  }
  if (method === 'executeJavaScriptInIsolatedWorld' || method === 'executeJavaScriptInMainWorld') {
    scan.report(
      'dynamic-injection',
      'high',
      file,
      node,
      `${method}() runs script in a page: the app has no need for it`,
    );
  }
};

export const checkSwitch: Check<ts.CallExpression, [method: string]> = (
  scan,
  file,
  node,
  method,
) => {
  const argument = node.arguments[0];
  if (!isStringLiteral(argument)) {
    scan.report(
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
    scan.report(
      'insecure-switch',
      'high',
      file,
      node,
      `the Chromium switch ${name} disables a protection`,
    );
  }
};

/**
 * A verify procedure that only watches: every call of its callback passes -3, "use Chromium's
 * own verification result" (main/shell/certificate-failures.ts records refused certificates so).
 */
const keepsChromiumVerdict = (
  argument: ts.Expression | undefined,
  file: Parameters<typeof resolveFunction>[1],
): boolean => {
  const handler = resolveFunction(argument, file);
  const callback = handler?.parameters[1]?.name.getText();
  if (handler === undefined || callback === undefined) return false;
  const calls = [...handler.getText().matchAll(new RegExp(`\\b${callback}\\(([^)]*)\\)`, 'g'))];
  return calls.length > 0 && calls.every((call) => call[1]?.trim() === '-3');
};

export const checkCertificateBypass: Check<ts.CallExpression, [method: string]> = (
  scan,
  file,
  node,
  method,
) => {
  if (
    (method === 'on' || method === 'once') &&
    isStringLiteral(node.arguments[0]) &&
    unwrap(node.arguments[0]).getText().slice(1, -1) === 'certificate-error'
  ) {
    const handler = resolveFunction(node.arguments[1], file);
    if (handler === undefined || handler.getText().includes('preventDefault')) {
      scan.report(
        'certificate-bypass',
        'high',
        file,
        node,
        'a certificate-error handler that prevents the default accepts a bad certificate',
      );
    }
  }
  if (method === 'setCertificateVerifyProc' && !keepsChromiumVerdict(node.arguments[0], file)) {
    scan.report(
      'certificate-bypass',
      'high',
      file,
      node,
      'setCertificateVerifyProc replaces Chromium certificate verification',
    );
  }
};
