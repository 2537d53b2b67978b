/**
 * A modal on the native <dialog>: showModal() makes the rest of the window inert (the focus trap),
 * Escape closes it, and focus goes back to what opened it — or, when that is gone (the row of a
 * disconnected account), to the nearest `data-focus-fallback` element.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { focusBack } from './focus-back';
import './modal-dialog.css';

interface ModalDialogProps {
  /** The visible heading, and the dialog's accessible name. */
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
  readonly wide?: boolean;
}

const FOCUSABLE =
  'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export const ModalDialog = ({ title, onClose, children, wide = false }: ModalDialogProps) => {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();

    // Escape fires `cancel`; the parent decides whether the dialog goes away.
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    // Chromium closes without `cancel` on a second Escape with no user activation in between.
    const onNativeClose = () => onCloseRef.current();
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onNativeClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onNativeClose);
      if (dialog.open) dialog.close();
      focusBack(opener);
    };
  }, []);

  return (
    <dialog ref={ref} className={wide ? 'modal modal-wide' : 'modal'} aria-labelledby={titleId}>
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
};

interface ConfirmActionsProps {
  readonly onCancel: () => void;
  readonly onConfirm: () => void;
  /** The confirming button's text: what will happen ("Disconnect", "Delete"). */
  readonly confirmLabel: string;
  /** While main works: the button stays focusable (not `disabled`, which would drop the focus
   * out of the dialog) but says it is busy. */
  readonly busy?: boolean;
  /**
   * The ID of the text saying why confirming is not possible now ("disconnect its accounts
   * first"): the button stays focusable, so that a keyboard or screen reader user finds it and
   * hears why, but is marked unavailable and does nothing.
   */
  readonly unavailableReasonId?: string | undefined;
}

/**
 * The footer of a dialog that asks before something destructive: Cancel first and focused, so
 * Enter on opening never confirms, then the danger button.
 */
export const ConfirmActions = ({
  onCancel,
  onConfirm,
  confirmLabel,
  busy = false,
  unavailableReasonId,
}: ConfirmActionsProps) => {
  const unavailable = unavailableReasonId !== undefined;
  return (
    <div className="modal-actions">
      <button type="button" onClick={onCancel} data-autofocus="">
        Cancel
      </button>
      <button
        type="button"
        className="button-danger"
        aria-disabled={busy || unavailable}
        aria-describedby={unavailableReasonId}
        onClick={unavailable ? undefined : onConfirm}
      >
        {confirmLabel}
      </button>
    </div>
  );
};

interface FormActionsProps {
  readonly onCancel: () => void;
  /** The submit button's text ("Save provider"). */
  readonly submitLabel: string;
  /** While main saves: focusable, but marked busy (see ConfirmActions). */
  readonly busy: boolean;
}

/** The footer of a dialog's form: Cancel, then the primary submit button. */
export const FormActions = ({ onCancel, submitLabel, busy }: FormActionsProps) => (
  <div className="modal-actions">
    <button type="button" onClick={onCancel}>
      Cancel
    </button>
    <button type="submit" className="button-primary" aria-disabled={busy}>
      {submitLabel}
    </button>
  </div>
);
