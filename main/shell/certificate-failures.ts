/**
 * Which certificate a TLS failure was about. Electron's net.fetch rejects with a bare
 * `net::ERR_CERT_AUTHORITY_INVALID`; the user needs to know which certificate their machine
 * refused (a company CA missing from the system store, a proxy that re-signs traffic). The
 * session's verify step sees the certificate: it is recorded by host and Chromium's own verdict
 * is kept unchanged (callback(-3)), so nothing about what is trusted changes.
 */
import type { Session } from 'electron';
import type { FailedCertificate } from '../core/http/network-failure';

/** Hosts remembered at most: a failure is asked about right after it happens. */
const REMEMBERED = 32;

export interface CertificateFailures {
  /** The certificate of the last failed verification for `hostname`, if any. */
  about(hostname: string): FailedCertificate | undefined;
}

export const watchCertificateFailures = (session: Session): CertificateFailures => {
  const failures = new Map<string, FailedCertificate>();
  session.setCertificateVerifyProc((request, callback) => {
    failures.delete(request.hostname);
    if (request.errorCode !== 0) {
      failures.set(request.hostname, {
        subject: request.certificate.subjectName,
        issuer: request.certificate.issuerName,
      });
      if (failures.size > REMEMBERED) failures.delete(failures.keys().next().value!);
    }
    // -3: "use Chromium's own verification result" (the security lint holds it to that).
    callback(-3);
  });
  return { about: (hostname) => failures.get(hostname) };
};
