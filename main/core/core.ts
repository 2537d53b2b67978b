/**
 * Wires the core together from its ports. The shell calls this with Electron adapters; tests
 * call it with Node, Chromium and in-memory ones. Nothing here touches Electron.
 */
import type { AppStatus } from '../../shared/model';
import { PRESETS, type ProviderPreset } from '../../shared/providers';
import { AccountManager } from './accounts/account-manager';
import { Connector } from './accounts/connector';
import { KeepFresh } from './accounts/keep-fresh';
import { AccountLocks } from './accounts/account-locks';
import { LaterAnnouncement } from './accounts/later-announcement';
import { Refresher } from './accounts/refresher';
import { ClipboardGuard } from './clipboard-guard';
import { CoreEvents } from './events';
import { DEFAULT_HTTP_LIMITS, type FetchLike, type HttpLimits } from './http/http-client';
import { TimeBudget } from './http/time-budget';
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
import { Settings } from './settings';

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
  /** How long a connect may wait for consent before it is cancelled. */
  readonly consentTimeoutMs?: number;
  readonly random?: () => number;
  /** Start the background refresh timer (off in tests that drive refreshes themselves). */
  readonly keepFresh?: boolean;
  /** Whose shell a copied curl line is for: PowerShell on Windows. Defaults to this machine's. */
  readonly platform?: NodeJS.Platform;
}

export interface Core {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  readonly connector: Connector;
  readonly refresher: Refresher;
  readonly accounts: AccountManager;
  readonly scheduler: KeepFresh;
  readonly settings: Settings;
  readonly events: CoreEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly platform: NodeJS.Platform;
  /**
   * Starts one HTTP time limit (`http.timeoutMs`) on the core's clock, for a user action that
   * may make several requests: it waits for all of them at most that long together.
   */
  startBudget(): TimeBudget;
  /** Writes `text`; answers when the clipboard will be cleared, if clearing is on. */
  copyToClipboard(text: string): Promise<number | undefined>;
  /**
   * Before quitting: clears a copied token still waiting for its delay (quitting would cancel
   * the timer and leave it on the clipboard). Answers at once when nothing is pending.
   */
  clearClipboardBeforeQuit(): Promise<void>;
  /** Whether a copied token is waiting for its clear. */
  hasPendingClipboardClear(): boolean;
  /** After the machine woke from sleep: what fell due while it slept runs now. */
  wake(): Promise<void>;
  /** Writes text that is not a secret (a redirect URI): never cleared, leaves a pending clear alone. */
  copyPlainText(text: string): Promise<void>;
  status(): AppStatus;
  /**
   * Resolves once the work a refresh leaves for after its answer is done: its result written
   * (or refused: unsavedSince) and the account list announced.
   */
  settled(): Promise<void>;
  dispose(): void;
}

export const createCore = (options: CoreOptions): Core => {
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
  const providers = new ProviderDirectory(
    repo,
    options.presets ?? PRESETS,
    {
      limits: options.http ?? DEFAULT_HTTP_LIMITS,
      ...(options.fetch ? { baseFetch: options.fetch } : {}),
      discover: createDiscovery(now),
    },
    now,
  );

  // `changed` closes over the manager and scheduler declared below; nothing calls it before
  // they exist (constructors only store it).
  const changed = () => {
    events.emit('accountsChanged', accounts.views());
    scheduler.reschedule();
  };

  // A refresh announces its start and end on a later turn: its caller waits for the provider,
  // not for the list event (later-announcement.ts).
  const announcement = new LaterAnnouncement(changed, () => repo.written(), logger);
  const changedLater = () => announcement.request();

  const startBudget = () => new TimeBudget(clock, (options.http ?? DEFAULT_HTTP_LIMITS).timeoutMs);
  const locks = new AccountLocks();
  const refresher = new Refresher({
    repo,
    providers,
    now,
    logger,
    changed: changedLater,
    locks,
    startBudget,
  });
  const accounts = new AccountManager({ repo, providers, refresher, logger, changed, locks });
  const connector = new Connector({
    repo,
    providers,
    consent: options.consent,
    clock,
    logger,
    consentTimeoutMs: options.consentTimeoutMs ?? 5 * 60_000,
    progress: (providerId, stage) => events.emit('connectProgress', { providerId, stage }),
    changed,
    locks,
  });
  const scheduler = new KeepFresh({
    accounts: () => repo.accounts(),
    refresh: (id) => refresher.refresh(id),
    clock,
    random: options.random ?? Math.random,
    logger,
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
  return {
    repo,
    providers,
    connector,
    refresher,
    accounts,
    scheduler,
    settings,
    events,
    clock,
    logger,
    platform: options.platform ?? process.platform,
    startBudget,
    copyToClipboard: (text) => clipboard.copy(text, settings.clipboardClearMs()),
    clearClipboardBeforeQuit: () => clipboard.clearNow(),
    hasPendingClipboardClear: () => clipboard.hasPendingClear,
    async wake() {
      scheduler.wake();
      await clipboard.wake();
    },
    copyPlainText: (text) => clipboard.copyPlain(text),
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
      await Promise.all([repo.written(), announcement.done()]);
    },
    dispose() {
      scheduler.stop();
      clipboard.cancel();
      // What the disk refused earlier (a rotated refresh token) gets one more try before the
      // app quits: the user may have freed space since.
      repo.saveUnsaved();
    },
  };
};
