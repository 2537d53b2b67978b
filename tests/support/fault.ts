/**
 * Fault injection for the fakes' token endpoints: the failures a token manager meets in the field
 * and must classify correctly (server down, hanging, a captive-portal HTML page, a response cut
 * short, GitHub's HTTP-200 errors, a dead grant).
 *
 * 'truncated' is applied after the fake processed the request, so state changes happened (a
 * rotated refresh token is spent) and only the answer is lost: the hazard described in
 * docs/PROVIDERS.md. All other modes answer without processing anything.
 */
import type { ServerResponse } from 'node:http';
import { htmlReply, jsonReply, sendReply, type Reply } from './fake-server';

export type FaultMode = '500' | 'hang' | 'html' | 'truncated' | 'error-200' | 'invalid-grant';

export const FAULT_MODES: readonly FaultMode[] = [
  '500',
  'hang',
  'html',
  'truncated',
  'error-200',
  'invalid-grant',
];

/** The settable fault of a fake: `fake.fault = 'hang'`, `fake.faultOnce = true`. */
export interface FaultSwitch {
  fault: FaultMode | null;
  /** When true, the fault applies to the next token request only, then clears itself. */
  faultOnce: boolean;
}

/** The fault for this request; a one-shot fault is cleared as it is taken. */
export const takeFault = (control: FaultSwitch): FaultMode | null => {
  const mode = control.fault;
  if (mode !== null && control.faultOnce) {
    control.fault = null;
    control.faultOnce = false;
  }
  return mode;
};

const ERROR_PAGE = `<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head>
<body><h1>Internal Server Error</h1><p>The server encountered an unexpected condition.</p></body></html>`;

const LOGIN_PAGE = `<!DOCTYPE html><html><head><title>Sign in to the network</title></head>
<body><form method="post" action="/portal"><input name="user"><input type="password" name="pass">
<button>Sign in</button></form></body></html>`;

/** The answer of a fault that does not involve processing the request. */
export const faultReply = (mode: '500' | 'html' | 'error-200' | 'invalid-grant'): Reply => {
  switch (mode) {
    case '500':
      return htmlReply(500, ERROR_PAGE);
    case 'html':
      return htmlReply(200, LOGIN_PAGE);
    case 'error-200':
      return jsonReply(200, {
        error: 'invalid_grant',
        error_description: 'The refresh token passed is incorrect or expired.',
      });
    case 'invalid-grant':
      return jsonReply(400, { error: 'invalid_grant' });
  }
};

/** 200 with a Content-Length longer than what is sent, then the socket is destroyed. */
export const sendTruncated = (res: ServerResponse, reply: Reply): void => {
  const body = Buffer.from(reply.body ?? '', 'utf8');
  res.writeHead(200, { ...reply.headers, 'content-length': String(body.length + 64) });
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    res.socket?.destroy();
  });
};

/**
 * Answers a token request: normally with `produce()`, or with the active fault. 'hang' leaves
 * the request open until the fake stops (stop() closes all connections).
 */
export const answerWithFaults = (
  control: FaultSwitch,
  res: ServerResponse,
  produce: () => Reply,
): void => {
  const mode = takeFault(control);
  if (mode === null) {
    sendReply(res, produce());
    return;
  }
  if (mode === 'hang') return;
  if (mode === 'truncated') {
    sendTruncated(res, produce());
    return;
  }
  sendReply(res, faultReply(mode));
};
