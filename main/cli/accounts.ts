/** `tokendesk accounts`: what is connected and whether it has a usable token. Never a token. */
import { EXIT_CODES, type AccountListing } from '../../shared/command-line';
import type { Host } from './host';
import { report, type Services } from './services';
import { isoOrNull } from './token-output';

/** "in 42 min", "expired", "never", "no token": what a person wants to know at a glance. */
export const expiresText = (account: AccountListing, now: number): string => {
  if (!account.hasToken) return 'no token';
  if (account.expiresAt === null) return 'never';
  const seconds = Math.floor((account.expiresAt - now) / 1000);
  if (seconds <= 0) return 'expired';
  if (seconds < 60) return `in ${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `in ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.floor(hours / 24)} days`;
};

export const accountsTable = (accounts: readonly AccountListing[], now: number): string => {
  const rows = [
    ['NAME', 'ID', 'STATUS', 'EXPIRES'],
    ...accounts.map((a) => [a.name, a.id, a.status, expiresText(a, now)]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  '),
    )
    .map((line) => `${line}\n`)
    .join('');
};

export const accountsJson = (accounts: readonly AccountListing[]): string =>
  `${JSON.stringify(
    accounts.map((a) => ({
      id: a.id,
      name: a.name,
      providerId: a.providerId,
      presetId: a.presetId,
      displayName: a.displayName,
      status: a.status,
      hasToken: a.hasToken,
      expiresAt: isoOrNull(a.expiresAt),
    })),
    null,
    2,
  )}\n`;

export const accounts = async (
  host: Host,
  command: { readonly json: boolean },
  services: Services,
): Promise<number> => {
  const answer = await services.accounts();
  if (!answer.ok) return report(host, answer.failure);
  if (command.json) host.stdout(accountsJson(answer.value));
  else if (answer.value.length === 0) host.stdout('No accounts are connected in Tokendesk.\n');
  else host.stdout(accountsTable(answer.value, host.now()));
  return EXIT_CODES.ok;
};
