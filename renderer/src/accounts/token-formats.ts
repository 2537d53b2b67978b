import type { TokenFormat } from '../../../shared/model';
import type { MenuItem } from '../common/menu-button';

export const FORMAT_ITEMS: readonly MenuItem<TokenFormat>[] = [
  { key: 'bare', label: 'Bare token' },
  { key: 'header', label: 'Authorization header' },
  { key: 'curl', label: 'curl command' },
  { key: 'json', label: 'JSON' },
];

const WHAT: Readonly<Record<TokenFormat, string>> = {
  bare: 'the access token',
  header: 'an Authorization header',
  curl: 'a curl command',
  json: 'the token as JSON',
};

/** "Copied the access token for ana@example.com; the clipboard clears in 30 s." */
export const copiedText = (
  format: TokenFormat,
  displayName: string,
  clearsAt: number | undefined,
  now: number,
): string => {
  const copied = `Copied ${WHAT[format]} for ${displayName}`;
  if (clearsAt === undefined) return `${copied}.`;
  const seconds = Math.max(0, Math.round((clearsAt - now) / 1000));
  return `${copied}; the clipboard clears in ${seconds} s.`;
};
