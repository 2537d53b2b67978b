/**
 * The copy formats (oauth2l's bare, header, curl, json). The curl line is checked with a real
 * POSIX shell: pasted as is, it must hand curl exactly the header and URL, whatever they contain.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatToken, type FormattableToken } from '../../../main/core/api/token-format';

const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);

const token = (overrides: Partial<FormattableToken> = {}): FormattableToken => ({
  accessToken: 'ya29.a0AfH6SMBx',
  tokenType: 'Bearer',
  expiresAt: NOW + 3_599_400,
  scopes: ['openid', 'email'],
  ...overrides,
});

/**
 * Runs the pasted lines in sh with `curl` replaced by a function that prints each argument
 * NUL-terminated, and answers the argument lists.
 */
const argumentsAsPasted = (lines: readonly string[]): string[][] => {
  const script = `curl() { printf '%s\\0' "$@"; printf '\\n---end---\\n'; }\n${lines.join('\n')}\n`;
  const output = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
  return output
    .split('\n---end---\n')
    .slice(0, -1)
    .map((chunk) => chunk.split('\0').slice(0, -1));
};

describe('formatToken', () => {
  it('bare: the access token alone', () => {
    expect(formatToken('bare', token(), NOW)).toBe('ya29.a0AfH6SMBx');
  });

  it('header: an Authorization header line', () => {
    expect(formatToken('header', token({ accessToken: 'x' }), NOW)).toBe('Authorization: Bearer x');
  });

  it('header: uses the token type the provider gave', () => {
    expect(formatToken('header', token({ accessToken: 'x', tokenType: 'DPoP' }), NOW)).toBe(
      'Authorization: DPoP x',
    );
  });

  it('curl: a command that sends the header to the provider’s example endpoint', () => {
    const line = formatToken(
      'curl',
      token({ accessToken: 'x', exampleUrl: 'https://api.github.com/user' }),
      NOW,
    );
    expect(line).toBe("curl -H 'Authorization: Bearer x' 'https://api.github.com/user'");
    expect(argumentsAsPasted([line])).toEqual([
      ['-H', 'Authorization: Bearer x', 'https://api.github.com/user'],
    ]);
  });

  it('curl: falls back to a placeholder URL when the provider has no example endpoint', () => {
    const line = formatToken('curl', token({ accessToken: 'x' }), NOW);
    const [args] = argumentsAsPasted([line]);
    expect(args?.[2]).toMatch(/^https:\/\//);
  });

  it('curl: is paste-safe with a quote in the URL', () => {
    const url = "https://api.example.com/it's/here?q=a'b";
    const line = formatToken('curl', token({ accessToken: 'x', exampleUrl: url }), NOW);
    expect(argumentsAsPasted([line])).toEqual([['-H', 'Authorization: Bearer x', url]]);
  });

  it('curl: runs nothing hidden in the URL or token ($(), backticks, ;, &&, globs)', () => {
    const url = 'https://api.example.com/$(touch /tmp/pwned)/`id`;echo hi && ls *?[a]';
    const accessToken = 'tok$HOME\'"\\`;|&';
    const line = formatToken('curl', token({ accessToken, exampleUrl: url }), NOW);
    expect(argumentsAsPasted([line])).toEqual([
      ['-H', `Authorization: Bearer ${accessToken}`, url],
    ]);
  });

  it('curl: hands curl exactly the header and URL for any printable content', () => {
    const printable = fc.string({
      unit: fc.constantFrom(...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))),
      minLength: 1,
      maxLength: 40,
    });
    const samples = fc.sample(fc.tuple(printable, printable), { numRuns: 200, seed: 4242 });
    const lines = samples.map(([accessToken, path]) =>
      formatToken(
        'curl',
        token({ accessToken, exampleUrl: `https://api.example.com/${path}` }),
        NOW,
      ),
    );
    const parsed = argumentsAsPasted(lines);
    expect(parsed).toHaveLength(samples.length);
    samples.forEach(([accessToken, path], i) => {
      expect(parsed[i]).toEqual([
        '-H',
        `Authorization: Bearer ${accessToken}`,
        `https://api.example.com/${path}`,
      ]);
    });
  });

  it('json: the token with expires_in computed against now', () => {
    const parsed = JSON.parse(formatToken('json', token(), NOW)) as Record<string, unknown>;
    expect(parsed).toEqual({
      access_token: 'ya29.a0AfH6SMBx',
      token_type: 'Bearer',
      expires_at: new Date(NOW + 3_599_400).toISOString(),
      expires_in: 3_599,
      scope: 'openid email',
    });
  });

  it('json: expires_in counts down with the clock', () => {
    const later = JSON.parse(formatToken('json', token(), NOW + 600_000)) as { expires_in: number };
    expect(later.expires_in).toBe(2_999);
  });

  it('json: an expired token says 0, never a negative number', () => {
    const parsed = JSON.parse(formatToken('json', token({ expiresAt: NOW - 5_000 }), NOW)) as {
      expires_in: number;
    };
    expect(parsed.expires_in).toBe(0);
  });

  it('json: a token that does not expire has null expiry fields', () => {
    const parsed = JSON.parse(formatToken('json', token({ expiresAt: null }), NOW)) as Record<
      string,
      unknown
    >;
    expect(parsed.expires_in).toBeNull();
    expect(parsed.expires_at).toBeNull();
  });

  it('json: escapes what JSON must escape', () => {
    const accessToken = 'a"b\\c\nd';
    const parsed = JSON.parse(formatToken('json', token({ accessToken }), NOW)) as {
      access_token: string;
    };
    expect(parsed.access_token).toBe(accessToken);
  });
});
