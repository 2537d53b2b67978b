/**
 * The copy formats (oauth2l's bare, header, curl, json). The curl line is checked with a real
 * POSIX shell: pasted as is, it must hand curl exactly the header and URL, whatever they contain.
 * Nothing copied ever holds a control character: a token or URL with anything but visible ASCII
 * is refused with a clear error, in every format.
 */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatToken, type FormattableToken } from '../../../../main/core/services/token-format';
import { CoreFailure } from '../../../../main/core/core-failure';
import type { TokenFormat } from '../../../../shared/model';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';
import { MemoryKv } from '../../helpers/memory-kv';
import { answerWithCode, scriptedConsent } from '../../helpers/scripted-consent';
import { startTinyOAuthProvider, type TinyOAuthProvider } from '../../helpers/tiny-oauth-provider';

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
    const url = 'https://api.example.com/$(touch${IFS}/tmp/pwned)/`id`;echo${IFS}hi&&ls${IFS}*?[a]';
    const accessToken = 'tok$HOME\'"\\`;|&';
    const line = formatToken('curl', token({ accessToken, exampleUrl: url }), NOW);
    expect(argumentsAsPasted([line])).toEqual([
      ['-H', `Authorization: Bearer ${accessToken}`, url],
    ]);
  });

  it('curl: hands curl exactly the header and URL for any visible ASCII content', () => {
    const printable = fc.string({
      unit: fc.constantFrom(...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))),
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
    // A shell reads back 200 pasted lines: seconds of CPU, over Vitest's 5 s on a loaded 2-core
    // machine, which is no failure of what the test checks.
  }, 30_000);

  it('curl for PowerShell (Windows): curl.exe, single quotes with an embedded one doubled', () => {
    expect(
      formatToken(
        'curl',
        token({ accessToken: "a'b", exampleUrl: "https://api.example.com/o'neil" }),
        NOW,
        'powershell',
      ),
    ).toBe("curl.exe -H 'Authorization: Bearer a''b' 'https://api.example.com/o''neil'");
  });

  it('curl for PowerShell: the quoted words read back as exactly the header and URL', () => {
    // PowerShell's single-quoted string: everything literal, '' for one quote ($, `, " and ;
    // included). No PowerShell on this machine: its documented rule, applied to each word.
    const words = (line: string): string[] =>
      [...line.matchAll(/'((?:[^']|'')*)'|(\S+)/g)].map(([, quoted, bare]) =>
        quoted !== undefined ? quoted.replaceAll("''", "'") : (bare ?? ''),
      );
    const printable = fc.string({
      unit: fc.constantFrom(...Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i))),
      minLength: 1,
      maxLength: 40,
    });
    fc.assert(
      fc.property(printable, printable, (accessToken, path) => {
        const line = formatToken(
          'curl',
          token({ accessToken, exampleUrl: `https://api.example.com/${path}` }),
          NOW,
          'powershell',
        );
        expect(words(line)).toEqual([
          'curl.exe',
          '-H',
          `Authorization: Bearer ${accessToken}`,
          `https://api.example.com/${path}`,
        ]);
      }),
      { numRuns: 300, seed: 4243 },
    );
  }, 30_000);

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
    const accessToken = 'a"b\\c/d';
    const parsed = JSON.parse(formatToken('json', token({ accessToken }), NOW)) as {
      access_token: string;
    };
    expect(parsed.access_token).toBe(accessToken);
  });

  it('json: provider text (scopes) comes out as ASCII escapes, never as raw controls', () => {
    const scopes = ['read\x1b[201~\x15', 'b\x9bc', 'd\u2028e', 'f\u202eg', 'h\x7f', 'ü😀'];
    const text = formatToken('json', token({ scopes }), NOW);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect((JSON.parse(text) as { scope: string }).scope).toBe(scopes.join(' '));
  });
});

/** A token in the shape an older Tokendesk could have stored, or a provider tried to issue. */
const HOSTILE = 'x\x1b[201~\x15touch /tmp/tokendesk-pwned\r';
const FORMATS: readonly TokenFormat[] = ['bare', 'header', 'curl', 'json'];
const OUTSIDE_VISIBLE_ASCII = [
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  '\u00a0',
  '\u2028',
  '\u202e',
  'é',
];

const refusal = (run: () => unknown): CoreFailure => {
  try {
    run();
  } catch (error) {
    if (error instanceof CoreFailure) return error;
    throw error;
  }
  throw new Error('expected the token to be refused');
};

