/**
 * The client secret is write-only: once saved the form never has it, only the fact that one is
 * stored. The user can replace it (a new masked input) or remove it; nothing shows a value.
 */
import type { ProviderPreset } from '../../../shared/providers';
import { TextField } from '../common/text-field';
import type { SecretChange } from './provider-form-model';
import { StoredCredential } from './stored-credential';

interface SecretFieldProps {
  readonly preset: ProviderPreset;
  /** Whether a secret is stored for the configuration being edited. */
  readonly stored: boolean;
  readonly change: SecretChange;
  readonly onChange: (change: SecretChange) => void;
  readonly error?: string | undefined;
}

export const SecretField = ({ preset, stored, change, onChange, error }: SecretFieldProps) => {
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

  return (
    <StoredCredential
      label="Client secret"
      storedText="A secret is stored."
      noun="secret"
      change={change}
      onChange={onChange}
      error={error}
    />
  );
};
