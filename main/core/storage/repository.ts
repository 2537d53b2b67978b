/**
 * Reads and writes providers, accounts and their secrets. Keeps the validated document in memory
 * and writes each change as one store write (one atomic file replace), so metadata and secrets
 * never drift apart. A failed write leaves memory as it was: nothing half-saved, nothing lost.
 */
import type { KeyValueStore, Logger, SecretBox } from '../ports';
import { messageOf } from '../../../shared/errors';
import { CoreFailure } from '../core-failure';
import { DocumentWriter, type SaveOptions, type WriteMode } from './document-writer';
import type {
  StoreDocument,
  StoredAccount,
  StoredProviderConfig,
  StoredSettings,
} from './store-schema';

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
/** The private key of the provider's client certificate (mTLS): a secret like the client secret. */
const certificateKeyKey = (providerId: string) => `client-key:${providerId}`;
/** The bearer credential of a provider's token backend (a provider "through a backend"). */
const backendKey = (providerId: string) => `backend:${providerId}`;

/** A provider's secrets as a save changes them: a string sets one, null removes it, undefined keeps it. */
export interface ProviderSecretChange {
  readonly config: StoredProviderConfig;
  /** The client secret, or for private_key_jwt the private key's text. */
  readonly secret: string | null | undefined;
  /** The client certificate's private key (mTLS). */
  readonly privateKey?: string | null | undefined;
  /** The token backend's bearer credential. */
  readonly backendCredential?: string | null | undefined;
}

/** Each secret a provider can have, under its key. */
const PROVIDER_SECRET_SLOTS: readonly {
  readonly key: (providerId: string) => string;
  readonly value: (change: ProviderSecretChange) => string | null | undefined;
}[] = [
  { key: clientKey, value: (change) => change.secret },
  { key: certificateKeyKey, value: (change) => change.privateKey },
  { key: backendKey, value: (change) => change.backendCredential },
];

export class Repository {
  private doc: StoreDocument;
  /** Decrypted secrets, so a hot path (copy, refresh) does not decrypt every time. */
  private readonly plain = new Map<string, string>();
  /** Parsed account secrets, in step with `plain`. */
  private readonly parsed = new Map<string, AccountSecrets>();
  /** Stored secrets this session failed to decrypt, until they are replaced or deleted. */
  private readonly unreadable = new Map<string, CoreFailure>();
  /**
   * Secrets whose value in `plain` is newer than their ciphertext in the document: a writeSoon
   * save's, encrypted by `sealed()` before anything copies the document's secrets or writes it.
   */
  private unsealed = new Set<string>();
  /** Since when a secret the box refused to encrypt is kept in memory only (see `sealed`). */
  private unsealedSince: number | undefined;

  constructor(
    kv: KeyValueStore,
    document: StoreDocument,
    private readonly box: SecretBox,
    policy: SecretPolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.doc = document;
    this.currentPolicy = policy;
    this.writer = new DocumentWriter(kv, () => this.sealed(), logger, now);
  }

  private currentPolicy: SecretPolicy;
  private readonly writer: DocumentWriter;

  get policy(): SecretPolicy {
    return this.currentPolicy;
  }

  settings(): StoredSettings {
    return this.doc.settings;
  }

  saveSettings(settings: StoredSettings): void {
    this.write({ settings }, new Map());
  }

  /**
   * Switches between secrets on disk and secrets in memory, moving what this session holds.
   * To disk: every secret known in clear is encrypted and written. To memory: every stored secret
   * that can be read is kept in memory, and the file loses all ciphertext (the user asked for
   * nothing on disk).
   */
  async changePolicy(policy: SecretPolicy): Promise<void> {
    // Unreadable ones (another keyring) are kept on disk when persisting, dropped otherwise.
    await this.readStoredSecrets();
    const encrypted = new Map<string, { plain: string; cipher: string }>();
    if (policy.persist)
      for (const [key, value] of this.plain)
        encrypted.set(key, { plain: value, cipher: await this.box.encrypt(value) });
    // Copied after the awaits: a save meanwhile must not be undone by this write. A secret a
    // save replaced meanwhile (a rotated refresh token) is encrypted again from its new value,
    // never written back from the old one.
    const secrets: Record<string, string> = policy.persist ? { ...this.sealed().secrets } : {};
    for (const [key, { plain, cipher }] of encrypted) {
      const now = this.plain.get(key);
      if (now === undefined) continue;
      secrets[key] = now === plain ? cipher : await this.box.encrypt(now);
    }
    const previous = this.currentPolicy;
    this.currentPolicy = policy;
    try {
      this.write(
        {
          secrets,
          ...(policy.persist && Object.keys(secrets).length > 0
            ? { secretProtection: policy.protection }
            : {}),
        },
        new Map(),
      );
    } catch (error) {
      this.currentPolicy = previous;
      throw error;
    }
  }

