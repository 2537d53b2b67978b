import type { SecretsStatus } from '../../../shared/model';
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
      {/* Main's own advice first: it knows the details of this machine. */}
      {secrets.advice && <p>{secrets.advice}</p>}
      <p>{warning.meaning}</p>
      <p>{warning.remedy}</p>
      {warning.offer === 'opt-in' && (
        <button type="button" onClick={onOptIn}>
          Store on disk anyway…
        </button>
      )}
      {warning.offer === 'opt-out' && (
        <button type="button" onClick={onOptOut}>
          Keep secrets in memory only
        </button>
      )}
    </section>
  );
};
