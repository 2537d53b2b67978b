/**
 * Every channel refuses bad input the same way, whatever the input: `request`/0 with a usable
 * `validationDetail` (or `request`/1 for no body at all), never an exception, never a change to
 * the store, and never an echo of a secret. Property-based: a valid base input per channel,
 * mutated by removing a required field, retyping a field, oversizing a string, adding an unknown
 * field, or replaced by anything at all.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Result } from '../../../../shared/errors';
import {
  CHANNEL_NAMES,
  CHANNELS,
  LIMITS,
  MAX_APPROVAL_SECONDS,
  MAX_IMPORT_CHARS,
  type ChannelName,
} from '../../../../shared/ipc-contract';
import { createApiFixture, ok, type ApiFixture } from '../../helpers/api-fixture';

const RUNS = 200;

type Kind =
  'string' | 'nullable-string' | 'enum' | 'array' | 'object' | 'boolean' | 'nullable-integer';

interface FieldSpec {
  readonly path: readonly string[];
  readonly kind: Kind;
  /** Required in the base input (removing it must be refused). */
  readonly required: boolean;
  /** A value of the right type that is too big. */
  readonly oversized?: fc.Arbitrary<unknown>;
}

interface ChannelSpec {
  readonly base: Readonly<Record<string, unknown>>;
  readonly fields: readonly FieldSpec[];
}

const SLUG_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789-'.split('');
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'.split('');
const VISIBLE = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i));
const TEXT = [...VISIBLE, ' ', 'é', '漢'];

const longer = (chars: readonly string[], max: number, prefix = ''): fc.Arbitrary<string> =>
  fc
    .string({
      unit: fc.constantFrom(...chars),
      minLength: max + 1 - prefix.length,
      maxLength: max + 300 - prefix.length,
    })
    .map((s) => `${prefix}${s}`);

const longUrl = (max: number): fc.Arbitrary<string> =>
  fc
    .integer({ min: max + 1, max: max + 500 })
    .map((n) => `https://idp.example.com/${'p'.repeat(n - 24)}`);

const slugField = (name: string, required = true): FieldSpec => ({
  path: [name],
  kind: 'string',
  required,
  oversized: longer(SLUG_CHARS, LIMITS.id, 'a'),
});
const accountIdField: FieldSpec = {
  path: ['accountId'],
  kind: 'string',
  required: true,
  oversized: longer(ID_CHARS, LIMITS.id),
};
const urlField = (path: readonly string[], required: boolean): FieldSpec => ({
  path,
  kind: 'string',
  required,
  oversized: longUrl(LIMITS.url),
});

