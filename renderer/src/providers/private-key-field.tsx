/**
 * The private key of private_key_jwt, write-only as the client secret is (secret-field.tsx):
 * once saved the form never has it, only the fact that one is stored. It is pasted into a
 * masked box of several lines (a PEM key has them); nothing shows a stored value.
 */
import { useId } from 'react';
import type { SecretChange } from './provider-form-model';
import { StoredCredential } from './stored-credential';

interface PrivateKeyFieldProps {
  /** Whether a key is stored for the configuration being edited. */
  readonly stored: boolean;
  readonly change: SecretChange;
  readonly onChange: (change: SecretChange) => void;
  readonly error?: string | undefined;
}

export const PrivateKeyField = ({ stored, change, onChange, error }: PrivateKeyFieldProps) => {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;

  if (change.kind === 'set') {
    return (
      <div className="secret-field">
        <div className="field">
          <label htmlFor={id}>Private key</label>
          <textarea
            id={id}
            className="masked-key"
            rows={4}
            autoComplete="off"
            spellCheck={false}
            data-field="privateKey"
            value={change.value}
            onChange={(event) => onChange({ kind: 'set', value: event.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={[error ? errorId : '', hintId].filter(Boolean).join(' ')}
          />
          {error && (
            <p id={errorId} className="field-error">
              {error}
            </p>
          )}
          <p id={hintId} className="field-hint">
            {stored
              ? 'Replaces the stored key when you save.'
              : 'PKCS#8 PEM (-----BEGIN PRIVATE KEY-----) or a private JWK: RSA, EC P-256 or Ed25519. Register its public key with the provider.'}
          </p>
        </div>
        {stored && (
          <button type="button" className="button-quiet" onClick={() => onChange({ kind: 'keep' })}>
            Keep the stored key
          </button>
        )}
      </div>
    );
  }

  return (
    <StoredCredential
      label="Private key"
      storedText="A private key is stored."
      noun="key"
      change={change}
      onChange={onChange}
      error={error}
    />
  );
};
