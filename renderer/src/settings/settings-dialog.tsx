import { useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { SettingsView } from '../../../shared/model';
import { CommandLineSection } from '../command-line/command-line-section';
import type { CommandLineState } from '../command-line/use-command-line';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { placeErrors, type DescribeProblem } from '../common/field-errors';
import { FormActions, ModalDialog } from '../common/modal-dialog';
import { TextField } from '../common/text-field';
import { useToast } from '../common/toasts';
import { useFocusFirstInvalid } from '../common/use-focus-first-invalid';
import { useMounted } from '../common/use-mounted';

type SettingsField = 'clipboardClearSeconds' | 'persistWeakSecrets';

interface SettingsDialogProps {
  readonly settings: SettingsView;
  /**
   * SecretsStatus.weakStorageAvailable: false where the system cannot encrypt at all, and
   * "store on disk anyway" would change nothing.
   */
  readonly weakStorageAvailable: boolean;
  readonly onClose: () => void;
  /** Also called when the answer comes after the dialog was closed: it then only reports it. */
  readonly onSaved: (settings: SettingsView) => void;
  /**
   * A setting saved at once, without closing (the command-line switch): main's settings now.
   * Also called when the answer comes after the dialog was closed.
   */
  readonly onSettingChanged: (settings: SettingsView) => void;
  /** The command line's approvals and log, for its section. */
  readonly commandLine: CommandLineState;
}

/**
 * LIMITS.clipboardClearSeconds of shared/ipc-contract.ts, which main enforces. Importing the value
 * would bundle zod into the renderer (its schemas are built at module load, so nothing shakes
 * them out); tests/unit/renderer checks the two agree.
 */
export const CLIPBOARD_CLEAR_SECONDS = { min: 5, max: 3600 } as const;
const { min, max } = CLIPBOARD_CLEAR_SECONDS;

const WHOLE_SECONDS = `Whole seconds, from ${min} to ${max}.`;

/**
 * Main's words for the delay are the schema's ("must be int, not number" for 7.5): said as the
 * rule instead. Its "must be at most 3600" is plain enough and stays.
 */
const describeProblem: DescribeProblem<SettingsField> = (field, detail, leftEmpty) => {
  if (field !== 'clipboardClearSeconds') return undefined;
  if (leftEmpty) return `Required: whole seconds, from ${min} to ${max}.`;
  return detail.expression === 'min' || detail.expression === 'max' ? undefined : WHOLE_SECONDS;
};

export const SettingsDialog = ({
  settings,
  weakStorageAvailable,
  onClose,
  onSaved,
  onSettingChanged,
  commandLine,
}: SettingsDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const clearId = useId();
  const weakId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [clear, setClear] = useState(settings.clipboardClearSeconds !== null);
  // Turned back on, it offers main's default delay (DEFAULT_CLIPBOARD_CLEAR_SECONDS, 90 s).
  const [seconds, setSeconds] = useState(String(settings.clipboardClearSeconds ?? 90));
  const [persistWeak, setPersistWeak] = useState(settings.persistWeakSecrets);
  const [errors, setErrors] = useState<Partial<Record<SettingsField, string>>>({});
  const [formError, setFormError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);
  // Nothing to choose where the system cannot encrypt; shown still if it was chosen, to undo it.
  const offerWeak = weakStorageAvailable || settings.persistWeakSecrets;

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
    if (result.ok) {
      onSaved(result.value);
      return;
    }
    if (!mounted.current) {
      toast(`The settings were not saved: ${result.error.message}`);
      return;
    }
    setSaving(false);
    const placed = placeErrors(
      result.error.validationDetail ?? [],
      (path) =>
        path === 'clipboardClearSeconds' || path === 'persistWeakSecrets' ? path : undefined,
      (field) => field === 'clipboardClearSeconds' && seconds.trim() === '',
      describeProblem,
    );
    setErrors(placed.fields);
    setFormError(
      placed.unplaced.length > 0 || !result.error.validationDetail ? result.error : undefined,
    );
    focusFirstInvalid();
  };

  return (
    // Wide for the command line's log.
    <ModalDialog title="Settings" onClose={onClose} wide>
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
          {offerWeak && (
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
          )}
          {weakStorageAvailable ? (
            <p id={`${weakId}-hint`} className="field-hint">
              Matters only where the system offers no real protection (Linux without GNOME Keyring
              or KWallet). Off: secrets stay in memory and accounts need connecting again after a
              restart. On: anyone who can read your files can use your accounts.
            </p>
          ) : (
            <p id={`${weakId}-hint`} className="field-hint">
              This system cannot encrypt secrets at all, so they are kept in memory only and storing
              them on disk is not possible: accounts need connecting again after a restart until a
              keyring (GNOME Keyring, KWallet) is installed or unlocked.
            </p>
          )}
          {errors.persistWeakSecrets && <p className="field-error">{errors.persistWeakSecrets}</p>}
        </fieldset>
        {/* Saved at once, not by Save settings: the submit does not send it (see the section). */}
        <CommandLineSection
          access={settings.commandLineAccess}
          onSettings={onSettingChanged}
          commandLine={commandLine}
        />
        {formError && <ErrorAlert title="The settings were not saved" error={formError} />}
        <FormActions onCancel={onClose} submitLabel="Save settings" busy={saving} />
      </form>
    </ModalDialog>
  );
};
