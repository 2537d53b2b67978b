/**
 * Who exchanges the sign-in's code and refreshes tokens: Tokendesk at the provider's token
 * endpoint with the client's own credential, or the team's backend, which keeps the client secret.
 */
import { useId } from 'react';
import type { TokenExchange } from './provider-form-model';

const OPTIONS: readonly { value: TokenExchange; label: string; hint: string }[] = [
  {
    value: 'direct',
    label: 'Direct',
    hint: 'Tokendesk calls the provider’s token endpoint, with the client secret or key if it has one.',
  },
  {
    value: 'backend',
    label: 'Through a backend',
    hint: 'Your team’s server keeps the client secret and exchanges codes and refreshes tokens for Tokendesk.',
  },
];

interface ExchangeFieldProps {
  readonly value: TokenExchange;
  readonly onValue: (exchange: TokenExchange) => void;
  readonly error?: string | undefined;
}

export const ExchangeField = ({ value, onValue, error }: ExchangeFieldProps) => {
  const id = useId();
  return (
    <fieldset
      className="field radio-group"
      role="radiogroup"
      aria-labelledby={`${id}-legend`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend id={`${id}-legend`}>Token exchange</legend>
      {OPTIONS.map((option) => (
        <div className="radio-option" key={option.value}>
          <input
            type="radio"
            id={`${id}-${option.value}`}
            name={`${id}-exchange`}
            value={option.value}
            checked={value === option.value}
            data-field={value === option.value ? 'exchange' : undefined}
            onChange={() => onValue(option.value)}
            aria-describedby={`${id}-${option.value}-hint`}
            aria-invalid={error ? true : undefined}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
          <p id={`${id}-${option.value}-hint`} className="field-hint">
            {option.hint}
          </p>
        </div>
      ))}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
};
