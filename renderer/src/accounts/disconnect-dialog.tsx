/**
 * Confirms a disconnect, then says what happened at the provider. It lives above the list, not in
 * the row: the row goes away as soon as main drops the account, and the outcome must stay.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { AccountView, RevocationOutcome } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { ConfirmActions, ModalDialog } from '../common/modal-dialog';
import { useToast } from '../common/toasts';
import { useMounted } from '../common/use-mounted';
import { revocationText } from './revocation-text';

type Phase =
  | { readonly kind: 'confirm' }
  | { readonly kind: 'working' }
  | { readonly kind: 'done'; readonly outcome: RevocationOutcome }
  | { readonly kind: 'failed'; readonly error: ApiError };

interface DisconnectDialogProps {
  readonly account: AccountView;
  readonly providerLabel: string;
  readonly onClose: () => void;
}

export const DisconnectDialog = ({ account, providerLabel, onClose }: DisconnectDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const mounted = useMounted();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // The button that had the focus is gone: the outcome's own button takes it.
    if (phase.kind === 'done') closeRef.current?.focus();
  }, [phase.kind]);
  const name = account.displayName;

  const confirm = async () => {
    if (phase.kind === 'working') return;
    setPhase({ kind: 'working' });
    const result = await settle(api.disconnect({ accountId: account.id }));
    if (mounted.current) {
      setPhase(
        result.ok
          ? { kind: 'done', outcome: result.value.revocation }
          : { kind: 'failed', error: result.error },
      );
    } else if (result.ok) {
      // Closed while waiting: the outcome still matters.
      toast(
        `Disconnected ${name}. ${revocationText(result.value.revocation, providerLabel, account.expiresAt)}`,
      );
    } else {
      toast(`${name} was not disconnected: ${result.error.message}`);
    }
  };

  if (phase.kind === 'done') {
    return (
      <ModalDialog title={`Disconnected ${name}`} onClose={onClose}>
        <p role="status">
          Tokendesk no longer holds this account.{' '}
          {revocationText(phase.outcome, providerLabel, account.expiresAt)}
        </p>
        <div className="modal-actions">
          <button ref={closeRef} type="button" className="button-primary" onClick={onClose}>
            Close
          </button>
        </div>
      </ModalDialog>
    );
  }

  return (
    <ModalDialog title={`Disconnect ${name}?`} onClose={onClose}>
      <p>
        Tokendesk forgets this account and asks {providerLabel} to revoke its tokens. To use it
        again, connect it again.
      </p>
      {phase.kind === 'failed' && (
        <ErrorAlert title={`${name} was not disconnected`} error={phase.error} />
      )}
      <ConfirmActions
        onCancel={onClose}
        onConfirm={() => void confirm()}
        confirmLabel="Disconnect"
        busy={phase.kind === 'working'}
      />
    </ModalDialog>
  );
};
