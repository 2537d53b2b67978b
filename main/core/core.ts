/**
 * Wires the core together from its ports. The shell calls this with Electron adapters; tests
 * call it with Node, Chromium and in-memory ones. Nothing here touches Electron.
 */
import type { AppStatus } from '../../shared/model';
import { PRESETS, type ProviderPreset } from '../../shared/providers';
import { AccountManager } from './accounts/account-manager';
import { Connector } from './accounts/connector';
import { KeepFresh } from './accounts/keep-fresh';
import { MachineAccounts } from './accounts/machine-accounts';
import { AccountLocks } from './accounts/account-locks';
import { AccountListAnnouncer } from './accounts/list-announcer';
import { Refresher } from './accounts/refresher';
import { ClipboardGuard } from './clipboard-guard';
import { CoreEvents } from './events';
import { DEFAULT_HTTP_LIMITS, type FetchLike, type HttpLimits } from './http/http-client';
import { TimeBudget } from './http/time-budget';
import { createClientCertificateFetch } from './http/client-certificate-fetch';
import { createDiscovery } from './oauth/discovery';
import {
  silentLogger,
  systemClock,
  type Clipboard,
  type Clock,
  type ConsentPort,
  type Logger,
  type SecretBox,
  type SecretProtection,
} from './ports';
import { ProviderDirectory } from './providers/provider-directory';
import type { OpenedStore } from './storage/open-store';
import { Repository } from './storage/repository';
import { policyFor, secretsStatus } from './storage/secret-policy';
import { createAccountService, type AccountService } from './services/account-service';
import { createProviderService, type ProviderService } from './services/provider-service';
import { createCommandLineService, type CommandLineService } from './services/command-line-service';
import { handOutLogFile } from './storage/hand-out-log-file';
import { Settings } from './settings';
import { ProxySignIn } from './services/proxy-sign-in';

export interface CoreOptions {
  readonly store: OpenedStore;
  readonly secretBox: SecretBox;
  /** What the secret box offers on this machine; with the user's settings it decides the policy. */
  readonly secretProtection: SecretProtection;
  readonly consent: ConsentPort;
  readonly clipboard: Clipboard;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The provider catalog; tests point presets at local servers. */
  readonly presets?: readonly ProviderPreset[];
  readonly http?: HttpLimits;
  readonly fetch?: FetchLike;
  /**
   * The proxy the system's settings (or PAC file) choose for a URL, as a PAC answer
   * ("PROXY host:port; DIRECT", "DIRECT"): Electron's `session.resolveProxy`. Test connection
   * says which way it went; providers with a client certificate (mTLS), whose requests go
   * through Node's TLS rather than `fetch` above, take that proxy. Absent: direct.
   */
  readonly resolveProxy?: (url: string) => Promise<string>;
  /**
   * CA certificates (PEM) those mTLS requests trust beside Node's defaults. The app passes none
   * (the OS store is already in Node's defaults: main/shell/system-certificates.ts); tests pass
   * their private CA instead of changing what the whole process trusts.
   */
  readonly extraCaCertificates?: readonly string[];
  /** How long a connect may wait for consent before it is cancelled. */
  readonly consentTimeoutMs?: number;
  readonly random?: () => number;
  /** Start the background refresh timer (off in tests that drive refreshes themselves). */
  readonly keepFresh?: boolean;
  /** Whose shell a copied curl line is for: PowerShell on Windows. Defaults to this machine's. */
  readonly platform?: NodeJS.Platform;
  /** The command line's hand-out log file; absent: the log is kept in memory only. */
  readonly handOutLogFile?: string;
  /** How long the command line's approval prompt waits for the user (default 60 s). */
  readonly approvalTimeoutMs?: number;
  /** Opens a page in the user's browser: a sign-in with a code's "Open page". */
  readonly openExternal?: (url: string) => Promise<void>;
}

/**
 * What the core offers its callers (the IPC API, the tray, a command line): the services, each
 * method one whole user action with its guards, and the app's life cycle. Nothing internal.
 */
export interface Core {
  readonly providers: ProviderService;
  readonly accounts: AccountService;
  readonly settings: Settings;
  /** The `tokendesk` command's requests, approvals and hand-out log. */
  readonly commandLine: CommandLineService;
  readonly events: CoreEvents;
  readonly logger: Logger;
  /** A company proxy's requests for a user name and password, answered by the user. */
  readonly proxySignIn: ProxySignIn;
  status(): AppStatus;
  /** After the machine woke from sleep: what fell due while it slept runs now. */
  wake(): Promise<void>;
  /**
   * Before quitting: clears a copied token still waiting for its delay (quitting would cancel
   * the timer and leave it on the clipboard). Answers at once when nothing is pending.
   */
  clearClipboardBeforeQuit(): Promise<void>;
  /** Whether a copied token is waiting for its clear. */
  hasPendingClipboardClear(): boolean;
  /**
   * Resolves once the work a refresh leaves for after its answer is done: its result written
   * (or refused: unsavedSince) and the account list announced.
   */
  settled(): Promise<void>;
  dispose(): void;
}

/** The parts the services are built from: for tests and benchmarks that look inside. */
export interface CoreParts {
  readonly repo: Repository;
  readonly directory: ProviderDirectory;
  readonly connector: Connector;
  readonly refresher: Refresher;
  readonly accounts: AccountManager;
  readonly scheduler: KeepFresh;
  readonly clock: Clock;
}

