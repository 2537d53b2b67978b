/**
 * A token exchange through a backend: where the backend is, which shape its endpoints have (and
 * the exact URLs Tokendesk will POST to), the redirect URI its OAuth client registered, its
 * optional credential, and what this combination means for signing in.
 */
import { useId } from 'react';
import {
  BACKEND_SHAPE_FACTS,
  BACKEND_SHAPES,
  type BackendShape,
  type ProviderPreset,
} from '../../../shared/providers';
import { TextField } from '../common/text-field';
import { BackendCredentialField } from './backend-credential-field';
import { backendCalls, backendNotes } from './backend-exchange';
import type { ProviderField, ProviderFormValues, SecretChange } from './provider-form-model';

type TextProps = {
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly error: string | undefined;
  readonly 'data-field': ProviderField;
};

interface BackendFieldsProps {
  readonly preset: ProviderPreset;
  readonly values: ProviderFormValues;
  /** Whether the configuration edited has a backend credential stored. */
  readonly storedCredential: boolean;
  readonly url: TextProps;
  readonly redirectUri: TextProps;
  readonly onShape: (shape: BackendShape) => void;
  readonly onCredential: (change: SecretChange) => void;
  readonly shapeError?: string | undefined;
  readonly credentialError?: string | undefined;
}

export const BackendFields = ({
  preset,
  values,
  storedCredential,
  url,
  redirectUri,
  onShape,
  onCredential,
  shapeError,
  credentialError,
}: BackendFieldsProps) => {
  const shapeId = useId();
  const calls = backendCalls(values.backendUrl, values.backendShape);
  const notes = backendNotes(values, preset);
  return (
    <div className="backend-fields">
      <div className="field">
        <label htmlFor={shapeId}>Backend shape</label>
        <select
          id={shapeId}
          value={values.backendShape}
          data-field="backendShape"
          aria-invalid={shapeError ? true : undefined}
          aria-describedby={shapeError ? `${shapeId}-error` : undefined}
          onChange={(event) => {
            const shape = BACKEND_SHAPES.find((option) => option === event.target.value);
            if (shape) onShape(shape);
          }}
        >
          {BACKEND_SHAPES.map((shape) => (
            <option key={shape} value={shape}>
              {BACKEND_SHAPE_FACTS[shape].label}
            </option>
          ))}
        </select>
        {shapeError && (
          <p id={`${shapeId}-error`} className="field-error">
            {shapeError}
          </p>
        )}
      </div>
      <TextField
        label="Backend URL"
        type="url"
        placeholder={
          values.backendShape === 'standard'
            ? 'https://api.example.com/oauth/exchange'
            : 'https://api.example.com'
        }
        autoComplete="off"
        spellCheck={false}
        hint={
          values.backendShape === 'standard'
            ? 'The URL that takes the token request itself.'
            : 'The backend’s base URL; the shape adds the paths.'
        }
        {...url}
      />
      {calls.length > 0 && (
        <div className="backend-calls" data-testid="backend-calls">
          <p className="field-label">Tokendesk will POST to</p>
          <ul>
            {calls.map((call) => (
              <li key={call.what}>
                {call.what}: <code className="selectable">{call.url}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <TextField
        label="Redirect URI"
        type="url"
        placeholder="https://app.example.com/oauth/callback"
        autoComplete="off"
        spellCheck={false}
        hint="The redirect URI the backend’s OAuth client registered with the provider, exactly."
        {...redirectUri}
      />
      <BackendCredentialField
        stored={storedCredential}
        change={values.backendCredential}
        onChange={onCredential}
        error={credentialError}
      />
      {notes.length > 0 && (
        <ul className="backend-notes" data-testid="backend-notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
};
