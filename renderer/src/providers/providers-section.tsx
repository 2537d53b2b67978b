import type { ProviderConfigView } from '../../../shared/model';
import { findPreset, type ProviderPreset } from '../../../shared/providers';
import type { ConnectStates } from './connect-state';
import { ProviderCard, type ProviderCardActions } from './provider-card';
import './providers.css';

interface ProvidersSectionProps {
  readonly presets: readonly ProviderPreset[];
  readonly providers: readonly ProviderConfigView[];
  readonly accountCounts: ReadonlyMap<string, number>;
  readonly connects: ConnectStates;
  readonly actions: ProviderCardActions;
  /** Opens the import of shared setups. */
  readonly onImport: () => void;
  /** Opens the export of every provider's setup. */
  readonly onExportAll: () => void;
}

export const ProvidersSection = ({
  presets,
  providers,
  accountCounts,
  connects,
  actions,
  onImport,
  onExportAll,
}: ProvidersSectionProps) => (
  <section className="section" aria-labelledby="providers-heading">
    <div className="providers-head">
      <h2 id="providers-heading">Providers</h2>
      <div className="providers-head-actions">
        <button type="button" onClick={onImport}>
          Import…
        </button>
        {providers.length > 0 && (
          <button type="button" onClick={onExportAll}>
            Export all…
          </button>
        )}
      </div>
    </div>
    <div className="provider-grid">
      {providers.map((provider) => (
        <ProviderCard
          key={provider.id}
          provider={provider}
          preset={findPreset(provider.presetId, presets)}
          accountCount={accountCounts.get(provider.id) ?? 0}
          connect={connects.get(provider.id)}
          actions={actions}
        />
      ))}
    </div>
  </section>
);