  /**
   * Reads every stored secret not read yet. Those this session cannot decrypt are then known
   * (`unreadableAccountSecrets`) before anyone asks for them; a failure is not thrown.
   */
  async readStoredSecrets(): Promise<void> {
    for (const key of Object.keys(this.doc.secrets)) {
      if (this.plain.has(key)) continue;
      try {
        await this.readSecret(key);
      } catch {
        // Remembered in `unreadable` (readSecret).
      }
    }
  }

  /** Whether the file holds any ciphertext (from this session or an earlier one). */
  get hasStoredSecrets(): boolean {
    return Object.keys(this.doc.secrets).length > 0;
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
    privateKey?: string | null,
  ): Promise<void> {
    await this.saveProviders([{ config, secret, privateKey }]);
  }

  /**
   * Saves several provider configurations as one write (an import): all of them, or, when the
   * write is refused, none. Each of their secrets (ProviderSecretChange) follows the same secret
   * policy.
   */
  async saveProviders(changes: readonly ProviderSecretChange[]): Promise<void> {
    const encrypt = async (value: string | null | undefined) =>
      typeof value === 'string' && this.policy.persist ? await this.box.encrypt(value) : undefined;
    const ciphers: (string | undefined)[][] = [];
    for (const change of changes) {
      const row: (string | undefined)[] = [];
      for (const slot of PROVIDER_SECRET_SLOTS) row.push(await encrypt(slot.value(change)));
      ciphers.push(row);
    }
    // Copied after the awaits: a write by another save meanwhile must not be undone by this one.
    let secrets = { ...this.sealed().secrets };
    const providers = { ...this.doc.providers };
    const plainUpdate = new Map<string, string | null>();
    changes.forEach((change, index) => {
      PROVIDER_SECRET_SLOTS.forEach((slot, slotIndex) => {
        const key = slot.key(change.config.id);
        const value = slot.value(change);
        secrets = this.replacedSecret(secrets, key, value, ciphers[index]?.[slotIndex]);
        if (value !== undefined) plainUpdate.set(key, value);
      });
      providers[change.config.id] = change.config;
    });
    this.write(
      {
        providers,
        secrets,
        ...this.protectionRecord(
          changes
            .flatMap((change) => PROVIDER_SECRET_SLOTS.map((slot) => slot.value(change)))
            .find((value) => typeof value === 'string'),
        ),
      },
      plainUpdate,
    );
  }

  /**
   * `secrets` with the entry for `key` replaced: by new ciphertext, or removed when the value is
   * cleared or, in memory-only mode, replaced. Old ciphertext left next to the new metadata
   * would come back at the next start with a keyring: a token of the grant the user replaced,
   * taken for current (an expired access token handed out as fresh, a changed client secret
   * reverted). Left untouched when there is no new value.
   */
  private replacedSecret(
    secrets: Record<string, string>,
    key: string,
    value: string | null | undefined,
    cipher: string | undefined,
  ): Record<string, string> {
    if (value === undefined) return secrets;
    if (cipher !== undefined) secrets[key] = cipher;
    else delete secrets[key];
    return secrets;
  }

  deleteProvider(id: string): void {
    const providers = { ...this.doc.providers };
    delete providers[id];
    const secrets = { ...this.sealed().secrets };
    const keys = PROVIDER_SECRET_SLOTS.map((slot) => slot.key(id));
    for (const key of keys) delete secrets[key];
    this.write({ providers, secrets }, new Map(keys.map((key) => [key, null])));
  }

