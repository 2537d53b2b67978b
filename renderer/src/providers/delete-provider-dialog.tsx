import { useId, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProviderConfigView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ConfirmActions, ModalDialog } from '../common/modal-dialog';
import { useToast } from '../common/toasts';
import { useMounted } from '../common/use-mounted';

interface DeleteProviderDialogProps {
  readonly provider: ProviderConfigView;
  readonly accountCount: number;
  readonly onClose: () => void;
  /** Also called when the answer comes after the dialog was closed: it then only reports it. */
  readonly onDeleted: (provider: ProviderConfigView) => void;
}

export const DeleteProviderDialog = ({
  provider,
  accountCount,
  onClose,
  onDeleted,
}: DeleteProviderDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const inUseId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  // Main refuses while accounts use it: Delete says so rather than ask.
  const inUse = accountCount > 0;

  const confirm = async () => {
    if (busy || inUse) return;
    setBusy(true);
    const result = await settle(api.deleteProvider({ providerId: provider.id }));
    if (result.ok) {
      onDeleted(provider);
      return;
    }
    if (!mounted.current) {
      toast(`${provider.label} was not deleted: ${result.error.message}`);
      return;
    }
    setBusy(false);
    // Accounts connected since the dialog opened: main's message says what to do.
    setError(result.error);
  };

  return (
    <ModalDialog title={`Delete ${provider.label}?`} onClose={onClose}>
      <p>
        Tokendesk forgets this configuration, its client ID and its client secret. The app
        registration at the provider stays as it is.
      </p>
      {inUse && (
        <p id={inUseId}>
          {accountCount === 1 ? 'One account uses' : `${accountCount} accounts use`} it: disconnect{' '}
          {accountCount === 1 ? 'it' : 'them'} first.
        </p>
      )}
      {error && <ErrorAlert title={`${provider.label} was not deleted`} error={error} />}
      <ConfirmActions
        onCancel={onClose}
        onConfirm={() => void confirm()}
        confirmLabel="Delete"
        busy={busy}
        unavailableReasonId={inUse ? inUseId : undefined}
      />
    </ModalDialog>
  );
};
