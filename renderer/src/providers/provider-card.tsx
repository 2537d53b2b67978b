import { memo, useId, useRef } from 'react';
import type { ProviderConfigView } from '../../../shared/model';
import type { ProviderPreset } from '../../../shared/providers';
import { ErrorAlert } from '../common/error-alert';
import { consentHint, consentModeLabel, stageText, type ConnectState } from './connect-state';
import { DeviceCodePanel } from './device-code-panel';

export interface ProviderCardActions {
  readonly connect: (providerId: string) => void;
  readonly cancelConnect: (providerId: string) => void;
  /** A sign-in with a code: its code to the clipboard, its page in the browser (main does both). */
  readonly copyDeviceCode: (providerId: string) => void;
  readonly openDevicePage: (providerId: string) => void;
  readonly dismissConnectError: (providerId: string) => void;
  readonly edit: (provider: ProviderConfigView) => void;
  readonly remove: (provider: ProviderConfigView) => void;
  /** Opens the export of this provider's setup, to share. */
  readonly exportSetup: (provider: ProviderConfigView) => void;
  /** Opens the Add machine account dialog (client credentials) for this provider. */
  readonly addMachineAccount: (provider: ProviderConfigView) => void;
}

/** The backend's host as the card names it; the whole URL is its title. */
const backendHost = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

interface ProviderCardProps {
  readonly provider: ProviderConfigView;
  readonly preset: ProviderPreset | undefined;
  readonly accountCount: number;
  readonly connect: ConnectState | undefined;
  readonly actions: ProviderCardActions;
}

export const ProviderCard = memo(function ProviderCard({
  provider,
  preset,
  accountCount,
  connect,
  actions,
}: ProviderCardProps) {
  const headingId = useId();
  const connectRef = useRef<HTMLButtonElement>(null);
  const { label } = provider;
  const running = connect?.phase === 'running';
  return (
    <section className="provider-card" aria-labelledby={headingId}>
      <div className="provider-card-head">
        <h3 id={headingId}>{label}</h3>
        {preset && preset.name !== label && <span className="muted">{preset.name}</span>}
      </div>
      <dl className="provider-facts">
        <div>
          <dt>Client ID</dt>
          <dd>
            <code className="truncate" title={provider.clientId}>
              {provider.clientId}
            </code>
          </dd>
        </div>
        {provider.backend ? (
          <div>
            <dt>Token exchange</dt>
            {/* Wrapped, not cut: the host is the fact that matters; the whole URL is its title. */}
            <dd className="backend-host" title={provider.backend.url}>
              Through {backendHost(provider.backend.url)}
            </dd>
          </div>
        ) : provider.clientAuth === 'private_key_jwt' ? (
          <div>
            <dt>Private key</dt>
            <dd>{provider.hasPrivateKey === true ? 'Stored' : 'None'}</dd>
          </div>
        ) : (
          <div>
            <dt>Secret</dt>
            <dd>{provider.hasClientSecret ? 'Stored' : 'None'}</dd>
          </div>
        )}
        <div>
          <dt>Sign-in</dt>
          <dd>{consentModeLabel(provider.consentMode)}</dd>
        </div>
        <div>
          <dt>Accounts</dt>
          <dd>{accountCount}</dd>
        </div>
      </dl>
      <div className="provider-actions">
        <button
          ref={connectRef}
          type="button"
          className="button-primary"
          aria-label={`Connect ${label}`}
          disabled={running}
          onClick={() => actions.connect(provider.id)}
        >
          Connect
        </button>
        {/* Through a backend the client's credentials are the backend's: no machine account. */}
        {provider.backend === undefined && (
          <button
            type="button"
            aria-label={`Add machine account to ${label}`}
            title="A token of this client itself (client credentials), for scripts and services"
            onClick={() => actions.addMachineAccount(provider)}
          >
            Add machine account…
          </button>
        )}
        <button type="button" aria-label={`Edit ${label}`} onClick={() => actions.edit(provider)}>
          Edit
        </button>
        <button
          type="button"
          aria-label={`Export ${label}`}
          onClick={() => actions.exportSetup(provider)}
        >
          Export
        </button>
        <button
          type="button"
          aria-label={`Delete ${label}`}
          onClick={() => actions.remove(provider)}
        >
          Delete
        </button>
      </div>
      <div className="connect-progress" role="status">
        {running && (
          <>
            <p className="connect-stage">
              <span className="spinner" aria-hidden="true" />
              {stageText(connect.stage, label)}
            </p>
            {(connect.stage === 'waiting-for-consent' ||
              connect.stage === 'waiting-for-device') && (
              <p className="field-hint">{consentHint(provider.consentMode)}</p>
            )}
          </>
        )}
      </div>
      {/* Outside the status region: a screen reader hears the stage, not every countdown tick. */}
      {running && connect.stage === 'waiting-for-device' && connect.device && (
        <DeviceCodePanel
          providerLabel={label}
          device={connect.device}
          onCopy={() => actions.copyDeviceCode(provider.id)}
          onOpen={() => actions.openDevicePage(provider.id)}
        />
      )}
      {running && connect.stage !== 'done' && (
        <button type="button" onClick={() => actions.cancelConnect(provider.id)}>
          Cancel sign-in
        </button>
      )}
      {connect?.phase === 'failed' && (
        <ErrorAlert
          title={`Could not connect ${label}`}
          error={connect.error}
          onDismiss={() => {
            // The Dismiss button goes away with the alert: the focus goes to Connect, to retry.
            connectRef.current?.focus();
            actions.dismissConnectError(provider.id);
          }}
          dismissLabel={`Dismiss the sign-in error of ${label}`}
        />
      )}
    </section>
  );
});