describe('formatToken refuses what must never reach the clipboard', () => {
  it.each(FORMATS)('%s: an access token with a control character', (format) => {
    const failure = refusal(() => formatToken(format, token({ accessToken: HOSTILE }), NOW));
    expect(failure.toApiError()).toMatchObject({ group: 'refresh', code: 0 });
    expect(failure.message).toMatch(
      /characters it cannot have \(spaces or control characters\), so it was not copied/,
    );
    expect(failure.message).not.toContain('touch');
  });

  it.each(FORMATS)('%s: any character outside 0x21–0x7E in the token or token type', (format) => {
    for (const c of OUTSIDE_VISIBLE_ASCII) {
      for (const bad of [`${c}tok`, `to${c}k`, `tok${c}`]) {
        expect(() => formatToken(format, token({ accessToken: bad }), NOW)).toThrow(CoreFailure);
        expect(() => formatToken(format, token({ tokenType: `Bearer${c}` }), NOW)).toThrow(
          CoreFailure,
        );
      }
    }
  });

  it('curl: an example URL with a control character or space', () => {
    for (const c of OUTSIDE_VISIBLE_ASCII) {
      const exampleUrl = `https://api.example.com/x${c}touch /tmp/tokendesk-pwned\r`;
      const failure = refusal(() => formatToken('curl', token({ exampleUrl }), NOW));
      expect(failure.toApiError()).toMatchObject({ group: 'oauth', code: 4 });
      expect(failure.message).toMatch(/so no curl line was copied/);
      expect(failure.message).not.toContain('touch');
    }
  });

  it('the formats that do not use the example URL still copy', () => {
    const exampleUrl = 'https://api.example.com/\x1b';
    expect(formatToken('bare', token({ exampleUrl }), NOW)).toBe('ya29.a0AfH6SMBx');
  });

  it('whatever the token, scopes and URL: either a refusal or text without a control character', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(
        fc.constantFrom(...FORMATS),
        anyText,
        anyText,
        fc.array(anyText, { maxLength: 3 }),
        anyText,
        (format, accessToken, tokenType, scopes, path) => {
          let text: string;
          try {
            text = formatToken(
              format,
              token({ accessToken, tokenType, scopes, exampleUrl: `https://a.example/${path}` }),
              NOW,
            );
          } catch (error) {
            expect(error).toBeInstanceOf(CoreFailure);
            return;
          }
          expect(text).toMatch(/^[\x20-\x7e\n]*$/);
        },
      ),
      { numRuns: 500, seed: 2024 },
    );
  });
});

describe('copyToken never puts a control character on the clipboard', () => {
  let provider: TinyOAuthProvider;
  const fixtures: ApiFixture[] = [];

  beforeAll(async () => {
    provider = await startTinyOAuthProvider();
  });
  afterAll(() => provider.close());
  afterEach(() => {
    for (const f of fixtures.splice(0)) f.dispose();
    provider.reset();
  });

  const connected = async (kv = new MemoryKv(), platform: NodeJS.Platform = 'linux') => {
    const f = createApiFixture({ consent: scriptedConsent(answerWithCode()), kv, platform });
    fixtures.push(f);
    ok(
      await f.api.saveProvider({
        id: 'local',
        presetId: 'oauth2',
        clientId: 'tokendesk-test',
        clientSecret: 'local-client-secret',
        scopes: ['read'],
        endpoints: provider.endpoints,
      }),
    );
    const { account } = ok(await f.api.connect({ providerId: 'local' }));
    return { f, accountId: account.id };
  };

  it('refuses a stored access token with control characters (an older Tokendesk stored it)', async () => {
    const { f, accountId } = await connected();
    const stored = f.parts.repo.account(accountId);
    if (!stored) throw new Error('no account');
    const secrets = await f.parts.repo.accountSecrets(accountId);
    await f.parts.repo.saveAccount(stored, { ...secrets, accessToken: HOSTILE });

    for (const format of FORMATS) {
      const error = failed(await f.api.copyToken({ accountId, format }));
      expect(error).toMatchObject({ group: 'refresh', code: 0 });
      expect(error.message).toMatch(/spaces or control characters/);
      expect(JSON.stringify(error)).not.toContain('touch');
    }
    expect(f.clipboard.writes).toEqual([]);
  });

  it('refuses a curl line for a stored user-info URL with control characters', async () => {
    const kv = new MemoryKv();
    const { f: before, accountId } = await connected(kv);
    const doc = kv.store as { providers: Record<string, { endpoints: { userinfo: string } }> };
    doc.providers.local!.endpoints.userinfo = `${provider.url}/userinfo\x1b[201~\x15touch x\r`;
    kv.store = doc;
    const f = createApiFixture({ kv, secretBox: before.secretBox });
    fixtures.push(f);

    const error = failed(await f.api.copyToken({ accountId, format: 'curl' }));
    expect(error).toMatchObject({ group: 'oauth', code: 4 });
    expect(error.message).toMatch(/so no curl line was copied/);
    expect(f.clipboard.writes).toEqual([]);
    // The token itself is fine: the other formats copy it.
    ok(await f.api.copyToken({ accountId, format: 'header' }));
    expect(f.clipboard.writes).toEqual(['Authorization: Bearer access-token-1']);
  });

  it('on Windows copies the curl line for PowerShell', async () => {
    const { f, accountId } = await connected(new MemoryKv(), 'win32');
    ok(await f.api.copyToken({ accountId, format: 'curl' }));
    expect(f.clipboard.writes).toEqual([
      `curl.exe -H 'Authorization: Bearer access-token-1' '${provider.url}/userinfo'`,
    ]);
  });
});
