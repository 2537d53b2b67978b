/**
 * What callers (IPC, the tray, a command line) do with provider configurations, with the guards
 * that keep accounts safe: a provider whose accounts or sign-in under way would follow a change
 * of where it signs in cannot be changed or deleted. Setups are shared under the same guards:
 * exported without secrets, imported all or nothing.
 */
import type { ParsedInput, ProvidersListing } from '../../../shared/ipc-contract';
import type {
  ConnectionTest,
  ProviderConfigView,
  ProviderImportResult,
} from '../../../shared/model';
import { findPreset, registeredRedirectUri } from '../../../shared/providers';
import type { Connector } from '../accounts/connector';
import type { ClipboardGuard } from '../clipboard-guard';
import { CoreFailure } from '../core-failure';
import { ConfigRejected, type ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';

/**
 * A provider setup as people share it (settings shared, tokens personal): what saveProvider
 * takes, without a client secret or an intent.
 */
export type SharedSetup = Omit<
  ParsedInput<'saveProvider'>,
  'clientSecret' | 'privateKey' | 'intent' | 'clientCertificate' | 'clientPrivateKey'
>;

export interface ProviderService {
  listing(): ProvidersListing;
  save(input: ParsedInput<'saveProvider'>): Promise<ProviderConfigView>;
  delete(providerId: string): void;
  /** Copies the redirect URI to register with the provider (not a secret: never cleared). */
  copyRedirectUri(presetId: string, id: string | undefined): Promise<string>;
  /** "Test connection": how the app reaches a provider configured so (nothing is saved). */
  testConnection(input: ParsedInput<'saveProvider'>): Promise<ConnectionTest>;
  /** The setups of these configurations (absent: every one), in the store's order. */
  exportSetups(providerIds?: readonly string[]): SharedSetup[];
  /**
   * Saves shared setups, all or none. An ID that exists already and is not in `replace` is a
   * conflict: then nothing is saved and the conflicts are answered. New IDs are added, replaced
   * ones edited under the move rules (a provider with accounts keeps its client and server);
   * one refusal saves nothing. A refusal names fields as the file does: `providers.<n>.<field>`.
   */
  importSetups(
    setups: readonly SharedSetup[],
    replace: readonly string[],
  ): Promise<ProviderImportResult>;
}

/**
 * The setup of a configuration: the fields saveProvider takes, never its secret nor its client
 * certificate and key (a person's own, added in the form by each).
 */
const sharedSetupOf = (view: ProviderConfigView): SharedSetup => ({
  id: view.id,
  presetId: view.presetId,
  label: view.label,
  clientId: view.clientId,
  scopes: [...view.scopes],
  consentMode: view.consentMode,
  ...(view.issuer !== undefined ? { issuer: view.issuer } : {}),
  ...(view.tenant !== undefined ? { tenant: view.tenant } : {}),
  ...(view.endpoints !== undefined
    ? {
        endpoints: {
          authorization: view.endpoints.authorization,
          token: view.endpoints.token,
          ...(view.endpoints.revocation !== undefined
            ? { revocation: view.endpoints.revocation }
            : {}),
          ...(view.endpoints.userinfo !== undefined ? { userinfo: view.endpoints.userinfo } : {}),
          ...(view.endpoints.introspection !== undefined
            ? { introspection: view.endpoints.introspection }
            : {}),
          ...(view.endpoints.deviceAuthorization !== undefined
            ? { deviceAuthorization: view.endpoints.deviceAuthorization }
            : {}),
        },
      }
    : {}),
  ...(view.apiHosts !== undefined ? { apiHosts: [...view.apiHosts] } : {}),
  // The team's backend is shared; the credential it wants from each person is not.
  ...(view.backend !== undefined
    ? {
        backend: {
          url: view.backend.url,
          shape: view.backend.shape,
          redirectUri: view.backend.redirectUri,
        },
      }
    : {}),
});

/** A refusal of the file's entry `index`, said in the file's terms. */
const inSetupFile = (error: unknown, index: number, id: string): unknown => {
  if (error instanceof ConfigRejected) {
    return new ConfigRejected(
      error.detail.map((detail) => ({
        ...detail,
        field: detail.field === '' ? `providers.${index}` : `providers.${index}.${detail.field}`,
      })),
    );
  }
  if (error instanceof CoreFailure) {
    return new CoreFailure(error.errorName, error.message, {
      ...error.details,
      traces: [`providers.${index} ("${id}") of the file`, ...(error.details.traces ?? [])],
    });
  }
  return error;
};

export interface ProviderServiceDeps {
  readonly directory: ProviderDirectory;
  readonly repo: Repository;
  readonly connector: Connector;
  readonly clipboard: ClipboardGuard;
  /** The proxy the system chooses for a URL (Electron's session.resolveProxy). */
  readonly resolveProxy?: (url: string) => Promise<string>;
}

export const createProviderService = ({
  directory,
  repo,
  connector,
  clipboard,
  resolveProxy,
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

    testConnection: (input) => directory.testConnection(input, resolveProxy),

    async copyRedirectUri(presetId, id) {
      const preset = findPreset(presetId, directory.presets);
      if (!preset) throw new CoreFailure('unsupportedProvider');
      const redirectUri = registeredRedirectUri(preset, id ?? presetId);
      await clipboard.copyPlain(redirectUri);
      return redirectUri;
    },

    exportSetups(providerIds) {
      const ids = providerIds ?? repo.providers().map((config) => config.id);
      return [...new Set(ids)].map((id) => {
        const stored = repo.provider(id);
        if (!stored) throw new CoreFailure('unsupportedProvider', `There is no provider "${id}".`);
        return sharedSetupOf(directory.view(stored));
      });
    },

    async importSetups(setups, replace) {
      const agreed = new Set(replace);
      const idOf = (setup: SharedSetup) => setup.id ?? setup.presetId;
      const conflicts = setups
        .map(idOf)
        .filter((id) => repo.provider(id) !== undefined && !agreed.has(id));
      if (conflicts.length > 0) return { imported: [], conflicts };
      // Every entry checked before any is written, then all in one write.
      const prepared = setups.map((setup, index) => {
        const id = idOf(setup);
        try {
          return directory.prepareSave(
            { ...setup, intent: repo.provider(id) ? 'edit' : 'add' },
            accountsUsing(id),
            connector.isConnecting(id),
            { sharedSetup: true },
          );
        } catch (error) {
          throw inSetupFile(error, index, id);
        }
      });
      return { imported: await directory.saveAll(prepared), conflicts: [] };
    },
  };
};
