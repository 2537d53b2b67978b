import { describe, expect, it } from 'vitest';
import { reuseUnchanged } from '../../../../renderer/src/accounts/reuse-unchanged';
import { makeAccount } from '../../helpers/renderer/fake-bridge';

describe('keeping unchanged accounts', () => {
  const a = makeAccount({ id: 'a', displayName: 'a' });
  const b = makeAccount({
    id: 'b',
    displayName: 'b',
    lastError: { group: 'refresh', code: 1, message: 'x' },
  });

  it('returns the same list when a pushed list says nothing new', () => {
    const previous = [a, b];
    expect(reuseUnchanged(previous, structuredClone(previous))).toBe(previous);
  });

  it('keeps the objects of unchanged accounts and takes the changed one', () => {
    const changed = { ...structuredClone(b), expiresAt: (b.expiresAt ?? 0) + 1000 };
    const next = reuseUnchanged([a, b], [structuredClone(a), changed]);
    expect(next[0]).toBe(a);
    expect(next[1]).toBe(changed);
  });

  it('notices changes deep inside (a scope, an error message) and in order or length', () => {
    const scopes = { ...structuredClone(a), scopes: ['openid', 'profile'] };
    expect(reuseUnchanged([a, b], [scopes, b])[0]).toBe(scopes);
    const message = {
      ...structuredClone(b),
      lastError: { group: 'refresh', code: 1, message: 'y' },
    };
    expect(reuseUnchanged([a, b], [a, message])[1]).toBe(message);
    const swapped = reuseUnchanged([a, b], [structuredClone(b), structuredClone(a)]);
    expect(swapped).toEqual([b, a]);
    expect(swapped[0]).toBe(b);
    expect(reuseUnchanged([a, b], [a])).toEqual([a]);
  });
});
