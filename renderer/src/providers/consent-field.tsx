import { useId } from 'react';
import type { ConsentMode } from '../../../shared/providers';
import { needsSystemBrowser, type ProviderPreset } from '../../../shared/providers';

const OPTIONS: readonly { mode: ConsentMode; label: string; hint: string }[] = [
  {
    mode: 'embedded',
    label: 'Embedded window',
    hint: 'A Tokendesk window with cookies of its own: you sign in afresh each time.',
  },
  {
    mode: 'system-browser',
    label: 'System browser',
    hint: 'Your default browser, where you may be signed in already; Tokendesk takes the answer on 127.0.0.1.',
  },
  {
    mode: 'device-code',
    label: 'Device code',
    hint: 'Tokendesk shows a code; you enter it on the provider’s page in any browser, on any device. No redirect URI is needed.',
  },
];

interface ConsentFieldProps {
  readonly preset: ProviderPreset;
  readonly value: ConsentMode;
  readonly onValue: (mode: ConsentMode) => void;
  readonly error?: string | undefined;
  /** Whether the provider has a device authorization endpoint (or may, by discovery). */
  readonly offersDeviceCode: boolean;
  /** Why the system browser cannot catch the redirect (a backend's web redirect URI), if so. */
  readonly systemBrowserProblem?: string | undefined;
}

export const ConsentField = ({
  preset,
  value,
  onValue,
  error,
  offersDeviceCode,
  systemBrowserProblem,
}: ConsentFieldProps) => {
  const id = useId();
  const systemOnly = needsSystemBrowser(preset);
  return (
    <fieldset
      className="field radio-group"
      role="radiogroup"
      aria-labelledby={`${id}-legend`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend id={`${id}-legend`}>Consent</legend>
      {OPTIONS.filter(
        // Kept while chosen, so a typed endpoint emptied does not hide the choice still saved.
        (option) => option.mode !== 'device-code' || offersDeviceCode || value === 'device-code',
      ).map((option) => {
        const embeddedBlocked = systemOnly && option.mode === 'embedded';
        const browserBlocked =
          systemBrowserProblem !== undefined && option.mode === 'system-browser';
        const disabled = embeddedBlocked || browserBlocked;
        return (
          <div className="radio-option" key={option.mode}>
            <input
              type="radio"
              id={`${id}-${option.mode}`}
              name={`${id}-consent`}
              value={option.mode}
              checked={value === option.mode}
              disabled={disabled}
              onChange={() => onValue(option.mode)}
              aria-describedby={`${id}-${option.mode}-hint`}
              aria-invalid={error ? true : undefined}
            />
            <label htmlFor={`${id}-${option.mode}`}>{option.label}</label>
            <p id={`${id}-${option.mode}-hint`} className="field-hint">
              {embeddedBlocked
                ? `${preset.name} blocks sign-in in embedded windows: the system browser is required.`
                : browserBlocked
                  ? systemBrowserProblem
                  : option.hint}
            </p>
          </div>
        );
      })}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
};
