import { useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { SettingsView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { placeErrors } from '../common/field-errors';
import { FormActions, ModalDialog } from '../common/modal-dialog';
import { TextField } from '../common/text-field';
import { useFocusFirstInvalid } from '../common/use-focus-first-invalid';

type SettingsField = 'clipboardClearSeconds' | 'persistWeakSecrets';

interface SettingsDialogProps {
  readonly settings: SettingsView;
  readonly onClose: () => void;
  readonly onSaved: (settings: SettingsView) => void;
}

/**
 * LIMITS.clipboardClearSeconds of shared/ipc-contract.ts, which main enforces. Importing the value
 * would bundle zod into the renderer (its schemas are built at module load, so nothing shakes
 * them out); tests/unit/renderer checks the two agree.
 */
export const CLIPBOARD_CLEAR_SECONDS = { min: 5, max: 3600 } as const;
const { min, max } = CLIPBOARD_CLEAR_SECONDS;

export const SettingsDialog = ({ settings, onClose, onSaved }: SettingsDialogProps) => {
  const api = useApi();
  const clearId = useId();
  const weakId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [clear, setClear] = useState(settings.clipboardClearSeconds !== null);
  const [seconds, setSeconds] = useState(String(settings.clipboardClearSeconds ?? 30));
  const [persistWeak, setPersistWeak] = useState(settings.persistWeakSecrets);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const [formError, setFormError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    const result = await settle(
      api.saveSettings({
        clipboardClearSeconds: clear ? Number(seconds.trim() || Number.NaN) : null,
        persistWeakSecrets: persistWeak,
      }),
    );
    setSaving(false);
    if (result.ok) {
      onSaved(result.value);
      return;
    }
    const placed = placeErrors(
      result.error.validationDetail ?? [],
      (path) =>
        path === 'clipboardClearSeconds' || path === 'persistWeakSecrets' ? path : undefined,
      (field) => field === 'clipboardClearSeconds' && seconds.trim() === '',
    );
    setErrors(placed.fields);
    setFormError(
      placed.unplaced.length > 0 || !result.error.validationDetail ? result.error : undefined,
    );
    focusFirstInvalid();
  };

  return (
    <ModalDialog title="Settings" onClose={onClose}>
      <form ref={formRef} className="settings-form" noValidate onSubmit={(e) => void submit(e)}>
        <fieldset className="field">
          <legend>Clipboard</legend>
          <div className="check-option">
            <input
              id={clearId}
              type="checkbox"
              checked={clear}
              onChange={(event) => setClear(event.target.checked)}
              data-autofocus=""
            />
            <label htmlFor={clearId}>Clear the clipboard after copying a token</label>
          </div>
          {clear && (
            <TextField
              label="Seconds until it is cleared"
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              value={seconds}
              onValue={(value) => {
                setSeconds(value);
                setErrors((previous) => ({ ...previous, clipboardClearSeconds: undefined }));
              }}
              error={errors.clipboardClearSeconds}
              hint={`From ${min} to ${max}. Tokendesk clears it only if it still holds what was copied.`}
            />
          )}
        </fieldset>
        <fieldset className="field">
          <legend>Secrets</legend>
          <div className="check-option">
            <input
              id={weakId}
              type="checkbox"
              checked={persistWeak}
              onChange={(event) => setPersistWeak(event.target.checked)}
              aria-describedby={`${weakId}-hint`}
              aria-invalid={errors.persistWeakSecrets ? true : undefined}
            />
            <label htmlFor={weakId}>Store secrets on disk even without a keyring</label>
          </div>
          <p id={`${weakId}-hint`} className="field-hint">
            Matters only where the system offers no real protection (Linux without GNOME Keyring or
            KWallet). Off: secrets stay in memory and accounts need connecting again after a
            restart. On: anyone who can read your files can use your accounts.
          </p>
          {errors.persistWeakSecrets && <p className="field-error">{errors.persistWeakSecrets}</p>}
        </fieldset>
        {formError && <ErrorAlert title="The settings were not saved" error={formError} />}
        <FormActions onCancel={onClose} submitLabel="Save settings" busy={saving} />
      </form>
    </ModalDialog>
  );
};
