/**
 * What callers (IPC, the tray, a command line) do with provider configurations, with the guards
 * that keep accounts safe: a provider whose accounts or sign-in under way would follow a change
 * of where it signs in cannot be changed or deleted.
 */
import type { ParsedInput, ProvidersListing } from '../../../shared/ipc-contract';
import type { ProviderConfigView } from '../../../shared/model';
import { findPreset, registeredRedirectUri } from '../../../shared/providers';
import type { Connector } from '../accounts/connector';
import type { ClipboardGuard } from '../clipboard-guard';
import { CoreFailure } from '../core-failure';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';

export interface ProviderService {
  listing(): ProvidersListing;
  save(input: ParsedInput<'saveProvider'>): Promise<ProviderConfigView>;
  delete(providerId: string): void;
  /** Copies the redirect URI to register with the provider (not a secret: never cleared). */
  copyRedirectUri(presetId: string, id: string | undefined): Promise<string>;
}

export interface ProviderServiceDeps {
  readonly directory: ProviderDirectory;
  readonly repo: Repository;
  readonly connector: Connector;
  readonly clipboard: ClipboardGuard;
}

export const createProviderService = ({
  directory,
  repo,
  connector,
  clipboard,
}: ProviderServiceDeps): ProviderService => {
  const accountsUsing = (providerId: string): number =>
    repo.accounts().filter((account) => account.providerId === providerId).length;
  return {
    listing: () => ({ presets: directory.presets, configured: directory.list() }),

    save(input) {
      const id = input.id ?? input.presetId;
      return directory.save(input, accountsUsing(id), connector.isConnecting(id));
    },

    delete(providerId) {
      // The sign-in under way would otherwise add an account to a provider that is gone.
      if (connector.isConnecting(providerId)) {
        throw new CoreFailure(
          'consentInProgress',
          'A sign-in with this provider is under way: finish or cancel it before deleting the provider.',
        );
      }
      directory.delete(providerId, accountsUsing(providerId));
    },

    async copyRedirectUri(presetId, id) {
      const preset = findPreset(presetId, directory.presets);
      if (!preset) throw new CoreFailure('unsupportedProvider');
      const redirectUri = registeredRedirectUri(preset, id ?? presetId);
      await clipboard.copyPlain(redirectUri);
      return redirectUri;
    },
  };
};
