/**
 * The app's CSP as a response header (main/shell/app-protocol.ts sends it with every file of the
 * app's scheme: app-protocol.test.ts): strict, never looser than the renderer's meta tag, and
 * saying what only a header can (frame-ancestors).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_CONTENT_SECURITY_POLICY } from '../../../main/shell/content-security';

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

describe('APP_CONTENT_SECURITY_POLICY', () => {
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
