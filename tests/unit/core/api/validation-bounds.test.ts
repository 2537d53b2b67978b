/**
 * The words of a bound in `validationDetail`: the renderer shows `reason` beside the field, so a
 * number's bound must not read like a length ("at most 3600 items").
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LIMITS, saveSettingsInput } from '../../../../shared/ipc-contract';
import { parseInput } from '../../../../main/core/api/validation';

const detailOf = (schema: z.ZodType, input: unknown) => {
  const parsed = parseInput(schema, input);
  if (parsed.ok) throw new Error('expected the input to be refused');
  expect(parsed.error).toMatchObject({ group: 'request', code: 0 });
  return parsed.error.validationDetail;
};

describe('bounds in validationDetail', () => {
  it('states a number bound without a unit, with the limit as argument', () => {
    const { max, min } = LIMITS.clipboardClearSeconds;
    expect(detailOf(saveSettingsInput, { clipboardClearSeconds: max + 1 })).toEqual([
      {
        field: 'clipboardClearSeconds',
        expression: 'max',
        argument: max,
        reason: `must be at most ${max}`,
        originalValue: max + 1,
      },
    ]);
    expect(detailOf(saveSettingsInput, { clipboardClearSeconds: min - 1 })).toEqual([
      {
        field: 'clipboardClearSeconds',
        expression: 'min',
        argument: min,
        reason: `must be at least ${min}`,
        originalValue: min - 1,
      },
    ]);
  });

  it('counts characters for a string and items for an array', () => {
    const schema = z.strictObject({ label: z.string().max(3), scopes: z.array(z.string()).min(1) });
    expect(detailOf(schema, { label: 'abcd', scopes: [] })).toEqual([
      {
        field: 'label',
        expression: 'max',
        argument: 3,
        reason: 'must be at most 3 characters',
        originalValue: 'abcd',
      },
      {
        field: 'scopes',
        expression: 'min',
        argument: 1,
        reason: 'must be at least 1 item',
        originalValue: 'array(0)',
      },
    ]);
  });
});
