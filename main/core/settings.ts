/**
 * The user's settings: read, validate-merged, saved. Turning "store secrets anyway" on or off
 * moves the secrets between disk and memory at once, not at the next restart.
 */
import type { SettingsView } from '../../shared/model';
import type { SecretProtection } from './ports';
import type { Repository } from './storage/repository';
import { policyFor } from './storage/secret-policy';

export class Settings {
  /** Told after each save (the command line's view shows whether access is on). */
  changed: (view: SettingsView) => void = () => {};

  constructor(
    private readonly repo: Repository,
    private readonly protection: SecretProtection,
  ) {}

  view(): SettingsView {
    const { persistWeakSecrets, clipboardClearSeconds, commandLineAccess } = this.repo.settings();
    return { persistWeakSecrets, clipboardClearSeconds, commandLineAccess };
  }

  /** Whether the `tokendesk` command may ask for tokens. */
  commandLineAccess(): boolean {
    return this.repo.settings().commandLineAccess;
  }

  /** docker registry host → account ID. */
  registryAccounts(): Readonly<Record<string, string>> {
    return this.repo.settings().registryAccounts;
  }

  /** Maps a registry host to an account, or (null) removes its mapping. */
  mapRegistry(host: string, accountId: string | null): void {
    const { [host]: _previous, ...others } = this.repo.settings().registryAccounts;
    this.repo.saveSettings({
      ...this.repo.settings(),
      registryAccounts: accountId === null ? others : { ...others, [host]: accountId },
    });
  }

  /** Milliseconds after a copy to clear the clipboard, or undefined for never. */
  clipboardClearMs(): number | undefined {
    const seconds = this.repo.settings().clipboardClearSeconds;
    return seconds === null ? undefined : seconds * 1000;
  }

  async save(changes: Partial<SettingsView>): Promise<SettingsView> {
    // A field sent as undefined (structured clone keeps such keys) means "unchanged", as absent.
    const given = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as Partial<SettingsView>;
    const next = { ...this.repo.settings(), ...given };
    const policy = policyFor(this.protection, next);
    // The policy first: if moving the secrets fails, the setting is not saved either.
    if (policy.persist !== this.repo.policy.persist) await this.repo.changePolicy(policy);
    this.repo.saveSettings(next);
    this.changed(this.view());
    return this.view();
  }
}