  /** Saves an account; `secrets` replaces the stored ones when given. */
  async saveAccount(
    account: StoredAccount,
    secrets?: AccountSecrets,
    options: SaveOptions = {},
  ): Promise<void> {
    const key = accountKey(account.id);
    const serialized = secrets ? JSON.stringify(secrets) : undefined;
    const mode =
      options.writeSoon === true ? 'soon' : options.keepInMemoryOnFailure === true ? 'keep' : 'now';
    const plainUpdate = new Map<string, string | null>();
    if (serialized !== undefined) plainUpdate.set(key, serialized);
    if (serialized !== undefined && mode === 'soon' && this.policy.persist && this.box.encryptNow) {
      // Held in memory now, encrypted by the write that follows (or by any write before it):
      // the caller (a refresh's) is answered without waiting for the encryption. Nothing is less
      // durable: the new tokens reach the disk with that same write either way.
      this.unsealed.add(key);
      this.write(
        {
          accounts: { ...this.doc.accounts, [account.id]: account },
          ...this.protectionRecord(secrets),
        },
        plainUpdate,
        mode,
      );
      return;
    }
    const cipher =
      serialized !== undefined && this.policy.persist
        ? await this.box.encrypt(serialized)
        : undefined;
    // This value replaces any the document still had to encrypt.
    if (serialized !== undefined) this.unsealed.delete(key);
    // Copied after the await: a write by another save meanwhile must not be undone by this one.
    const nextSecrets = this.replacedSecret({ ...this.sealed().secrets }, key, serialized, cipher);
    this.write(
      {
        accounts: { ...this.doc.accounts, [account.id]: account },
        ...(secrets ? { secrets: nextSecrets } : {}),
        ...this.protectionRecord(secrets),
      },
      plainUpdate,
      mode,
    );
  }

  deleteAccount(id: string): void {
    const accounts = { ...this.doc.accounts };
    delete accounts[id];
    this.unsealed.delete(accountKey(id));
    const secrets = { ...this.sealed().secrets };
    delete secrets[accountKey(id)];
    this.write({ accounts, secrets }, new Map([[accountKey(id), null]]));
  }

  async accountSecrets(id: string): Promise<AccountSecrets | undefined> {
    const key = accountKey(id);
    const parsed = this.parsed.get(key);
    if (parsed) return parsed;
    const serialized = await this.readSecret(key);
    if (serialized === undefined) return undefined;
    // Frozen, because every caller gets this same object: a thousand callers waiting on one
    // refresh then cost one parse, not a thousand.
    const secrets = Object.freeze(JSON.parse(serialized) as AccountSecrets);
    if (this.plain.get(key) === serialized) this.parsed.set(key, secrets);
    return secrets;
  }

  clientSecret(providerId: string): Promise<string | undefined> {
    return this.readSecret(clientKey(providerId));
  }

  /** The private key of the provider's client certificate (PEM), if this session has it. */
  clientPrivateKey(providerId: string): Promise<string | undefined> {
    return this.readSecret(certificateKeyKey(providerId));
  }

  hasClientPrivateKey(providerId: string): boolean {
    const key = certificateKeyKey(providerId);
    return this.plain.has(key) || Object.hasOwn(this.doc.secrets, key);
  }

  /** Why the account's stored tokens cannot be read in this session, once a read has failed. */
  unreadableAccountSecrets(id: string): CoreFailure | undefined {
    return this.unreadable.get(accountKey(id));
  }

  /** Whether this session can get the account's tokens (in memory, or ciphertext on disk). */
  hasAccountSecrets(id: string): boolean {
    return this.plain.has(accountKey(id)) || Object.hasOwn(this.doc.secrets, accountKey(id));
  }

  /** The bearer credential of the provider's token backend, if it has one this session can read. */
  backendCredential(providerId: string): Promise<string | undefined> {
    return this.readSecret(backendKey(providerId));
  }

  hasBackendCredential(providerId: string): boolean {
    const key = backendKey(providerId);
    return this.plain.has(key) || Object.hasOwn(this.doc.secrets, key);
  }

  hasClientSecret(providerId: string): boolean {
    return (
      this.plain.has(clientKey(providerId)) ||
      Object.hasOwn(this.doc.secrets, clientKey(providerId))
    );
  }

