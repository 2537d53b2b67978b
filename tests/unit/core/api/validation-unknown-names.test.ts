/**
 * An unknown field's name is the sender's text: the answer names it shortened, as it shortens a
 * value (`originalValue`), so a huge name cannot make a huge answer (issue 12: a 1,000,000-character
 * name used to come back twice, a 2 MB error for one bad call).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../../shared/errors';
import { createApiFixture, failed, type ApiFixture } from '../../helpers/api-fixture';

let f: ApiFixture;

beforeAll(() => {
  f = createApiFixture({
    fetch: () => Promise.reject(new Error('network disabled in validation tests')),
  });
});
afterAll(() => f.dispose());

const call = (channel: 'getStatus' | 'connect' | 'saveProvider', input: unknown) =>
  (f.api[channel] as (input?: unknown) => Promise<Result<unknown>>)(input);

const SHORTENED = `${'k'.repeat(64)}…`;

describe('an unknown field name is shortened in the answer', () => {
  it('getStatus({ <a million k>: 1 }) names it in 64 characters and answers under 1 kB', async () => {
    const error = failed(await call('getStatus', { ['k'.repeat(1e6)]: 1 }));

    expect(error).toMatchObject({ group: 'request', code: 0 });
    expect(error.validationDetail).toEqual([
      {
        field: SHORTENED,
        expression: 'unknown',
        reason: `"${SHORTENED}" is not a field of this request`,
      },
    ]);
    expect(JSON.stringify(error).length).toBeLessThan(1024);
  });

  it('shortens a nested unknown name after its known parent', async () => {
    const error = failed(
      await call('saveProvider', {
        presetId: 'oauth2',
        clientId: 'client-1',
        endpoints: {
          authorization: 'https://idp.example.com/authorize',
          token: 'https://idp.example.com/token',
          ['k'.repeat(5000)]: 'x',
        },
      }),
    );

    expect(error.validationDetail).toEqual([
      {
        field: `endpoints.${SHORTENED}`,
        expression: 'unknown',
        reason: `"${SHORTENED}" is not a field of this request`,
      },
    ]);
  });

  it('names a short unknown field as it was sent, up to 64 characters', async () => {
    const name = 'x'.repeat(64);
    const error = failed(await call('connect', { providerId: 'github', [name]: 1 }));

    expect(error.validationDetail).toEqual([
      { field: name, expression: 'unknown', reason: `"${name}" is not a field of this request` },
    ]);
  });
});
