/**
 * IPC's structured clone delivers more than JSON: a `Date`, `Map`, `Set`, `RegExp`, bytes, an
 * `Error`, a boxed string. None of them is the plain object a channel takes. zod's object schemas
 * take any non-array object and read only its own fields, so a channel whose fields are all
 * optional answered ok to `new Date()` (`saveSettings` saved nothing and said ok). Each is
 * refused as `request`/0, naming what arrived, wherever an object belongs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/errors';
import type { ChannelName } from '../../../../shared/ipc-contract';
import { createApiFixture, failed, ok, type ApiFixture } from '../../helpers/api-fixture';

let f: ApiFixture;

beforeAll(() => {
  f = createApiFixture({
    fetch: () => Promise.reject(new Error('network disabled in validation tests')),
  });
});
afterAll(() => f.dispose());

const call = (channel: ChannelName, input: unknown): Promise<Result<unknown>> =>
  (f.api[channel] as (input?: unknown) => Promise<Result<unknown>>)(input);

/** What structured clone can carry that is not plain data, each with the name the answer uses. */
const CLONED: readonly (readonly [string, () => unknown])[] = [
  ['Date', () => new Date(0)],
  ['Map', () => new Map([['clipboardClearSeconds', 5]])],
  ['Set', () => new Set(['clipboardClearSeconds'])],
  ['RegExp', () => /x/],
  ['ArrayBuffer', () => new ArrayBuffer(4)],
  ['Uint8Array', () => new Uint8Array(4)],
  ['Error', () => new Error('x')],
  ['String', () => new String('x')],
];

/** The channels that have no required field: zod alone answered ok to any of these. */
const WITHOUT_REQUIRED_FIELDS = [
  'listProviders',
  'listAccounts',
  'getStatus',
  'getSettings',
  'saveSettings',
] as const satisfies readonly ChannelName[];

describe('a structured-clone object where a channel takes its fields', () => {
  describe.each(WITHOUT_REQUIRED_FIELDS)('%s', (channel) => {
    it.each(CLONED)('refuses %s as request/0, naming it', async (kind, make) => {
      const error = failed(await call(channel, make()));

      expect(error).toMatchObject({ group: 'request', code: 0 });
      expect(error.validationDetail).toEqual([
        {
          field: '',
          expression: 'type',
          argument: 'object',
          reason: `must be object, not ${kind}`,
          originalValue: kind,
        },
      ]);
    });
  });

  it('a channel with required fields names the type, not a missing field', async () => {
    const error = failed(await call('connect', new Set(['providerId'])));

    expect(error.validationDetail).toEqual([
      {
        field: '',
        expression: 'type',
        argument: 'object',
        reason: 'must be object, not Set',
        originalValue: 'Set',
      },
    ]);
  });
});

describe('a structured-clone object inside the input', () => {
  it('where an object belongs (endpoints)', async () => {
    const error = failed(
      await call('saveProvider', {
        presetId: 'oauth2',
        clientId: 'client-1',
        endpoints: new Map(),
      }),
    );

    expect(error.validationDetail).toEqual([
      {
        field: 'endpoints',
        expression: 'type',
        argument: 'object',
        reason: 'must be object, not Map',
        originalValue: 'Map',
      },
    ]);
  });

  it('where a string belongs', async () => {
    const error = failed(await call('connect', { providerId: new Date(0) }));

    expect(error.validationDetail).toEqual([
      {
        field: 'providerId',
        expression: 'type',
        argument: 'string',
        reason: 'must be string, not Date',
        originalValue: 'Date',
      },
    ]);
  });

  it('keeps answering plain data as before', async () => {
    expect(ok(await call('getStatus', {}))).toBeDefined();
    expect(ok(await call('getStatus', undefined))).toBeDefined();
    // An object without a prototype is plain data too (JSON.parse and structured clone never
    // make one, but a caller in main may).
    expect(ok(await call('getStatus', Object.create(null)))).toBeDefined();
  });
});
