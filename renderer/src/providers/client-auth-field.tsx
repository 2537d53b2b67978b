/**
 * How the client authenticates at the token endpoint: as the preset says, a client secret sent
 * with Basic or in the form body, or private_key_jwt (a key's signed assertion, RFC 7523).
 */
import { useId } from 'react';
import type { ClientAuthChoice } from './provider-form-model';

const CHOICES: readonly { readonly value: ClientAuthChoice; readonly label: string }[] = [
  { value: 'auto', label: 'Automatic (as the provider expects)' },
  { value: 'client_secret_basic', label: 'Client secret, HTTP Basic (client_secret_basic)' },
  { value: 'client_secret_post', label: 'Client secret, in the body (client_secret_post)' },
  { value: 'private_key_jwt', label: 'Private key, signed assertion (private_key_jwt)' },
];

interface ClientAuthFieldProps {
  readonly value: ClientAuthChoice;
  readonly onChange: (choice: ClientAuthChoice) => void;
  readonly error?: string | undefined;
}

export const ClientAuthField = ({ value, onChange, error }: ClientAuthFieldProps) => {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>Client authentication</label>
      <select
        id={id}
        value={value}
        data-field="clientAuth"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => {
          const choice = CHOICES.find((option) => option.value === event.target.value);
          if (choice) onChange(choice.value);
        }}
      >
        {CHOICES.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
};
