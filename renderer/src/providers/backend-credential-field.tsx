/**
 * The bearer credential the backend wants (an API key or the user's token there), write-only like
 * the client secret (secret-field.tsx): once saved the form never has it, only the fact that one
 * is stored, which the user can replace or remove.
 */
import { TextField } from '../common/text-field';
import type { SecretChange } from './provider-form-model';
import { StoredCredential } from './stored-credential';

interface BackendCredentialFieldProps {
  /** Whether a credential is stored for the configuration being edited. */
  readonly stored: boolean;
  readonly change: SecretChange;
  readonly onChange: (change: SecretChange) => void;
  readonly error?: string | undefined;
}

export const BackendCredentialField = ({
  stored,
  change,
  onChange,
  error,
}: BackendCredentialFieldProps) => {
  if (change.kind === 'set') {
    return (
      <div className="secret-field">
        <TextField
          label="Backend credential (optional)"
          type="password"
          autoComplete="off"
          spellCheck={false}
          data-field="backendCredential"
          value={change.value}
          onValue={(value) => onChange({ kind: 'set', value })}
          error={error}
          hint={
            stored
              ? 'Replaces the stored credential when you save.'
              : 'Sent as Authorization: Bearer … with every call to the backend; leave it empty if the backend wants none.'
          }
        />
        {stored && (
          <button type="button" className="button-quiet" onClick={() => onChange({ kind: 'keep' })}>
            Keep the stored credential
          </button>
        )}
      </div>
    );
  }
  return (
    <StoredCredential
      label="Backend credential"
      storedText="A backend credential is stored."
      noun="credential"
      change={change}
      onChange={onChange}
      error={error}
    />
  );
};
