/**
 * Providers' client certificates (mTLS): what a save does with the certificate and its key
 * (checked to belong together and not expired), the certificate as the form shows it, and the
 * fetch every request of such a provider goes through (undici on Node's TLS: Electron's network
 * stack cannot present a certificate), one per provider, closed when its configuration changes.
 */
import type { ParsedInput } from '../../../shared/ipc-contract';
import type { ClientCertificateView } from '../../../shared/model';
import { CoreFailure } from '../core-failure';
import type { ClientCertificate, ClientCertificateFetch } from '../http/client-certificate-fetch';
import type { Repository } from '../storage/repository';
import type { StoredProviderConfig } from '../storage/store-schema';
import {
  certificateProblems,
  describeCertificate,
  expiresAt,
  readChain,
} from './client-certificate';
import { ConfigRejected } from './config-rejected';

export class ClientCertificates {
  /** The mTLS fetch (its connections) of each provider with a client certificate, once used. */
  private readonly certificateFetches = new Map<string, ClientCertificateFetch>();
  /** Stored certificates as the form shows them, by PEM text: read once, not at every listing. */
  private readonly certificateViews = new Map<
    string,
    Omit<ClientCertificateView, 'hasPrivateKey'> | undefined
  >();

  constructor(
    private readonly repo: Repository,
    private readonly now: () => number,
    private readonly createFetch: (credentials: ClientCertificate) => ClientCertificateFetch,
  ) {}

  view(config: StoredProviderConfig): {
    clientCertificate?: ClientCertificateView;
  } {
    const pem = config.clientCertificate;
    if (pem === undefined) return {};
    if (!this.certificateViews.has(pem)) {
      if (this.certificateViews.size > 200) this.certificateViews.clear();
      this.certificateViews.set(pem, describeCertificate(pem, false));
    }
    const described = this.certificateViews.get(pem);
    return described === undefined
      ? {}
      : {
          clientCertificate: {
            ...described,
            hasPrivateKey: this.repo.hasClientPrivateKey(config.id),
          },
        };
  }

  /**
   * The client certificate a save stores, and what happens to its private key: a new PEM chain
   * replaces it, `null` removes it and its key, absent keeps both. A key needs a certificate.
   */
  change(
    input: ParsedInput<'saveProvider'>,
    existing: StoredProviderConfig | undefined,
  ): { stored: { clientCertificate?: string }; privateKey: string | null | undefined } {
    if (input.clientCertificate === null) {
      if (input.clientPrivateKey !== undefined) {
        throw new ConfigRejected([
          {
            field: 'clientPrivateKey',
            expression: 'rule',
            reason:
              'a private key is saved only with its client certificate, which is being removed',
          },
        ]);
      }
      return { stored: {}, privateKey: null };
    }
    const certificate = input.clientCertificate ?? existing?.clientCertificate;
    if (certificate === undefined && input.clientPrivateKey !== undefined) {
      throw new ConfigRejected([
        {
          field: 'clientCertificate',
          expression: 'required',
          reason: 'a private key was given without its client certificate',
        },
      ]);
    }
    return {
      stored: certificate !== undefined ? { clientCertificate: certificate } : {},
      privateKey: input.clientPrivateKey,
    };
  }

  /**
   * When a save changes the client certificate or its key: the two must belong together and the
   * certificate must not have expired (checked with the stored key or certificate when only one
   * of them is new).
   */
  async check(input: ParsedInput<'saveProvider'>, config: StoredProviderConfig): Promise<void> {
    if (typeof input.clientCertificate !== 'string' && input.clientPrivateKey === undefined) return;
    const certificate = config.clientCertificate;
    if (certificate === undefined) return;
    const privateKey =
      input.clientPrivateKey ??
      (await this.repo.clientPrivateKey(config.id).catch(() => undefined));
    const problems = certificateProblems(certificate, privateKey, this.now());
    if (problems.length > 0) throw new ConfigRejected(problems);
  }

  /**
   * The fetch every request of a provider with a client certificate goes through (undici on
   * Node's TLS: Electron's network stack cannot present the certificate); undefined for the
   * others, which use the core's fetch.
   */
  async fetchFor(config: StoredProviderConfig) {
    const certificate = config.clientCertificate;
    if (certificate === undefined) return undefined;
    const cached = this.certificateFetches.get(config.id);
    if (cached) return cached.fetch;
    const privateKey = await this.repo.clientPrivateKey(config.id);
    // Without it the server would refuse the handshake — for a connect, after the sign-in.
    if (privateKey === undefined) {
      throw new CoreFailure(
        'clientCertificateInvalid',
        `Tokendesk has no private key for the client certificate of ${config.label} (without a keyring secrets are kept in memory only, and are gone after a restart). Choose it again (Edit ${config.label}, Client certificate), then connect.`,
      );
    }
    let leafExpiry: number;
    try {
      const leaf = readChain(certificate)[0];
      leafExpiry = leaf === undefined ? Number.NaN : expiresAt(leaf);
    } catch (error) {
      throw new CoreFailure(
        'clientCertificateInvalid',
        `The client certificate stored for ${config.label} cannot be read: add it again (Edit ${config.label}, Client certificate).`,
        { cause: error },
      );
    }
    if (!(leafExpiry > this.now())) {
      throw new CoreFailure(
        'clientCertificateInvalid',
        `The client certificate of ${config.label} expired on ${new Date(leafExpiry).toISOString()}: add a new one (Edit ${config.label}, Client certificate).`,
      );
    }
    // Checked again after the await: a save meanwhile released the old one, and owns the next.
    const again = this.certificateFetches.get(config.id);
    if (again) return again.fetch;
    const handle = this.createFetch({
      certificate,
      privateKey,
    });
    this.certificateFetches.set(config.id, handle);
    return handle.fetch;
  }

  release(providerId: string): void {
    const handle = this.certificateFetches.get(providerId);
    if (handle === undefined) return;
    this.certificateFetches.delete(providerId);
    void handle.close();
  }

  /** Closes every provider's mTLS connections (the app quits). */
  closeAll(): void {
    for (const id of [...this.certificateFetches.keys()]) this.release(id);
  }
}