export const assembleCore = (options: CoreOptions): { core: Core; parts: CoreParts } => {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const now = () => clock.now();
  const events = new CoreEvents();
  const repo = new Repository(
    options.store.kv,
    options.store.document,
    options.secretBox,
    policyFor(options.secretProtection, options.store.document.settings),
    logger,
    now,
  );
  const directory = new ProviderDirectory(
    repo,
    options.presets ?? PRESETS,
    {
      limits: options.http ?? DEFAULT_HTTP_LIMITS,
      ...(options.fetch ? { baseFetch: options.fetch } : {}),
      discover: createDiscovery(now),
      clientCertificateFetch: (credentials) =>
        createClientCertificateFetch(credentials, {
          ...(options.resolveProxy ? { resolveProxy: options.resolveProxy } : {}),
          ...(options.extraCaCertificates
            ? { extraCaCertificates: options.extraCaCertificates }
            : {}),
        }),
    },
    now,
  );
  // Told what an announcement does once the list's readers exist (below).
  const list = new AccountListAnnouncer(() => repo.written(), logger);
  const changed = () => list.now();
  const startBudget = () => new TimeBudget(clock, (options.http ?? DEFAULT_HTTP_LIMITS).timeoutMs);
  const locks = new AccountLocks();
  const refresher = new Refresher({
    repo,
    providers: directory,
    now,
    logger,
    // A refresh announces its start and end on a later turn: its caller waits for the provider,
    // not for the list event.
    changed: () => list.later(),
    locks,
    startBudget,
  });
  const accounts = new AccountManager({
    repo,
    providers: directory,
    refresher,
    logger,
    changed,
    locks,
    now,
  });
  const connector = new Connector({
    repo,
    providers: directory,
    consent: options.consent,
    clock,
    logger,
    consentTimeoutMs: options.consentTimeoutMs ?? 5 * 60_000,
    progress: (providerId, stage, device) =>
      events.emit('connectProgress', { providerId, stage, ...(device ? { device } : {}) }),
    changed,
    locks,
  });
  const machines = new MachineAccounts({
    repo,
    providers: directory,
    now,
    logger,
    changed,
    locks,
    startBudget,
  });
  const scheduler = new KeepFresh({
    accounts: () => repo.accounts(),
    refresh: (id) => refresher.refresh(id),
    clock,
    random: options.random ?? Math.random,
    logger,
  });
  list.announceWith(() => {
    events.emit('accountsChanged', accounts.views());
    scheduler.reschedule();
  });
  if (options.keepFresh === false) scheduler.stop();
  else scheduler.reschedule();
  // Under another protection than the one that wrote the file (a keyring locked or gone), what
  // cannot be read is found now: the list then says which accounts need reconnecting, as the
  // secrets banner does, rather than count down tokens that a copy would fail to read. With the
  // same protection nothing is decrypted before it is needed.
  const recorded = repo.recordedProtection;
  if (
    repo.hasStoredSecrets &&
    recorded !== undefined &&
    recorded !== options.secretProtection.backend
  ) {
    void repo.readStoredSecrets().then(changed);
  }

  const settings = new Settings(repo, options.secretProtection);
  const clipboard = new ClipboardGuard(options.clipboard, clock, logger);
  const accountService = createAccountService({
    accounts,
    repo,
    refresher,
    connector,
    machines,
    directory,
    clipboard,
    settings,
    clock,
    startBudget,
    platform: options.platform ?? process.platform,
    openExternal: options.openExternal,
  });
  const commandLine = createCommandLineService({
    accounts: accountService,
    refresher,
    presets: directory.presets,
    settings,
    events,
    clock,
    logger,
    ...(options.handOutLogFile !== undefined
      ? { logFile: handOutLogFile(options.handOutLogFile, logger) }
      : {}),
    ...(options.approvalTimeoutMs !== undefined
      ? { approvalTimeoutMs: options.approvalTimeoutMs }
      : {}),
  });
  const core: Core = {
    providers: createProviderService({
      directory,
      repo,
      connector,
      clipboard,
      ...(options.resolveProxy ? { resolveProxy: options.resolveProxy } : {}),
    }),
    accounts: accountService,
    settings,
    commandLine,
    events,
    logger,
    proxySignIn: new ProxySignIn(events, clock),
    clearClipboardBeforeQuit: () => clipboard.clearNow(),
    hasPendingClipboardClear: () => clipboard.hasPendingClear,
    async wake() {
      scheduler.wake();
      await clipboard.wake();
    },
    status: () => ({
      storage: {
        ...(options.store.recovered ? { recoveredFrom: options.store.recovered } : {}),
        ...(options.store.readOnly ? { readOnly: options.store.readOnly } : {}),
        ...(repo.unsavedSince !== undefined ? { unsavedSince: repo.unsavedSince } : {}),
      },
      secrets: secretsStatus(
        options.secretProtection,
        repo.settings(),
        repo.policy.persist,
        repo.recordedProtection,
        repo.hasStoredSecrets,
      ),
    }),
    async settled() {
      await Promise.all([repo.written(), list.done()]);
    },
    dispose() {
      scheduler.stop();
      clipboard.cancel();
      commandLine.dispose();
      directory.closeConnections();
      // What the disk refused earlier (a rotated refresh token) gets one more try before the
      // app quits: the user may have freed space since.
      repo.saveUnsaved();
    },
  };
  return {
    core,
    parts: { repo, directory, connector, refresher, accounts, scheduler, clock },
  };
};

export const createCore = (options: CoreOptions): Core => assembleCore(options).core;
