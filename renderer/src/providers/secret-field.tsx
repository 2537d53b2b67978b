/**
 * The client secret is write-only: once saved the form never has it, only the fact that one is
 * stored. The user can replace it (a new masked input) or remove it; nothing shows a value.
 */
import { useId } from 'react';
import type { ProviderPreset } from '../../../shared/providers';
import { TextField } from '../common/text-field';
import type { SecretChange } from './provider-form-model';

interface SecretFieldProps {
  readonly preset: ProviderPreset;
  /** Whether a secret is stored for the configuration being edited. */
  readonly stored: boolean;
  readonly change: SecretChange;
  readonly onChange: (change: SecretChange) => void;
  readonly error?: string | undefined;
}

export const SecretField = ({ preset, stored, change, onChange, error }: SecretFieldProps) => {
  const id = useId();
  const requirement =
    preset.secret === 'required'
      ? `Required by ${preset.name}.`
      : 'Optional: leave it empty for a public client (PKCE only).';

  if (change.kind === 'set') {
    return (
      <div className="secret-field">
        <TextField
          label="Client secret"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={change.value}
          onValue={(value) => onChange({ kind: 'set', value })}
          error={error}
          hint={stored ? 'Replaces the stored secret when you save.' : requirement}
        />
        {stored && (
          <button type="button" className="button-quiet" onClick={() => onChange({ kind: 'keep' })}>
            Keep the stored secret
          </button>
        )}
      </div>
    );
  }

  const errorId = `${id}-error`;
  return (
    <div className="field" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        Client secret
      </span>
      <div className="secret-stored">
        {change.kind === 'keep' ? (
          <>
            <span>A secret is stored.</span>
            <button
              type="button"
              aria-label="Replace client secret"
              onClick={() => onChange({ kind: 'set', value: '' })}
            >
              Replace
            </button>
            <button
              type="button"
              aria-label="Remove client secret"
              onClick={() => onChange({ kind: 'remove' })}
            >
              Remove
            </button>
          </>
        ) : (
          <>
            <span>The stored secret will be removed when you save.</span>
            <button
              type="button"
              aria-label="Keep client secret"
              data-invalid={error ? '' : undefined}
              aria-describedby={error ? errorId : undefined}
              onClick={() => onChange({ kind: 'keep' })}
            >
              Keep it
            </button>
          </>
        )}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
};
