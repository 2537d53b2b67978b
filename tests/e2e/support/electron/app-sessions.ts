/**
 * Several runs of Tokendesk on one profile, for restart specs: each start is remembered, so the
 * spec can read what every run wrote to stdout and stderr, and whatever is still open is closed
 * in the spec's `finally`.
 */
import type { ElectronApplication } from '@playwright/test';
import { launchTokendesk, type Profile, type RunningApp } from './electron-harness';
import type { ElectronRuntime } from './which-electron';

export interface AppSessions {
  /** Starts the app with the test keyring (gnome-libsecret) or without any (basic). */
  start(keyring: boolean): Promise<RunningApp>;
  /** Quits a run as the user does (the app's `close`), waiting for its process to end. */
  quit(running: RunningApp): Promise<void>;
  /** Everything every run wrote to stdout and stderr. */
  output(): string;
  closeAll(): Promise<void>;
}

export const appSessions = (runtime: ElectronRuntime, profile: Profile): AppSessions => {
  const runs: RunningApp[] = [];
  const open = new Set<RunningApp>();
  const quit = async (running: RunningApp) => {
    if (!open.delete(running)) return;
    await running.close();
  };
  return {
    start: async (keyring) => {
      const running = await launchTokendesk({ runtime, profile, keyring });
      runs.push(running);
      open.add(running);
      return running;
    },
    quit,
    output: () => runs.map((run) => run.output()).join('\n'),
    closeAll: async () => {
      for (const running of [...open]) await quit(running);
    },
  };
};

export interface SafeStorageFacts {
  readonly encryptionAvailable: boolean;
  readonly backend: string;
}

/** What safeStorage offers inside the running app (Linux: the selected backend). */
export const safeStorageFacts = (app: ElectronApplication): Promise<SafeStorageFacts> =>
  app.evaluate(({ safeStorage }) => ({
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    backend: safeStorage.getSelectedStorageBackend(),
  }));
