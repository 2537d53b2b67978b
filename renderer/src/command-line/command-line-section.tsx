/**
 * Settings' "Command line" part: the switch that lets the `tokendesk` command ask for tokens, what
 * that means, the approvals in force and the hand-out log. Unlike the fields above it, everything
 * here takes effect at once: the switch is saved as it is flipped (the log and the approvals
 * beside it are live, and a switch that waits for Save would read as on while it is not), and the
 * rest of the form keeps what the user typed whatever the switch's save answers.
 */
import { useId, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { SettingsView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { useToast } from '../common/toasts';
import { useMounted } from '../common/use-mounted';
import { ApprovalsList } from './approvals-list';
import { HandOutLog } from './hand-out-log';
import type { CommandLineState } from './use-command-line';
import './command-line.css';

interface CommandLineSectionProps {
  readonly access: boolean;
  /** What main answered to the switch: the whole settings, saved. */
  readonly onSettings: (settings: SettingsView) => void;
  readonly commandLine: CommandLineState;
}

export const CommandLineSection = ({
  access,
  onSettings,
  commandLine,
}: CommandLineSectionProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const switchId = useId();
  const hintId = `${switchId}-hint`;
  /** The value being saved, shown meanwhile; undefined when nothing is on its way. */
  const [saving, setSaving] = useState<boolean>();
  const [failure, setFailure] = useState<{ readonly on: boolean; readonly error: ApiError }>();
  const checked = saving ?? access;
  const { view, loadError, apply, retryLoad } = commandLine;

  const flip = async (on: boolean) => {
    if (saving !== undefined) return;
    setSaving(on);
    setFailure(undefined);
    const result = await settle(api.saveSettings({ commandLineAccess: on }));
    // Saved also when the dialog was closed meanwhile: the window's settings follow main.
    if (result.ok) onSettings(result.value);
    if (!mounted.current) {
      if (!result.ok)
        toast(`Command-line access was not turned ${on ? 'on' : 'off'}: ${result.error.message}`);
      return;
    }
    // Back to what main holds: the switch never shows a state that was not saved.
    setSaving(undefined);
    if (!result.ok) setFailure({ on, error: result.error });
  };

  return (
    <fieldset className="field command-line-section">
      <legend>Command line</legend>
      <div className="check-option">
        <input
          id={switchId}
          type="checkbox"
          role="switch"
          checked={checked}
          onChange={(event) => void flip(event.target.checked)}
          aria-describedby={hintId}
          aria-busy={saving !== undefined}
        />
        <label htmlFor={switchId}>Let the tokendesk command ask for tokens</label>
      </div>
      <div id={hintId} className="field-hint">
        <p>
          The <code>tokendesk</code> command gives your scripts and tools an access token:{' '}
          <code>tokendesk token github</code> prints one, <code>tokendesk run</code> hands one to a
          program, and <code>tokendesk git-credential</code>, <code>tokendesk kube</code> and{' '}
          <code>tokendesk docker-credential</code> give them to git, kubectl and docker.
        </p>
        <p>
          The first time a command asks for an account, Tokendesk asks you to approve it. Approvals
          end when Tokendesk quits, or earlier at the time you chose. This switch, Revoke and Clear
          log take effect at once.
        </p>
      </div>
      {failure && (
        <ErrorAlert
          title={`Command-line access was not turned ${failure.on ? 'on' : 'off'}`}
          error={failure.error}
        />
      )}
      {view ? (
        <>
          <ApprovalsList approvals={view.approvals} onView={apply} />
          <HandOutLog log={view.log} onView={apply} />
        </>
      ) : loadError ? (
        <div className="command-line-load-error">
          <ErrorAlert
            title="Tokendesk could not load the approvals and the hand-out log"
            error={loadError}
          />
          <button type="button" onClick={retryLoad}>
            Try again
          </button>
        </div>
      ) : (
        <p role="status" className="muted">
          Loading the approvals and the hand-out log…
        </p>
      )}
    </fieldset>
  );
};
