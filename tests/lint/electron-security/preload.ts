// The preload's bridge: what contextBridge hands the page.

import ts from 'typescript';
import { enclosingFunction, memberAccess, parameterName, unwrap, walk } from './ast';
import type { Check } from './context';
import { electronExport, resolveFunction } from './parsed-file';

const IPC_RENDERER_SUBSCRIPTIONS: ReadonlySet<string> = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
]);

/** What the preload hands the page: never ipcRenderer, its methods, or its event objects. */
export const checkExposure: Check<ts.CallExpression> = (scan, file, node) => {
  scan.stats.exposures += 1;
  const exposed = node.arguments[1];
  if (exposed === undefined) return;
  const seen = new Set<ts.Node>();
  const inspect = (root: ts.Node): void => {
    if (seen.has(root)) return;
    seen.add(root);
    walk(root, (n) => {
      // `electron.ipcRenderer` through a namespace import.
      if (ts.isPropertyAccessExpression(n) && electronExport(n, file) === 'ipcRenderer') {
        checkIpcRendererUse(scan, file, n);
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
        checkIpcRendererUse(scan, file, n);
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
};

/** One use of ipcRenderer inside what the preload exposes. */
const checkIpcRendererUse: Check<ts.Identifier | ts.PropertyAccessExpression> = (
  scan,
  file,
  reference,
) => {
  const parent = reference.parent;
  const member = memberAccess(parent);
  const called =
    member !== undefined &&
    ts.isCallExpression(parent.parent) &&
    parent.parent.expression === parent;
  if (member === undefined || !called) {
    scan.report(
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
      scan.report(
        'preload-exposes-ipc',
        'high',
        file,
        call,
        `ipcRenderer.${member.name} with the page's own listener hands it the event object: wrap the listener and pass the payload only`,
      );
    }
  }
};
