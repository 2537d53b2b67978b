/**
 * docs/ERRORS.md lists every `validationDetail.expression` the API can produce: each listed one
 * is produced below through the API, and nothing else comes out of bad input, nor is written in
 * the core's own refusals (provider-directory.ts).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseInput } from '../../../../main/core/api/validation';
import type { ApiError, Result } from '../../../../shared/errors';
import { CHANNELS } from '../../../../shared/ipc-contract';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';

const read = (path: string): string =>
  readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');

/** The first column of the table under "## validationDetail expressions". */
const documented = (): string[] => {
  const doc = read('docs/ERRORS.md');
  const section = doc.slice(doc.indexOf('## validationDetail expressions'));
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
};

let f: ApiFixture;

beforeAll(async () => {
  f = createApiFixture({
    fetch: () => Promise.reject(new Error('network disabled in validation tests')),
  });
  ok(
    await f.api.saveProvider({
      id: 'local',
      presetId: 'oauth2',
      clientId: 'client-1',
      endpoints: {
        authorization: 'https://idp.example.com/authorize',
        token: 'https://idp.example.com/token',
      },
    }),
  );
});
afterAll(() => f.dispose());

const expressionsOf = (error: ApiError): string[] =>
  (error.validationDetail ?? []).map((d) => d.expression);

const call = (channel: keyof typeof CHANNELS, input: unknown): Promise<Result<unknown>> =>
  (f.api[channel] as (input?: unknown) => Promise<Result<unknown>>)(input);

/** One API call per documented expression that answers with it. */
const PRODUCERS: Record<string, () => Promise<Result<unknown>>> = {
  required: () => call('saveProvider', { presetId: 'github' }),
  type: () => call('saveProvider', { presetId: 'github', clientId: 5 }),
  max: () => call('saveProvider', { presetId: 'github', clientId: 'x', label: 'l'.repeat(81) }),
  min: () => call('saveProvider', { presetId: 'github', clientId: '' }),
  pattern: () => call('saveProvider', { presetId: 'github', clientId: 'has a space' }),
  url: () =>
    call('saveProvider', {
      presetId: 'oauth2',
      clientId: 'x',
      endpoints: {
        authorization: 'https://idp.example.com/authorize',
        token: 'https://idp.example.com/token#x',
      },
    }),
  enum: () => call('copyToken', { accountId: 'a', format: 'xml' }),
  unknown: () => call('connect', { providerId: 'github', extra: 1 }),
  rule: () => call('saveProvider', { presetId: 'oidc', clientId: 'x' }),
  unique: () =>
    call('saveProvider', {
      id: 'local',
      presetId: 'oidc',
      clientId: 'x',
      issuer: 'https://idp.example.com',
    }),
  exists: () =>
    call('saveProvider', { intent: 'edit', id: 'gone', presetId: 'github', clientId: 'x' }),
  'system-browser': () =>
    call('saveProvider', {
      presetId: 'google',
      clientId: 'desktop.apps.googleusercontent.com',
      clientSecret: 'GOCSPX-secret',
      consentMode: 'embedded',
    }),
  json: () => call('importProviders', { text: 'not JSON' }),
  secret: () =>
    call('importProviders', {
      text: JSON.stringify({
        tokendesk: 'providers',
        version: 1,
        providers: [{ presetId: 'github', clientId: 'x', clientSecret: '' }],
      }),
    }),
};

describe('docs/ERRORS.md lists exactly the validationDetail expressions produced', () => {
  it('has a producer for every listed expression, and lists every produced one', () => {
    expect(documented().sort()).toEqual(Object.keys(PRODUCERS).sort());
  });

  it.each(Object.keys(PRODUCERS))('%s is produced through the API', async (expression) => {
    const error = failed(await PRODUCERS[expression]!());
    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(expressionsOf(error)).toContain(expression);
  });

  it('the core’s own refusals (provider-directory.ts, provider-setup-file.ts) use listed expressions only', () => {
    const source = [
      'main/core/providers/provider-directory.ts',
      'main/core/api/provider-setup-file.ts',
    ]
      .map(read)
      .join('\n');
    const used = [...source.matchAll(/expression:\s*'([^']+)'/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    for (const expression of used) expect(documented()).toContain(expression);
  });

  it('bad input of any kind gets listed expressions only', () => {
    const listed = new Set(documented());
    const anything = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom('', ' ', 'https://x#y', 'http://idp.example.com', 'x'.repeat(5000)),
      fc.anything({ maxDepth: 2 }),
    );
    const input = fc.record(
      {
        id: anything,
        intent: anything,
        presetId: fc.oneof(fc.constantFrom('oidc', 'oauth2', 'github'), anything),
        label: anything,
        clientId: anything,
        clientSecret: anything,
        scopes: fc.oneof(fc.array(anything, { maxLength: 60 }), anything),
        consentMode: anything,
        issuer: anything,
        tenant: anything,
        endpoints: fc.oneof(
          fc.record(
            { authorization: anything, token: anything, userinfo: anything, extra: anything },
            { requiredKeys: [] },
          ),
          anything,
        ),
        provider: anything,
        code: anything,
        redirectUri: anything,
        codeVerifier: anything,
        clipboardClearSeconds: fc.oneof(fc.double(), fc.integer(), anything),
        persistWeakSecrets: anything,
      },
      { requiredKeys: [] },
    );
    const schemas: z.ZodType[] = Object.values(CHANNELS);
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...schemas), input, (schema, value) => {
        const parsed = parseInput(schema, value);
        if (parsed.ok || parsed.error.code !== 0) return;
        for (const detail of parsed.error.validationDetail ?? []) {
          expect(listed.has(detail.expression), JSON.stringify(detail)).toBe(true);
          seen.add(detail.expression);
        }
      }),
      { numRuns: 1000, seed: 6749 },
    );
    // The sweep did reach the schemas' rules, not only their types.
    expect([...seen]).toEqual(
      expect.arrayContaining(['required', 'type', 'max', 'pattern', 'url', 'enum', 'unknown']),
    );
    // 1000 generated inputs take 3–5 s of CPU on the 2-core build machines: above Vitest's default
    // 5 s under load, which is no failure of what the test checks.
  }, 30_000);
});

describe('refinements and formats in validationDetail', () => {
  it('a refinement without a named rule is a `rule` with its message as reason', () => {
    const schema = z.strictObject({ a: z.string().refine((v) => v === 'ok', 'must be ok') });
    const parsed = parseInput(schema, { a: 'no' });
    if (parsed.ok) throw new Error('expected a refusal');
    expect(parsed.error.validationDetail).toEqual([
      { field: 'a', expression: 'rule', reason: 'must be ok', originalValue: 'no' },
    ]);
  });

  it('zod’s own format wording never becomes the reason ("must be Invalid URL")', () => {
    const parsed = parseInput(z.strictObject({ u: z.string().url() }), { u: 'nope' });
    if (parsed.ok) throw new Error('expected a refusal');
    expect(parsed.error.validationDetail).toEqual([
      { field: 'u', expression: 'url', reason: 'must be a valid url', originalValue: 'nope' },
    ]);
  });
});
