import { useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProviderConfigView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ConfirmActions, ModalDialog } from '../common/modal-dialog';

interface DeleteProviderDialogProps {
  readonly provider: ProviderConfigView;
  readonly accountCount: number;
  readonly onClose: () => void;
  readonly onDeleted: (provider: ProviderConfigView) => void;
}

export const DeleteProviderDialog = ({
  provider,
  accountCount,
  onClose,
  onDeleted,
}: DeleteProviderDialogProps) => {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const confirm = async () => {
    if (busy) return;
    setBusy(true);
    const result = await settle(api.deleteProvider({ providerId: provider.id }));
    setBusy(false);
    // Main refuses while accounts exist; its message says what to do.
    if (result.ok) onDeleted(provider);
    else setError(result.error);
  };

  return (
    <ModalDialog title={`Delete ${provider.label}?`} onClose={onClose}>
      <p>
        Tokendesk forgets this configuration, its client ID and its client secret. The app
        registration at the provider stays as it is.
      </p>
      {accountCount > 0 && (
        <p>
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
      />
    </ModalDialog>
  );
};
