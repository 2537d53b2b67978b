/**
 * The words of sharing provider setups: file names, field paths of a refused import, and what an
 * import did.
 */
import type { ValidationDetail } from '../../../shared/errors';
import type { ProviderConfigView } from '../../../shared/model';
import { findPreset, type ProviderPreset } from '../../../shared/providers';

/** The suggested file name: the one provider's ID, or every provider's setup. */
export const setupFileName = (provider: ProviderConfigView | undefined): string =>
  provider ? `tokendesk-${provider.id}.json` : 'tokendesk-providers.json';

/** "A", "A and B", "A, B and C". */
export const listed = (names: readonly string[]): string =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;

/** Where a problem is, as the user can find it: the path in the file, or the file itself. */
export const problemPlace = (detail: ValidationDetail): string =>
  detail.field === '' ? 'The file' : detail.field === 'text' ? 'The text' : detail.field;

/** Imported providers whose preset needs a client secret they do not have yet. */
const needingSecret = (
  imported: readonly ProviderConfigView[],
  presets: readonly ProviderPreset[],
): ProviderConfigView[] =>
  imported.filter(
    (provider) =>
      !provider.hasClientSecret && findPreset(provider.presetId, presets)?.secret === 'required',
  );

/** The toast after an import: what was imported, and what still needs the user's own secret. */
export const importedText = (
  imported: readonly ProviderConfigView[],
  presets: readonly ProviderPreset[],
): string => {
  const names = imported.map((provider) => provider.label);
  const what =
    imported.length > 3
      ? `${imported.length} providers: ${listed(names)}`
      : listed(names) || 'no provider';
  const secretless = needingSecret(imported, presets).map((provider) => provider.label);
  const secretNote =
    secretless.length === 0
      ? ''
      : ` ${listed(secretless)} ${secretless.length === 1 ? 'needs' : 'need'} your client secret: add it with Edit before connecting.`;
  return `Imported ${what}.${secretNote}`;
};