const SPECS: Record<ChannelName, ChannelSpec> = {
  listProviders: { base: {}, fields: [] },
  saveProvider: {
    base: {
      id: 'second-provider',
      presetId: 'oauth2',
      label: 'Work server',
      clientId: 'client-123',
      clientSecret: 'base-secret-value-000',
      scopes: ['read', 'write'],
      consentMode: 'system-browser',
      issuer: 'https://idp.example.com',
      tenant: 'contoso',
      endpoints: {
        authorization: 'https://idp.example.com/authorize',
        token: 'https://idp.example.com/token',
        revocation: 'https://idp.example.com/revoke',
        userinfo: 'https://idp.example.com/userinfo',
        introspection: 'https://idp.example.com/introspect',
      },
      apiHosts: ['api.example.com', '*.example.net'],
    },
    fields: [
      slugField('id', false),
      {
        path: ['apiHosts'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: LIMITS.apiHosts + 1, max: LIMITS.apiHosts + 30 })
          .map((n) => Array.from({ length: n }, (_, i) => `h${i}.example.com`)),
      },
      {
        path: ['apiHosts', '0'],
        kind: 'string',
        required: false,
        oversized: fc
          .integer({ min: 254, max: 400 })
          .map((n) => `${'a.'.repeat(Math.ceil(n / 2))}com`),
      },
      { path: ['presetId'], kind: 'enum', required: true },
      { path: ['label'], kind: 'string', required: false, oversized: longer(TEXT, LIMITS.label) },
      {
        path: ['clientId'],
        kind: 'string',
        required: true,
        oversized: longer(VISIBLE, LIMITS.clientId),
      },
      {
        path: ['clientSecret'],
        kind: 'nullable-string',
        required: false,
        oversized: longer(VISIBLE, LIMITS.clientSecret),
      },
      {
        path: ['scopes'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: LIMITS.scopes + 1, max: LIMITS.scopes + 40 })
          .map((n) => Array.from({ length: n }, (_, i) => `scope${i}`)),
      },
      {
        path: ['scopes', '0'],
        kind: 'string',
        required: false,
        oversized: longer(['a', 'b', ':', '.'], LIMITS.scope),
      },
      { path: ['consentMode'], kind: 'enum', required: false },
      urlField(['issuer'], false),
      {
        path: ['tenant'],
        kind: 'string',
        required: false,
        oversized: longer(['a', 'b', '.', '-', '7'], LIMITS.tenant),
      },
      // Required for the oauth2 preset of the base input.
      { path: ['endpoints'], kind: 'object', required: true },
      urlField(['endpoints', 'authorization'], true),
      urlField(['endpoints', 'token'], true),
      urlField(['endpoints', 'revocation'], false),
      urlField(['endpoints', 'userinfo'], false),
      urlField(['endpoints', 'introspection'], false),
    ],
  },
  deleteProvider: { base: { providerId: 'github' }, fields: [slugField('providerId')] },
  connect: { base: { providerId: 'github' }, fields: [slugField('providerId')] },
  addMachineAccount: {
    base: {
      providerId: 'github',
      name: 'ci deploy',
      scopes: ['api:read'],
      audience: 'https://api.example.com',
      resources: ['https://api.example.com/'],
    },
    fields: [
      slugField('providerId'),
      {
        path: ['name'],
        kind: 'string',
        required: true,
        oversized: longer(TEXT, LIMITS.machineName),
      },
      {
        path: ['scopes'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: LIMITS.scopes + 1, max: LIMITS.scopes + 40 })
          .map((n) => Array.from({ length: n }, (_, i) => `scope${i}`)),
      },
      {
        path: ['audience'],
        kind: 'string',
        required: false,
        oversized: longer(VISIBLE, LIMITS.audience),
      },
      {
        path: ['resources'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: LIMITS.resources + 1, max: LIMITS.resources + 20 })
          .map((n) => Array.from({ length: n }, (_, i) => `https://api${i}.example.com/`)),
      },
      { path: ['resources', '0'], kind: 'string', required: false, oversized: longUrl(LIMITS.url) },
    ],
  },
  cancelConnect: { base: { providerId: 'github' }, fields: [slugField('providerId')] },
  copyDeviceCode: { base: { providerId: 'github' }, fields: [slugField('providerId')] },
  openDevicePage: { base: { providerId: 'github' }, fields: [slugField('providerId')] },
  listAccounts: { base: {}, fields: [] },
  refreshAccount: { base: { accountId: 'acc_123-x' }, fields: [accountIdField] },
  copyToken: {
    base: { accountId: 'acc_123-x', format: 'curl' },
    fields: [accountIdField, { path: ['format'], kind: 'enum', required: true }],
  },
  disconnect: { base: { accountId: 'acc_123-x' }, fields: [accountIdField] },
  exchange: {
    base: {
      provider: 'github',
      code: 'a1b2c3d4e5',
      redirectUri: 'http://127.0.0.1/callback/github',
      codeVerifier: 'v'.repeat(43),
    },
    fields: [
      slugField('provider'),
      { path: ['code'], kind: 'string', required: true, oversized: longer(VISIBLE, LIMITS.code) },
      { path: ['redirectUri'], kind: 'string', required: false, oversized: longUrl(LIMITS.url) },
      {
        path: ['codeVerifier'],
        kind: 'string',
        required: false,
        oversized: longer(['a', 'B', '9', '.', '_', '~', '-'], LIMITS.codeVerifier),
      },
    ],
  },
  copyRedirectUri: {
    base: { presetId: 'github', id: 'github-work' },
    fields: [{ path: ['presetId'], kind: 'enum', required: true }, slugField('id', false)],
  },
  getStatus: { base: {}, fields: [] },
  getSettings: { base: {}, fields: [] },
  saveSettings: {
    base: { persistWeakSecrets: false, clipboardClearSeconds: 30, commandLineAccess: false },
    fields: [
      { path: ['persistWeakSecrets'], kind: 'boolean', required: false },
      { path: ['commandLineAccess'], kind: 'boolean', required: false },
      {
        path: ['clipboardClearSeconds'],
        kind: 'nullable-integer',
        required: false,
        oversized: fc.oneof(
          fc.integer({ min: LIMITS.clipboardClearSeconds.max + 1 }),
          fc.integer({ max: LIMITS.clipboardClearSeconds.min - 1 }),
          fc.double({ min: 5.01, max: 99.99, noInteger: true }),
        ),
      },
    ],
  },
  getCommandLine: { base: {}, fields: [] },
  answerApproval: {
    base: { requestId: 'request-1', decision: 'allow', allowForSeconds: 3600 },
    fields: [
      {
        path: ['requestId'],
        kind: 'string',
        required: true,
        oversized: longer(ID_CHARS, LIMITS.id),
      },
      { path: ['decision'], kind: 'enum', required: true },
      {
        path: ['allowForSeconds'],
        kind: 'nullable-integer',
        required: false,
        oversized: fc.oneof(fc.integer({ min: MAX_APPROVAL_SECONDS + 1 }), fc.integer({ max: 59 })),
      },
    ],
  },
  revokeApproval: { base: { accountId: 'acc-1' }, fields: [accountIdField] },
  clearCommandLog: { base: {}, fields: [] },
  inspectToken: {
    base: { accountId: 'acc_123-x', which: 'id' },
    fields: [accountIdField, { path: ['which'], kind: 'enum', required: true }],
  },
  introspectToken: { base: { accountId: 'acc_123-x' }, fields: [accountIdField] },
  exportProviders: {
    base: { providerIds: ['github'] },
    fields: [
      {
        path: ['providerIds'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: 201, max: 260 })
          .map((n) => Array(n).fill('github') as string[]),
      },
      {
        path: ['providerIds', '0'],
        kind: 'string',
        required: false,
        oversized: longer(SLUG_CHARS, LIMITS.id, 'a'),
      },
    ],
  },
  importProviders: {
    base: {
      text: JSON.stringify({
        tokendesk: 'providers',
        version: 1,
        providers: [{ id: 'shared-work', presetId: 'github', clientId: 'Iv1.shared' }],
      }),
      replace: ['shared-work'],
    },
    fields: [
      {
        path: ['text'],
        kind: 'string',
        required: true,
        oversized: fc
          .integer({ min: MAX_IMPORT_CHARS + 1, max: MAX_IMPORT_CHARS + 300 })
          .map((n) => `{"tokendesk":"providers","version":1,"providers":[]}`.padEnd(n, ' ')),
      },
      {
        path: ['replace'],
        kind: 'array',
        required: false,
        oversized: fc
          .integer({ min: 201, max: 260 })
          .map((n) => Array(n).fill('github') as string[]),
      },
      {
        path: ['replace', '0'],
        kind: 'string',
        required: false,
        oversized: longer(SLUG_CHARS, LIMITS.id, 'a'),
      },
    ],
  },
  // Replaced below: it takes what saveProvider takes (the same schema).
  testConnection: { base: {}, fields: [] },
  listProxySignIns: { base: {}, fields: [] },
  answerProxySignIn: {
    base: { id: 'proxy-1', credentials: { username: 'ana', password: 'p' } },
    fields: [
      { path: ['id'], kind: 'string', required: true, oversized: longer(VISIBLE, LIMITS.id) },
      { path: ['credentials'], kind: 'object', required: false },
      {
        path: ['credentials', 'username'],
        kind: 'string',
        required: true,
        oversized: longer(VISIBLE, 256),
      },
      {
        path: ['credentials', 'password'],
        kind: 'string',
        required: true,
        oversized: longer(VISIBLE, 1024),
      },
    ],
  },
};
SPECS.testConnection = SPECS.saveProvider;

