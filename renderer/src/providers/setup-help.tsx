/**
 * How to register Tokendesk at the provider: the preset's steps, where its console is, and the
 * exact redirect URI to enter there. Addresses are text to select, not links: the app window
 * never navigates.
 */
import { useId, type ReactNode } from 'react';
import { registeredRedirectUri, type ProviderPreset } from '../../../shared/providers';

interface SetupHelpProps {
  readonly preset: ProviderPreset;
  /** The configuration ID the redirect URI is for (the preset ID when empty). */
  readonly configurationId: string;
  /** Device code chosen: nothing redirects, so no redirect URI is needed. */
  readonly signsInWithCode?: boolean;
  /**
   * Through a backend: the redirect URI its OAuth client registered, as typed. The backend's
   * client is the one registered, so Tokendesk's own registration steps do not apply.
   */
  readonly backendRedirectUri?: string | undefined;
  readonly onCopyRedirectUri: () => void;
  /** What a failed copy says, right under its button. */
  readonly copyProblem?: ReactNode;
}

export const SetupHelp = ({
  preset,
  configurationId,
  signsInWithCode = false,
  backendRedirectUri,
  onCopyRedirectUri,
  copyProblem,
}: SetupHelpProps) => {
  const headingId = useId();
  if (backendRedirectUri !== undefined)
    return (
      <aside className="setup-help" aria-labelledby={headingId}>
        <h3 id={headingId}>Through your backend</h3>
        <p>
          Your backend’s OAuth client is the one registered with {preset.name}: enter its client ID
          and the redirect URI it registered. Tokendesk never needs its client secret; the backend
          keeps it.
        </p>
        <div className="redirect-uri">
          <p className="field-label">Redirect URI</p>
          {backendRedirectUri.trim() ? (
            <code className="selectable" data-testid="redirect-uri">
              {backendRedirectUri.trim()}
            </code>
          ) : (
            <p data-testid="redirect-uri-none">The backend client’s, once you enter it.</p>
          )}
        </div>
      </aside>
    );
  const redirectUri = registeredRedirectUri(preset, configurationId.trim() || preset.id);
  return (
    <aside className="setup-help" aria-labelledby={headingId}>
      <h3 id={headingId}>Register Tokendesk with {preset.name}</h3>
      <ol>
        {preset.setup.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {preset.setup.consoleUrl && (
        <p>
          Where: <code className="selectable">{preset.setup.consoleUrl}</code>
          <span className="field-hint"> (open it in your browser)</span>
        </p>
      )}
      {signsInWithCode ? (
        <div className="redirect-uri">
          <p className="field-label">Redirect URI</p>
          <p data-testid="redirect-uri-none">
            None needed to sign in with a code: nothing redirects back to Tokendesk. Register one
            only to also use the embedded window or the system browser.
          </p>
        </div>
      ) : preset.setup.registersRedirectUri === false ? (
        <div className="redirect-uri">
          <p className="field-label">Redirect URI</p>
          <p data-testid="redirect-uri-none">
            Nothing to register: {preset.name} accepts any loopback address. Tokendesk signs in
            through{' '}
            <code className="selectable">
              {redirectUri.replace('/callback', ':<port>/callback')}
            </code>{' '}
            on a free port.
          </p>
        </div>
      ) : (
        <div className="redirect-uri">
          <p className="field-label">Redirect URI</p>
          <code className="selectable" data-testid="redirect-uri">
            {redirectUri}
          </code>
          <button type="button" onClick={onCopyRedirectUri}>
            Copy redirect URI
          </button>
          {copyProblem}
        </div>
      )}
    </aside>
  );
};
