import { ConfirmActions, ModalDialog } from '../common/modal-dialog';

interface WeakStorageDialogProps {
  /**
   * SecretsStatus.weakStorageAvailable: false where the system cannot encrypt at all, and
   * storing on disk anyway would change nothing (main's status changed since the banner offered it).
   */
  readonly available: boolean;
  readonly onConfirm: () => void;
  readonly onClose: () => void;
}

/**
 * The opt-in to storing secrets with no real protection, with the risk spelled out first. Main's
 * answer can change while it is open: each case is a dialog of its own (a key), which takes the
 * focus when it opens, rather than one dialog whose focused Cancel is swapped for a Close.
 */
export const WeakStorageDialog = ({ available, onConfirm, onClose }: WeakStorageDialogProps) =>
  available ? (
    <ModalDialog key="available" title="Store secrets on disk anyway?" onClose={onClose}>
      <p>
        This system has no keyring Tokendesk can use, so the secrets would be encrypted with a key
        built into Chromium that anyone can find.
      </p>
      <p>
        <strong>The risk:</strong> any program or person who can read your files — a backup, a
        synced folder, malware running as you — can take your refresh tokens and client secrets and
        use your accounts until you revoke them.
      </p>
      <p>In return, your accounts survive a restart without connecting them again.</p>
      <ConfirmActions
        onCancel={onClose}
        onConfirm={onConfirm}
        confirmLabel="Store on disk anyway"
      />
    </ModalDialog>
  ) : (
    <ModalDialog key="unavailable" title="Secrets cannot be stored on disk" onClose={onClose}>
      <p>
        This system cannot encrypt secrets at all, so Tokendesk keeps them in memory only:
        installing or unlocking a keyring (GNOME Keyring, KWallet) and restarting Tokendesk is the
        way to keep accounts across restarts.
      </p>
      <div className="modal-actions">
        <button type="button" className="button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </ModalDialog>
  );