const anything = fc.anything({
  maxDepth: 3,
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withTypedArray: true,
  withSparseArray: true,
  withDate: true,
  withBigInt: true,
});

const isPlainObjectLike = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const hasRightType = (kind: Kind, value: unknown): boolean => {
  switch (kind) {
    case 'string':
    case 'enum':
      return typeof value === 'string';
    case 'nullable-string':
      return typeof value === 'string' || value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObjectLike(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'nullable-integer':
      // Numbers of any kind count as the right type: a fraction or NaN is a range error.
      return typeof value === 'number' || value === null;
  }
};

const wrongTyped = (kind: Kind): fc.Arbitrary<unknown> =>
  anything.filter((v) => v !== undefined && !hasRightType(kind, v));

const clone = <T>(value: T): T => structuredClone(value);

/** A copy of `input` with the value at `path` replaced (or removed when `remove`). */
const withField = (
  input: Readonly<Record<string, unknown>>,
  path: readonly string[],
  value: unknown,
  remove = false,
): Record<string, unknown> => {
  const copy = clone(input) as Record<string, unknown>;
  let parent: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path.at(-1) ?? '';
  if (remove) delete parent[last];
  else
    Object.defineProperty(parent, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return copy;
};

const SECRET_PATH_NAMES = new Set(['clientSecret', 'code', 'codeVerifier', 'password']);

let fixture: ApiFixture;

beforeAll(async () => {
  fixture = createApiFixture({
    // Nothing in this file may reach a network or a consent window.
    fetch: () => Promise.reject(new Error('network disabled in validation tests')),
  });
  ok(
    await fixture.api.saveProvider({
      presetId: 'github',
      clientId: 'Iv1.base',
      clientSecret: 'github-base-secret-value',
    }),
  );
});

afterAll(() => fixture.dispose());

const call = (channel: ChannelName, input: unknown): Promise<Result<unknown>> =>
  (fixture.api[channel] as (input?: unknown) => Promise<Result<unknown>>)(input);

const snapshot = async (): Promise<string> =>
  JSON.stringify({
    kv: fixture.kv.store,
    providers: ok(await fixture.api.listProviders()).configured,
    accounts: ok(await fixture.api.listAccounts()),
  });

const describeInput = (input: unknown): string => {
  try {
    return JSON.stringify(input)?.slice(0, 300) ?? String(input);
  } catch {
    return typeof input;
  }
};

/** The one answer every bad input must get. */
const expectRefused = async (channel: ChannelName, input: unknown): Promise<ApiError> => {
  const before = await snapshot();
  let result: Result<unknown>;
  try {
    result = await call(channel, input);
  } catch (error) {
    throw new Error(
      `${channel} threw instead of answering: ${String(error)} for ${describeInput(input)}`,
      { cause: error },
    );
  }
  if (result.ok) throw new Error(`${channel} accepted ${describeInput(input)}`);
  const { error } = result;
  expect(error.group, describeInput(input)).toBe('request');
  expect([0, 1]).toContain(error.code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  if (error.code === 0) {
    expect(
      error.validationDetail?.length ?? 0,
      `detail for ${describeInput(input)}`,
    ).toBeGreaterThan(0);
    for (const detail of error.validationDetail ?? []) {
      expect(typeof detail.field).toBe('string');
      expect(typeof detail.expression).toBe('string');
      expect(detail.expression.length).toBeGreaterThan(0);
      expect(typeof detail.reason).toBe('string');
      expect(detail.reason.length).toBeGreaterThan(0);
      if (detail.field.split('.').some((part) => SECRET_PATH_NAMES.has(part))) {
        expect(detail, 'a secret field’s value is never echoed').not.toHaveProperty(
          'originalValue',
        );
      }
    }
  } else {
    expect(input === undefined || input === null).toBe(true);
  }
  // Structured-clone safe, as it must cross IPC.
  expect(() => structuredClone(error)).not.toThrow();
  expect(await snapshot()).toBe(before);
  return error;
};

describe('the base inputs', () => {
  it.each(CHANNEL_NAMES)(
    '%s: the base input is valid (so each mutation below is what makes it invalid)',
    (channel) => {
      expect(CHANNELS[channel].safeParse(SPECS[channel].base).success).toBe(true);
    },
  );

  it('covers every channel of the contract', () => {
    expect(Object.keys(SPECS).sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});

describe.each(CHANNEL_NAMES)('%s refuses bad input', (channel) => {
  const spec = SPECS[channel];
  const required = spec.fields.filter((f) => f.required);
  const oversizable = spec.fields.filter(
    (f): f is FieldSpec & { oversized: fc.Arbitrary<unknown> } => f.oversized !== undefined,
  );

  // Channels without fields get no (a)–(c) cases at all, rather than skipped ones.
  if (required.length > 0)
    it('(a) with a required field removed', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...required), async (field) => {
          await expectRefused(channel, withField(spec.base, field.path, undefined, true));
        }),
        { numRuns: Math.min(RUNS, required.length * 3) },
      );
    });

  if (spec.fields.length > 0)
    it('(b) with a field of the wrong type', async () => {
      const mutated = fc
        .constantFrom(...spec.fields)
        .chain((field) =>
          wrongTyped(field.kind).map((value) => withField(spec.base, field.path, value)),
        );
      await fc.assert(
        fc.asyncProperty(mutated, async (input) => {
          await expectRefused(channel, input);
        }),
        { numRuns: RUNS },
      );
    });

  if (oversizable.length > 0)
    it('(c) with a string or list beyond its limit', async () => {
      const mutated = fc
        .constantFrom(...oversizable)
        .chain((field) => field.oversized.map((value) => withField(spec.base, field.path, value)));
      await fc.assert(
        fc.asyncProperty(mutated, async (input) => {
          const error = await expectRefused(channel, input);
          expect(error.code).toBe(0);
        }),
        { numRuns: RUNS },
      );
    });

  it('(d) with an unknown extra field', async () => {
    const objectPaths: ReadonlyArray<readonly string[]> = [
      [],
      ...spec.fields.filter((f) => f.kind === 'object').map((f) => f.path),
    ];
    const mutated = fc
      .tuple(
        fc.constantFrom(...objectPaths),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'then'),
        ),
        anything,
      )
      .filter(([path, key]) => {
        let target: unknown = spec.base;
        for (const part of path) target = (target as Record<string, unknown>)[part];
        return !Object.hasOwn(target as object, key);
      })
      .map(([path, key, value]) => withField(spec.base, [...path, key], value));
    await fc.assert(
      fc.asyncProperty(mutated, async (input) => {
        const error = await expectRefused(channel, input);
        expect(error.code).toBe(0);
        expect(error.validationDetail?.some((d) => d.expression === 'unknown')).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('(e) with any value at all that the schema does not accept', async () => {
    const schema = CHANNELS[channel];
    await fc.assert(
      fc.asyncProperty(
        anything.filter((value) => !schema.safeParse(value).success),
        async (input) => {
          await expectRefused(channel, input);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('values zod itself throws on', () => {
  // Found by (b): an object with a null prototype where a string belongs made zod's safeParse
  // throw ("Cannot convert object to primitive value") instead of answering.
  it.each(['deleteProvider', 'refreshAccount', 'copyToken'] as const)(
    '%s answers request/0',
    async (channel) => {
      const hostile = { length: Object.create(null) as object };
      const input =
        channel === 'deleteProvider'
          ? { providerId: hostile }
          : channel === 'copyToken'
            ? { accountId: hostile, format: 'bare' }
            : { accountId: hostile };
      const error = await expectRefused(channel, input);
      expect(error).toMatchObject({ group: 'request', code: 0 });
    },
  );
});

describe('secrets in refused input are never echoed', () => {
  const secretText = fc
    .string({ unit: fc.constantFrom(...VISIBLE), minLength: 12, maxLength: 60 })
    .map((s) => `S3CRET-${s}`);

  /** The secret must not appear, not even shortened to its first characters. */
  const expectNotEchoed = (error: ApiError, secret: string): void => {
    const answer = JSON.stringify(error);
    expect(answer).not.toContain(secret.slice(0, 16));
    expect(answer).not.toContain(JSON.stringify(secret.slice(0, 16)).slice(1, -1));
  };

  it('saveProvider never echoes the clientSecret, valid or not', async () => {
    const badSecret = fc
      .tuple(
        secretText,
        fc.constantFrom('space', 'newline', 'tab', 'oversized', 'valid-but-other-field-bad'),
      )
      .map(([secret, how]) => {
        switch (how) {
          case 'space':
            return {
              secret,
              input: withField(SPECS.saveProvider.base, ['clientSecret'], `${secret} tail`),
            };
          case 'newline':
            return {
              secret,
              input: withField(SPECS.saveProvider.base, ['clientSecret'], `${secret}\n`),
            };
          case 'tab':
            return {
              secret,
              input: withField(SPECS.saveProvider.base, ['clientSecret'], `\t${secret}`),
            };
          case 'oversized':
            return {
              secret,
              input: withField(
                SPECS.saveProvider.base,
                ['clientSecret'],
                secret.padEnd(LIMITS.clientSecret + 5, 'x'),
              ),
            };
          default:
            return {
              secret,
              input: withField(
                withField(SPECS.saveProvider.base, ['clientSecret'], secret),
                ['presetId'],
                'not-a-preset',
              ),
            };
        }
      });
    await fc.assert(
      fc.asyncProperty(badSecret, async ({ secret, input }) => {
        expectNotEchoed(await expectRefused('saveProvider', input), secret);
      }),
      { numRuns: 300 },
    );
  });

  it('exchange never echoes the code or the code verifier', async () => {
    const badCode = fc
      .tuple(
        secretText,
        fc.constantFrom(
          'code-space',
          'code-oversized',
          'verifier-bad-char',
          'verifier-oversized',
          'verifier-short',
        ),
      )
      .map(([secret, how]) => {
        const base = SPECS.exchange.base;
        switch (how) {
          case 'code-space':
            return { secret, input: withField(base, ['code'], `${secret} x`) };
          case 'code-oversized':
            return {
              secret,
              input: withField(base, ['code'], secret.padEnd(LIMITS.code + 1, 'c')),
            };
          case 'verifier-bad-char':
            return {
              secret,
              input: withField(base, ['codeVerifier'], `${secret}!`.padEnd(60, 'v')),
            };
          case 'verifier-oversized':
            return {
              secret,
              input: withField(base, ['codeVerifier'], secret.padEnd(LIMITS.codeVerifier + 1, 'v')),
            };
          default:
            return { secret, input: withField(base, ['codeVerifier'], secret.slice(0, 30)) };
        }
      });
    await fc.assert(
      fc.asyncProperty(badCode, async ({ secret, input }) => {
        expectNotEchoed(await expectRefused('exchange', input), secret);
      }),
      { numRuns: 200 },
    );
  });
});
