/**
 * A write-only credential that is stored (a client secret, a private key): the form never has
 * its value, only the fact that it is there. The user can replace it (the field's own input
 * comes back), remove it, or take the removal back; nothing shows a value.
 */
import { useId } from 'react';
import type { SecretChange } from './provider-form-model';

interface StoredCredentialProps {
  /** The field's label: "Client secret", "Private key". */
  readonly label: string;
  /** What it is called in a sentence: "secret", "key". */
  readonly noun: string;
  /** What the field says while it is kept: "A secret is stored." */
  readonly storedText: string;
  /** `keep` or `remove`: `set` is the field's own input. */
  readonly change: Exclude<SecretChange, { kind: 'set' }>;
  readonly onChange: (change: SecretChange) => void;
  readonly error?: string | undefined;
}

export const StoredCredential = ({
  label,
  noun,
  storedText,
  change,
  onChange,
  error,
}: StoredCredentialProps) => {
  const id = useId();
  const errorId = `${id}-error`;
  const name = label.toLowerCase();
  return (
    <div className="field" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="field-label">
        {label}
      </span>
      <div className="secret-stored">
        {change.kind === 'keep' ? (
          <>
            <span>{storedText}</span>
            <button
              type="button"
              aria-label={`Replace ${name}`}
              onClick={() => onChange({ kind: 'set', value: '' })}
            >
              Replace
            </button>
            <button
              type="button"
              aria-label={`Remove ${name}`}
              onClick={() => onChange({ kind: 'remove' })}
            >
              Remove
            </button>
          </>
        ) : (
          <>
            <span>The stored {noun} will be removed when you save.</span>
            <button
              type="button"
              aria-label={`Keep ${name}`}
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
