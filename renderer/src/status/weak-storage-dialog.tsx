import { ConfirmActions, ModalDialog } from '../common/modal-dialog';

interface WeakStorageDialogProps {
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/** The opt-in to storing secrets with no real protection, with the risk spelled out first. */
export const WeakStorageDialog = ({ onConfirm, onClose }: WeakStorageDialogProps) => (
  <ModalDialog title="Store secrets on disk anyway?" onClose={onClose}>
    <p>
      This system has no keyring Tokendesk can use, so the secrets would be encrypted with a key
      built into Chromium that anyone can find.
    </p>
    <p>
      <strong>The risk:</strong> any program or person who can read your files — a backup, a synced
      folder, malware running as you — can take your refresh tokens and client secrets and use your
      accounts until you revoke them.
    </p>
    <p>In return, your accounts survive a restart without connecting them again.</p>
    <ConfirmActions onCancel={onClose} onConfirm={onConfirm} confirmLabel="Store on disk anyway" />
  </ModalDialog>
);