  /**
   * New ciphertext records what wrote it, so a later change of keyring can be explained rather
   * than reported as a bare decryption failure.
   */
  private protectionRecord(written: unknown): Partial<StoreDocument> {
    return this.policy.persist && written !== undefined && written !== null
      ? { secretProtection: this.policy.protection }
      : {};
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
      const recorded = this.doc.secretProtection;
      const changed = recorded !== undefined && recorded !== this.policy.protection;
      const failure = new CoreFailure(
        'secretUnreadable',
        changed
          ? `This secret was saved with ${recorded} protection, but this session’s is ${this.policy.protection}, which cannot read it. Start Tokendesk with the keyring it used before, or reconnect the account.`
          : undefined,
        { cause: error, traces: [`saved with ${recorded ?? 'an unrecorded protection'}`] },
      );
      // Remembered for this session only: another start, with the keyring that wrote it, may
      // read it again, so nothing about it is written to the file.
      if (this.doc.secrets[key] === cipher) this.unreadable.set(key, failure);
      throw failure;
    }
    this.plain.set(key, plain);
    return plain;
  }

  /** Set when a change could only be kept in memory; the next write then saves everything. */
  get unsavedSince(): number | undefined {
    return this.writer.unsavedSince ?? this.unsealedSince;
  }

  /**
   * Writes what only memory holds without waiting for the next change (before quitting, when
   * the disk may have room again). False when the disk still refuses it.
   */
  saveUnsaved(): boolean {
    // A secret the box refused is tried again, and written if it is encrypted now.
    if (this.unsealedSince !== undefined) this.writer.write(this.sealed(), 'keep');
    else this.writer.saveUnsaved();
    return this.unsavedSince === undefined;
  }

  /** Resolves once the writeSoon changes made so far are written (or refused: unsavedSince). */
  written(): Promise<void> {
    return this.writer.written();
  }

  /**
   * The document with every unsealed secret encrypted (see `unsealed`), as memory then holds it.
   * A secret the box refuses to encrypt loses its old ciphertext too (an old token beside the
   * account's new record would be taken for current after a restart), stays in memory, and is
   * tried again at the next write; meanwhile `unsavedSince` says the store is behind.
   */
  private sealed(): StoreDocument {
    if (this.unsealed.size === 0) {
      // A refused secret's account may have been deleted or saved anew since.
      this.unsealedSince = undefined;
      return this.doc;
    }
    const secrets = { ...this.doc.secrets };
    const refused = new Set<string>();
    for (const key of this.unsealed) {
      const plain = this.plain.get(key);
      // Gone meanwhile, or secrets are no longer written (changePolicy): no ciphertext at all.
      if (plain === undefined || !this.policy.persist || !this.box.encryptNow) {
        delete secrets[key];
        continue;
      }
      try {
        secrets[key] = this.box.encryptNow(plain);
      } catch (error) {
        delete secrets[key];
        refused.add(key);
        this.logger.error('a secret could not be encrypted: kept in memory only', {
          key: key.split(':')[0],
          message: messageOf(error),
        });
      }
    }
    this.unsealed = refused;
    this.unsealedSince = refused.size > 0 ? (this.unsealedSince ?? this.now()) : undefined;
    this.doc = { ...this.doc, secrets };
    return this.doc;
  }

  private write(
    changes: Partial<StoreDocument>,
    plainUpdate: ReadonlyMap<string, string | null>,
    mode: WriteMode = 'now',
  ): void {
    // Sealed first, unless this write is the one that holds a secret unsealed (writeSoon): its
    // own encryption is what the write that follows does.
    const base = mode === 'soon' ? this.doc : this.sealed();
    const next: StoreDocument = { ...base, ...changes };
    // Throws only in 'now' mode, before anything in memory changed.
    this.writer.write(next, mode);
    this.apply(next, plainUpdate);
  }

  private apply(next: StoreDocument, plainUpdate: ReadonlyMap<string, string | null>): void {
    this.doc = next;
    for (const key of this.unreadable.keys())
      if (!Object.hasOwn(next.secrets, key)) this.unreadable.delete(key);
    for (const [key, value] of plainUpdate) {
      this.parsed.delete(key);
      this.unreadable.delete(key);
      if (value === null) this.plain.delete(key);
      else this.plain.set(key, value);
    }
  }
}
