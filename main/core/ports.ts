/**
 * The ports through which the core reaches the world. The shell implements each with one
 * Electron API; tests implement them with Node, Chromium or memory.
 */
import type { BrowserConsentMode } from '../../shared/providers';
import { CoreFailure } from './core-failure';

/** The subset of the API that both electron-store and its engine conf offer. */
export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** Sets several keys in one write (both libraries accept an object). */
  set(values: Record<string, unknown>): void;
  delete(key: string): void;
  has(key: string): boolean;
  /**
   * The whole document. Reading parses the file; assigning replaces it in one atomic write. The
   * repository assigns: `set` would read and parse the whole file first, twice in conf 15.
   */
  store: Record<string, unknown>;
}

/** Encrypts secrets for storage (safeStorage in the app). */
export interface SecretBox {
  encrypt(plain: string): Promise<string> | string;
  /**
   * The same as `encrypt`, offered by a box that encrypts without waiting (safeStorage does).
   * With it, a refresh's new tokens are held in memory when its caller is answered and encrypted
   * when the store is next written (Repository.saveAccount, writeSoon): the encryption is off the
   * caller's path, and no write can carry an account's new record without its new secrets.
   */
  encryptNow?(plain: string): string;
  /** Throws when the ciphertext cannot be decrypted on this machine. */
  decrypt(cipher: string): Promise<string> | string;
}

/**
 * What the secret box can offer on this machine, as the shell detects it (safeStorage). The core
 * decides from it whether secrets are written to disk: only when `available` and not `weak`,
 * or when the user has opted in to weak storage.
 */
export interface SecretProtection {
  /** 'keychain', 'dpapi', or on Linux safeStorage's backend ('gnome_libsecret', 'kwallet5',
   * 'basic_text', 'unknown', ...); 'unavailable' when nothing can encrypt. */
  readonly backend: string;
  /** False when the box cannot encrypt at all (secrets can then only live in memory). */
  readonly available: boolean;
  /** True when encryption gives no real protection (Linux `basic_text`: a hard-coded key). */
  readonly weak: boolean;
}

export interface ConsentRequest {
  readonly providerId: string;
  /**
   * The provider as the user named it, for the embedded window's title ("Sign in to …"); the
   * title says "Sign in — Tokendesk" without it.
   */
  readonly providerName?: string;
  readonly mode: BrowserConsentMode;
  /** Host of the redirect URI: `127.0.0.1`, or `localhost` where the provider registers that. */
  readonly redirectHost: '127.0.0.1' | 'localhost';
  /** The exact path the redirect must have (one per provider: mix-up defence). */
  readonly callbackPath: string;
  /**
   * A redirect URI registered elsewhere, to be used exactly as it is (a token backend's client:
   * the backend's exchange names it). The embedded window catches it whatever it is; the system
   * browser's listener takes its port and path, so it is loopback http with a port. Absent: the
   * app's own, `http://<redirectHost>[:port]<callbackPath>`.
   */
  readonly redirectUri?: string;
  readonly signal: AbortSignal;
}

export interface ConsentSession {
  /** The redirect URI to put in the authorization request (with the listener's port, if any). */
  readonly redirectUri: string;
  /**
   * Shows the authorization URL to the user and resolves with the callback URL the provider
   * redirected to. Rejects with `ConsentAborted` when the user closes the window or the signal
   * aborts, and with an `CoreFailure` that says why when the page cannot be shown safely (the
   * embedded window: a sign-in page that is not https, or goes on to one).
   */
  authorize(authorizationUrl: URL): Promise<URL>;
  /** Releases the window or listener; safe to call twice. */
  close(): Promise<void>;
}

export interface ConsentPort {
  begin(request: ConsentRequest): Promise<ConsentSession>;
}

/** Thrown by consent sessions when the user closed the window or the attempt was cancelled. */
export class ConsentAborted extends Error {
  constructor(readonly reason: 'closed' | 'cancelled' | 'timeout') {
    super(`consent ${reason}`);
    this.name = 'ConsentAborted';
  }

  /**
   * For a request whose signal aborted: the time limit (the connector aborts with 'timeout'), or
   * the user (Cancel, anything else). The one place that reads a consent signal's reason.
   */
  static of(signal: AbortSignal): ConsentAborted {
    return new ConsentAborted(signal.reason === 'timeout' ? 'timeout' : 'cancelled');
  }

  /** What the user is told: the sign-in took too long, or was cancelled (closed included). */
  toFailure(): CoreFailure {
    return new CoreFailure(this.reason === 'timeout' ? 'consentTimedOut' : 'consentCancelled');
  }
}

export interface Clipboard {
  /** Async because Electron 45's clipboard module is (it follows the W3C async clipboard). */
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

/** Time, injectable so the scheduler and expiry logic can be tested without waiting. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending refresh must not keep a plain-Node process (tests, CLI) alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Where the core writes what it does; the shell redacts and forwards to its log file. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
