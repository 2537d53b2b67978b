/**
 * The provider form's "Client certificate (mTLS)" section, collapsed unless there is something to
 * see. The certificate and its private key are pasted or read from PEM files here and sent once
 * with the save; main reads the certificate and answers what the stored one says (subject,
 * issuer, expiry). The key is write-only, as the client secret is: the form never gets it back,
 * only whether one is held.
 */
import { useId, useState, type ChangeEvent } from 'react';
import type { ClientCertificateView } from '../../../shared/model';
import type { CertificateChange } from './provider-form-model';

interface ClientCertificateFieldProps {
  /** The stored certificate, described by main; absent when there is none. */
  readonly stored: ClientCertificateView | undefined;
  readonly change: CertificateChange;
  readonly onChange: (change: CertificateChange) => void;
  readonly certificateError?: string | undefined;
  readonly keyError?: string | undefined;
}

const day = (epochMs: number): string =>
  new Date(epochMs).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });

/** X509Certificate's `CN=…\nO=…` as one line. */
const oneLine = (name: string): string => name.split('\n').join(', ');

interface PemBoxProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint: string;
  readonly error: string | undefined;
  readonly field: 'clientCertificate' | 'clientPrivateKey';
  readonly placeholder: string;
}

/** A PEM text box with a file chooser that fills it (the file is read here, never uploaded). */
const PemBox = ({ label, value, onValue, hint, error, field, placeholder }: PemBoxProps) => {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // The same file chosen again must fire again.
    event.target.value = '';
    if (file) void file.text().then(onValue);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="pem-box"
        rows={4}
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        value={value}
        data-field={field}
        onChange={(event) => onValue(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={[error ? errorId : '', hintId].filter(Boolean).join(' ')}
      />
      <input
        type="file"
        className="pem-file"
        accept=".pem,.crt,.cer,.key,application/x-pem-file,text/plain"
        aria-label={`${label}: choose a PEM file`}
        onChange={choose}
      />
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <p id={hintId} className="field-hint">
        {hint}
      </p>
    </div>
  );
};

export const ClientCertificateField = ({
  stored,
  change,
  onChange,
  certificateError,
  keyError,
}: ClientCertificateFieldProps) => {
  const hasError = Boolean(certificateError ?? keyError);
  const [opened, setOpened] = useState(false);
  // A refused save holds it open, so the field named can take the focus.
  const open = opened || hasError;
  // When the form opened: whether the stored certificate has expired needs no ticking clock.
  const [shownAt] = useState(() => Date.now());

  const editing = change.kind === 'set';
  const summary = stored
    ? `Client certificate (mTLS): ${oneLine(stored.subject)}`
    : 'Client certificate (mTLS)';

  return (
    <details
      className="client-certificate"
      open={open}
      onToggle={(event) => setOpened(event.currentTarget.open)}
    >
      <summary>{summary}</summary>
      <p className="field-hint">
        For a provider whose token endpoint asks for a client certificate. Every request of this
        provider presents it. The private key is stored encrypted like the client secret and is
        never shown again.
      </p>

      {stored && !editing && (
        <div className="certificate-stored" role="group" aria-label="Stored client certificate">
          <dl>
            <dt>Subject</dt>
            <dd>{oneLine(stored.subject)}</dd>
            <dt>Issuer</dt>
            <dd>{oneLine(stored.issuer)}</dd>
            <dt>Expires</dt>
            <dd>
              {day(stored.validTo)}
              {stored.validTo <= shownAt ? ' (expired)' : ''}
            </dd>
            <dt>Private key</dt>
            <dd>
              {stored.hasPrivateKey
                ? 'stored'
                : 'not held in this session: choose it again (Replace)'}
            </dd>
          </dl>
          {change.kind === 'remove' ? (
            <div className="secret-stored">
              <span>The certificate and its key will be removed when you save.</span>
              <button type="button" onClick={() => onChange({ kind: 'keep' })}>
                Keep them
              </button>
            </div>
          ) : (
            <div className="secret-stored">
              <button
                type="button"
                aria-label="Replace client certificate"
                onClick={() => onChange({ kind: 'set', certificate: '', privateKey: '' })}
              >
                Replace
              </button>
              <button
                type="button"
                aria-label="Remove client certificate"
                onClick={() => onChange({ kind: 'remove' })}
              >
                Remove
              </button>
            </div>
          )}
        </div>
      )}

      {!stored && !editing && (
        <button
          type="button"
          onClick={() => onChange({ kind: 'set', certificate: '', privateKey: '' })}
        >
          Add a client certificate
        </button>
      )}

      {editing && (
        <>
          <PemBox
            label="Certificate (PEM)"
            field="clientCertificate"
            placeholder="-----BEGIN CERTIFICATE-----"
            value={change.certificate}
            onValue={(certificate) => onChange({ ...change, certificate })}
            error={certificateError}
            hint={
              stored
                ? 'The new certificate, then any intermediates; leave it empty to keep the stored one (to choose its key again).'
                : 'The certificate, then any intermediate certificates.'
            }
          />
          <PemBox
            label="Private key (PEM)"
            field="clientPrivateKey"
            placeholder="-----BEGIN PRIVATE KEY-----"
            value={change.privateKey}
            onValue={(privateKey) => onChange({ ...change, privateKey })}
            error={keyError}
            hint={
              stored?.hasPrivateKey
                ? 'Leave it empty to keep the stored key (a renewed certificate for the same key).'
                : 'Without a passphrase. Tokendesk checks that it is the certificate’s key.'
            }
          />
          <button type="button" className="button-quiet" onClick={() => onChange({ kind: 'keep' })}>
            {stored ? 'Keep the stored certificate' : 'No client certificate'}
          </button>
        </>
      )}
    </details>
  );
};
