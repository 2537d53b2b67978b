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
}

export const ProvidersSection = ({
  presets,
  providers,
  accountCounts,
  connects,
  actions,
}: ProvidersSectionProps) => (
  <section className="section" aria-labelledby="providers-heading">
    <h2 id="providers-heading">Providers</h2>
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
