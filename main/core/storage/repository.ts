/**
 * Reads and writes providers, accounts and their secrets. Keeps the validated document in memory
 * and writes each change as one store write (one atomic file replace), so metadata and secrets
 * never drift apart. A failed write leaves memory as it was: nothing half-saved, nothing lost.
 */
import type { KeyValueStore, Logger, SecretBox } from '../ports';
import { OAuthFailure } from '../oauth/oauth-failure';
import type { StoreDocument, StoredAccount, StoredProviderConfig } from './store-schema';

export interface AccountSecrets {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
}

export interface SecretPolicy {
  /** False: secrets live in memory only and are gone when the app quits (no safe storage). */
  readonly persist: boolean;
  /** A label for what protects them (e.g. safeStorage's backend), recorded in the store. */
  readonly protection: string;
}

const accountKey = (id: string) => `account:${id}`;
const clientKey = (providerId: string) => `client:${providerId}`;

export class Repository {
  private doc: StoreDocument;
  /** Decrypted secrets, so a hot path (copy, refresh) does not decrypt every time. */
  private readonly plain = new Map<string, string>();

  constructor(
    private readonly kv: KeyValueStore,
    document: StoreDocument,
    private readonly box: SecretBox,
    readonly policy: SecretPolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = document;
  }

  /** What protected the stored secrets when they were written, if the store says. */
  get recordedProtection(): string | undefined {
    return this.doc.secretProtection;
  }

  providers(): StoredProviderConfig[] {
    return Object.values(this.doc.providers);
  }

  provider(id: string): StoredProviderConfig | undefined {
    return Object.hasOwn(this.doc.providers, id) ? this.doc.providers[id] : undefined;
  }

  accounts(): StoredAccount[] {
    return Object.values(this.doc.accounts);
  }

  account(id: string): StoredAccount | undefined {
    return Object.hasOwn(this.doc.accounts, id) ? this.doc.accounts[id] : undefined;
  }

  async saveProvider(
    config: StoredProviderConfig,
    secret: string | null | undefined,
  ): Promise<void> {
    const secrets = { ...this.doc.secrets };
    const plainUpdate = new Map<string, string | null>();
    if (secret === null) {
      delete secrets[clientKey(config.id)];
      plainUpdate.set(clientKey(config.id), null);
    } else if (secret !== undefined) {
      if (this.policy.persist) secrets[clientKey(config.id)] = await this.box.encrypt(secret);
      plainUpdate.set(clientKey(config.id), secret);
    }
    this.write({ providers: { ...this.doc.providers, [config.id]: config }, secrets }, plainUpdate);
  }

  deleteProvider(id: string): void {
    const providers = { ...this.doc.providers };
    delete providers[id];
    const secrets = { ...this.doc.secrets };
    delete secrets[clientKey(id)];
    this.write({ providers, secrets }, new Map([[clientKey(id), null]]));
  }

  /** Saves an account; `secrets` replaces the stored ones when given. */
  async saveAccount(
    account: StoredAccount,
    secrets?: AccountSecrets,
    options: { readonly keepInMemoryOnFailure?: boolean } = {},
  ): Promise<void> {
    const nextSecrets = { ...this.doc.secrets };
    const plainUpdate = new Map<string, string | null>();
    if (secrets) {
      const serialized = JSON.stringify(secrets);
      if (this.policy.persist)
        nextSecrets[accountKey(account.id)] = await this.box.encrypt(serialized);
      plainUpdate.set(accountKey(account.id), serialized);
    }
    this.write(
      {
        accounts: { ...this.doc.accounts, [account.id]: account },
        ...(secrets ? { secrets: nextSecrets } : {}),
      },
      plainUpdate,
      options.keepInMemoryOnFailure === true,
    );
  }

  deleteAccount(id: string): void {
    const accounts = { ...this.doc.accounts };
    delete accounts[id];
    const secrets = { ...this.doc.secrets };
    delete secrets[accountKey(id)];
    this.write({ accounts, secrets }, new Map([[accountKey(id), null]]));
  }

  async accountSecrets(id: string): Promise<AccountSecrets | undefined> {
    const serialized = await this.readSecret(accountKey(id));
    if (serialized === undefined) return undefined;
    return JSON.parse(serialized) as AccountSecrets;
  }

  clientSecret(providerId: string): Promise<string | undefined> {
    return this.readSecret(clientKey(providerId));
  }

  hasClientSecret(providerId: string): boolean {
    return (
      this.plain.has(clientKey(providerId)) ||
      Object.hasOwn(this.doc.secrets, clientKey(providerId))
    );
  }

  /** Records what protects the secrets, so a later change of backend can be explained. */
  recordProtection(protection: string): void {
    if (this.doc.secretProtection !== protection)
      this.write({ secretProtection: protection }, new Map());
  }

  private async readSecret(key: string): Promise<string | undefined> {
    const cached = this.plain.get(key);
    if (cached !== undefined) return cached;
    const cipher = Object.hasOwn(this.doc.secrets, key) ? this.doc.secrets[key] : undefined;
    if (cipher === undefined) return undefined;
    let plain: string;
    try {
      plain = await this.box.decrypt(cipher);
    } catch (error) {
      this.logger.error('stored secret could not be decrypted', { key: key.split(':')[0] });
      throw new OAuthFailure('secretUnreadable', undefined, { cause: error });
    }
    this.plain.set(key, plain);
    return plain;
  }

  /** Set when a change could only be kept in memory; the next write then saves everything. */
  get unsavedSince(): number | undefined {
    return this.unsaved;
  }

  private unsaved: number | undefined;

  private write(
    changes: Partial<StoreDocument>,
    plainUpdate: ReadonlyMap<string, string | null>,
    keepInMemoryOnFailure = false,
  ): void {
    const next: StoreDocument = { ...this.doc, ...changes };
    const persisted: Record<string, unknown> =
      this.unsaved === undefined ? { ...changes } : { ...next };
    // Secrets in memory-only mode never reach the file, not even as ciphertext.
    if (!this.policy.persist && 'secrets' in persisted) persisted.secrets = {};
    try {
      this.kv.set(persisted);
    } catch (error) {
      this.logger.error('store write failed', {
        message: error instanceof Error ? error.message : String(error),
      });
      if (keepInMemoryOnFailure) {
        this.unsaved ??= this.now();
        this.apply(next, plainUpdate);
        return;
      }
      throw new OAuthFailure('storageWriteFailed', undefined, {
        traces: [error instanceof Error ? error.message : String(error)],
        cause: error,
      });
    }
    this.unsaved = undefined;
    this.apply(next, plainUpdate);
  }

  private apply(next: StoreDocument, plainUpdate: ReadonlyMap<string, string | null>): void {
    this.doc = next;
    for (const [key, value] of plainUpdate) {
      if (value === null) this.plain.delete(key);
      else this.plain.set(key, value);
    }
  }
}
