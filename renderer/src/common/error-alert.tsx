import type { ApiError } from '../../../shared/errors';
import './error-alert.css';

interface ErrorAlertProps {
  /** What failed, in the user's terms ("Could not connect Local IdP"). */
  readonly title?: string;
  readonly error: ApiError;
  readonly onDismiss?: () => void;
  /** Names the Dismiss button for screen readers when several alerts can be on screen. */
  readonly dismissLabel?: string;
}

/** An error in plain words: the message (which carries the provider's own description), and the technical notes on demand. */
export const ErrorAlert = ({ title, error, onDismiss, dismissLabel }: ErrorAlertProps) => (
  <div className="error-alert" role="alert">
    <div className="error-alert-body">
      {title && <p className="error-alert-title">{title}</p>}
      <p className="error-alert-message">{error.message}</p>
      <details className="error-alert-details">
        <summary>Details</summary>
        <ul>
          {(error.traces ?? []).map((trace, index) => (
            <li key={index}>
              <code>{trace}</code>
            </li>
          ))}
          <li>
            Error code: <code>{`${error.group}/${error.code}`}</code>
          </li>
        </ul>
      </details>
    </div>
    {onDismiss && (
      <button
        type="button"
        className="button-quiet"
        onClick={onDismiss}
        aria-label={dismissLabel ?? 'Dismiss'}
      >
        Dismiss
      </button>
    )}
  </div>
);
