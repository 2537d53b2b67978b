/**
 * The CSP response header on the app window's session: added to the packaged files (file:),
 * replacing any policy already there, never looser than the renderer's meta tag, and not added
 * to anything else.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import {
  APP_CONTENT_SECURITY_POLICY,
  enforceContentSecurityPolicy,
} from '../../../main/shell/content-security';

const electron = await vi.hoisted(async () =>
  (await import('./helpers/mock-electron')).createElectronMock(),
);
vi.mock('electron', () => electron.module);

type Response = { responseHeaders?: Record<string, string | string[]> };

/** Runs a response through the installed listener and answers what the listener decided. */
const respond = (url: string, responseHeaders?: Record<string, string[]>): Response => {
  const listener = electron.defaultSession.webRequest.onHeadersReceived.mock.calls.at(-1)?.[0];
  if (!listener) throw new Error('no onHeadersReceived listener');
  let answer: Response | undefined;
  listener({ url, ...(responseHeaders ? { responseHeaders } : {}) }, (response) => {
    answer = response;
  });
  if (!answer) throw new Error('the listener did not call back');
  return answer;
};

const directives = (policy: string): Map<string, string> =>
  new Map(
    policy
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => {
        const [name = '', ...values] = directive.split(/\s+/);
        return [name, values.join(' ')];
      }),
  );

beforeEach(() => {
  vi.clearAllMocks();
  enforceContentSecurityPolicy(electron.defaultSession as unknown as Session);
});

describe('enforceContentSecurityPolicy', () => {
  it('adds the policy to the app’s own files', () => {
    expect(respond('file:///opt/Tokendesk/resources/app.asar/out/renderer/index.html')).toEqual({
      responseHeaders: { 'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY] },
    });
  });

  it('replaces a policy already on the response, whatever its case, and keeps other headers', () => {
    const answer = respond('file:///app/index.html', {
      'content-security-policy': ["default-src *; script-src * 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });

    expect(answer.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [APP_CONTENT_SECURITY_POLICY],
    });
  });

  it('leaves other responses alone (the dev server, the web)', () => {
    expect(respond('http://localhost:5173/')).toEqual({});
    expect(respond('https://accounts.example.test/')).toEqual({});
    expect(respond('not a url')).toEqual({});
  });

  it('allows no remote or inline script, no plugins, no base or form targets, no framing', () => {
    const policy = directives(APP_CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toBe("'self'");
    expect(policy.get('script-src')).toBe("'self'");
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('form-action')).toBe("'none'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
  });

  it('is never looser than the renderer’s meta tag: every meta directive is in the header, equal', () => {
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'renderer/index.html has no CSP meta tag').toBeDefined();

    const header = directives(APP_CONTENT_SECURITY_POLICY);
    for (const [name, value] of directives(meta ?? '')) {
      expect(header.get(name), name).toBe(value);
    }
  });
});
