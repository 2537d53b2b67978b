import type { SecretsStatus } from '../../../shared/model';
import { focusBackOnRemoval } from '../common/focus-back';
import { secretsWarning, shouldWarn } from './secrets-text';

interface SecretsBannerProps {
  readonly secrets: SecretsStatus;
  readonly onOptIn: () => void;
  readonly onOptOut: () => void;
}

export const SecretsBanner = ({ secrets, onOptIn, onOptOut }: SecretsBannerProps) => {
  if (!shouldWarn(secrets)) return null;
  const warning = secretsWarning(secrets);
  return (
    <section className="banner banner-warning" aria-label="Secrets warning">
      <h2 className="banner-title">{warning.title}</h2>
      <p>{warning.message}</p>
      {/* One button for either offer: after the choice, the status is read again and the offer
          turns into the other one; the same element, with the focus still on it, says so. If
          it then offers nothing (the choice changed nothing), the focus goes to the fallback. */}
      {warning.offer && (
        <button
          type="button"
          ref={focusBackOnRemoval}
          onClick={warning.offer === 'opt-in' ? onOptIn : onOptOut}
        >
          {warning.offer === 'opt-in' ? 'Store on disk anyway…' : 'Keep secrets in memory only'}
        </button>
      )}
    </section>
  );
};
