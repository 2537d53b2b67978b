/**
 * accountsChanged carries the whole list, every object new. Keeping the previous object for each
 * account whose content did not change lets memoised rows skip rendering: one refreshed account
 * re-renders one row, not a thousand.
 */
import type { AccountView } from '../../../shared/model';
import { sameJson } from '../common/same-json';

export const reuseUnchanged = (
  previous: readonly AccountView[],
  next: readonly AccountView[],
): readonly AccountView[] => {
  const byId = new Map(previous.map((account) => [account.id, account]));
  let identical = previous.length === next.length;
  const merged = next.map((account, index) => {
    const old = byId.get(account.id);
    const kept = old !== undefined && sameJson(old, account) ? old : account;
    if (kept !== previous[index]) identical = false;
    return kept;
  });
  return identical ? previous : merged;
};
