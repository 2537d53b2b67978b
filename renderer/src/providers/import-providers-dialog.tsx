/**
 * Import shared provider setups: a file (read here, with File.text(); main is not involved until
 * Import) or pasted text. Main checks it as the Add form is checked and saves all or nothing;
 * its refusals are listed by their place in the file. An ID in use is a question, not an
 * error: the dialog lists those providers, and "Replace N" imports again naming them.
 */
import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import { MAX_IMPORT_CHARS } from '../../../shared/import-limits';
import type { ProviderConfigView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { FormActions, ModalDialog } from '../common/modal-dialog';
import { useToast } from '../common/toasts';
import { useMounted } from '../common/use-mounted';
import { problemPlace } from './provider-sharing-text';
import './provider-sharing.css';

interface ImportProvidersDialogProps {
  /** The providers configured now: their labels name the conflicts. */
  readonly providers: readonly ProviderConfigView[];
  readonly onClose: () => void;
  /** Also called when the answer comes after the dialog was closed: it then only reports it. */
  readonly onImported: (imported: readonly ProviderConfigView[]) => void;
}

/**
 * A file's bytes are at least its characters, and at most four times as many (UTF-8): a file
 * above this could never fit main's limit, and is not read into the window at all.
 */
const MAX_FILE_BYTES = MAX_IMPORT_CHARS * 4;

const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** A refused import: each problem at its place in the file, or main's message. */
const ImportProblems = ({ id, error }: { readonly id: string; readonly error: ApiError }) => {
  const details = error.validationDetail ?? [];
  if (details.length === 0)
    return (
      <div id={id}>
        <ErrorAlert title="Nothing was imported" error={error} />
      </div>
    );
  return (
    <div id={id} className="error-alert" role="alert">
      <div className="error-alert-body">
        <p className="error-alert-title">Nothing was imported</p>
        <p className="error-alert-message">
          {details.length === 1 ? 'The setup has a problem:' : 'The setup has these problems:'}
        </p>
        <ul className="import-problems">
          {details.map((detail, index) => (
            <li key={index}>
              <code>{problemPlace(detail)}</code>: {sentence(detail.reason)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
};

const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MB`
    : `${Math.ceil(bytes / 1024)} KB`;

export const ImportProvidersDialog = ({
  providers,
  onClose,
  onImported,
}: ImportProvidersDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const fileId = useId();
  const textId = useId();
  const hintId = useId();
  const problemsId = useId();
  const bodyRef = useRef<HTMLDivElement>(null);
  const [text, setText] = useState('');
  const [fileNote, setFileNote] = useState('');
  const [error, setError] = useState<ApiError>();
  /** What the window itself refuses (no text, a file far too big), before asking main. */
  const [problem, setProblem] = useState('');
  const [conflicts, setConflicts] = useState<readonly string[]>();
  const [busy, setBusy] = useState(false);

  // Each step's first control takes the focus: the confirm's Back, or the form's first field.
  useEffect(() => {
    bodyRef.current?.querySelector<HTMLElement>('[data-step-focus]')?.focus();
  }, [conflicts]);

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    if (!chosen) return;
    setError(undefined);
    setProblem('');
    setFileNote('');
    if (chosen.size > MAX_FILE_BYTES) {
      setProblem(
        `${chosen.name} is ${sizeText(chosen.size)}: a provider setup file is at most ${sizeText(MAX_IMPORT_CHARS)}. Choose the file Tokendesk exported.`,
      );
      return;
    }
    let content: string;
    try {
      content = await chosen.text();
    } catch {
      if (mounted.current) setProblem(`${chosen.name} could not be read.`);
      return;
    }
    if (!mounted.current) return;
    setText(content);
    setFileNote(`Read ${chosen.name}: check it below, then import.`);
  };

  const importSetup = async (replace?: readonly string[]) => {
    if (busy) return;
    if (text.trim() === '') {
      setProblem('Choose a setup file, or paste a setup, first.');
      return;
    }
    setBusy(true);
    setError(undefined);
    setProblem('');
    const result = await settle(
      api.importProviders({ text, ...(replace ? { replace: [...replace] } : {}) }),
    );
    if (result.ok && result.value.conflicts.length === 0) {
      onImported(result.value.imported);
      return;
    }
    if (!mounted.current) {
      toast(
        result.ok
          ? 'Nothing was imported: some providers exist already. Import again to replace them.'
          : `Nothing was imported: ${result.error.message}`,
      );
      return;
    }
    setBusy(false);
    if (result.ok) {
      setConflicts(result.value.conflicts);
    } else {
      setConflicts(undefined);
      setError(result.error);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void importSetup();
  };

  if (conflicts) {
    const count = conflicts.length;
    const labelOf = (id: string) => providers.find((provider) => provider.id === id)?.label;
    return (
      <ModalDialog
        title={count === 1 ? 'Replace a provider?' : `Replace ${count} providers?`}
        onClose={onClose}
      >
        <div ref={bodyRef}>
          <p>
            {count === 1
              ? 'The setup has a provider whose ID is in use here:'
              : `The setup has ${count} providers whose IDs are in use here:`}
          </p>
          <ul className="import-conflicts">
            {conflicts.map((id) => (
              <li key={id}>
                {labelOf(id) ?? id} <code>{id}</code>
              </li>
            ))}
          </ul>
          <p>
            Replacing gives {count === 1 ? 'it' : 'them'} the file’s settings. Connected accounts
            stay, so a provider with accounts cannot be pointed at another client ID or server: then
            nothing is imported. A stored client secret stays unless the provider moves to another
            client or server.
          </p>
          <div className="modal-actions">
            <button type="button" data-step-focus="" onClick={() => setConflicts(undefined)}>
              Back
            </button>
            <button
              type="button"
              className="button-danger"
              aria-disabled={busy}
              onClick={() => void importSetup(conflicts)}
            >
              {`Replace ${count}`}
            </button>
          </div>
        </div>
      </ModalDialog>
    );
  }

  const invalid = error !== undefined || problem !== '';
  return (
    <ModalDialog title="Import providers" onClose={onClose} wide>
      <div ref={bodyRef}>
        <form className="import-form" noValidate onSubmit={submit}>
          <p id={hintId}>
            A provider setup someone exported from Tokendesk: settings only, no secrets and no
            accounts. Choose its file, or paste its text.
          </p>
          <div className="field">
            <label htmlFor={fileId}>Setup file</label>
            <input
              id={fileId}
              type="file"
              accept=".json,application/json"
              data-step-focus=""
              onChange={(event) => void chooseFile(event)}
            />
            <p className="field-hint" role="status">
              {fileNote}
            </p>
          </div>
          <div className="field">
            <label htmlFor={textId}>Setup (JSON)</label>
            <textarea
              id={textId}
              className="setup-text"
              rows={12}
              spellCheck={false}
              value={text}
              placeholder='{ "tokendesk": "providers", "version": 1, "providers": [ … ] }'
              aria-invalid={invalid ? true : undefined}
              aria-describedby={invalid ? `${problemsId} ${hintId}` : hintId}
              onChange={(event) => {
                setText(event.target.value);
                setFileNote('');
                setError(undefined);
                setProblem('');
              }}
            />
          </div>
          {error && <ImportProblems id={problemsId} error={error} />}
          {problem && (
            <p id={problemsId} className="field-error" role="alert">
              {problem}
            </p>
          )}
          <FormActions onCancel={onClose} submitLabel="Import" busy={busy} />
        </form>
      </div>
    </ModalDialog>
  );
};
