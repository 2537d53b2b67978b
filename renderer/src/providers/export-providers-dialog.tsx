/**
 * Export one provider's setup, or every one's, to share: main writes the file's text (settings
 * only, never a secret or an account), shown here read-only, to copy or save.
 *
 * How the text leaves the window, with the window's hardening as it is (main/shell/
 * hardened-window.ts refuses every permission): the Clipboard API asks for
 * `clipboard-sanitized-write` and is refused, so Copy selects the text and runs the editing copy
 * command, as the Edit menu's Copy does, which needs no permission. Save as file is a download of
 * the text: the app window's session has no download handler, so Electron asks where to save
 * it, as a browser does. Both were tried in real Electron with the same handlers.
 */
import { useEffect, useId, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProviderConfigView, ProviderExport } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ModalDialog } from '../common/modal-dialog';
import { setupFileName } from './provider-sharing-text';
import './provider-sharing.css';

interface ExportProvidersDialogProps {
  /** The provider to export; absent: every one. */
  readonly provider?: ProviderConfigView | undefined;
  readonly onClose: () => void;
}

type ExportState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly file: ProviderExport }
  | { readonly phase: 'failed'; readonly error: ApiError };

export const ExportProvidersDialog = ({ provider, onClose }: ExportProvidersDialogProps) => {
  const api = useApi();
  const textId = useId();
  const aboutId = useId();
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const [state, setState] = useState<ExportState>({ phase: 'loading' });
  const [note, setNote] = useState('');
  const providerId = provider?.id;

  useEffect(() => {
    let current = true;
    void settle(api.exportProviders(providerId ? { providerIds: [providerId] } : {})).then(
      (result) => {
        if (!current) return;
        setState(
          result.ok
            ? { phase: 'ready', file: result.value }
            : { phase: 'failed', error: result.error },
        );
      },
    );
    return () => {
      current = false;
    };
  }, [api, providerId]);

  const file = state.phase === 'ready' ? state.file : undefined;

  const copy = (button: HTMLButtonElement) => {
    const area = areaRef.current;
    if (!file || !area) return;
    area.focus();
    area.select();
    // Deprecated, yet the one copy the hardened window allows (see above).
    const copied = document.execCommand('copy');
    setNote(
      copied
        ? 'Copied to the clipboard.'
        : 'The text is selected: copy it with Ctrl+C (⌘C on a Mac).',
    );
    // Back to the button: the selection stays, and Copy can be pressed again.
    if (copied) button.focus();
  };

  const saveAsFile = () => {
    if (!file) return;
    const url = URL.createObjectURL(new Blob([file.json], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = setupFileName(provider);
    link.click();
    // The download has read the blob once it started; a minute is ample.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    setNote(`Choose where to save ${link.download}.`);
  };

  const what = provider ? provider.label : 'every provider';
  return (
    <ModalDialog
      title={provider ? `Export ${provider.label}` : 'Export providers'}
      onClose={onClose}
      wide
    >
      <p id={aboutId}>
        The setup of {what} to share: settings only, never a client secret or an account. Whoever
        imports it adds their own client secret where the provider needs one, and connects their own
        accounts.
      </p>
      {state.phase === 'loading' && <p className="muted">Preparing the export…</p>}
      {state.phase === 'failed' && <ErrorAlert title="Nothing was exported" error={state.error} />}
      {file && (
        <div className="field">
          <label htmlFor={textId}>
            {file.count === 1
              ? 'Setup of 1 provider (JSON)'
              : `Setup of ${file.count} providers (JSON)`}
          </label>
          <textarea
            ref={areaRef}
            id={textId}
            className="setup-text"
            readOnly
            rows={14}
            spellCheck={false}
            value={file.json}
            aria-describedby={aboutId}
          />
        </div>
      )}
      <p role="status" className="field-hint">
        {note}
      </p>
      <div className="modal-actions">
        <button
          type="button"
          data-autofocus=""
          aria-disabled={!file}
          onClick={(event) => copy(event.currentTarget)}
        >
          Copy
        </button>
        <button type="button" aria-disabled={!file} onClick={saveAsFile}>
          Save as file…
        </button>
        <button type="button" className="button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
};
