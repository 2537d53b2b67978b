/**
 * The workspace's dialogs: which one is open, and each one wired to what follows it (a toast,
 * a reload). One at a time: opening one replaces the other.
 *
 * Main may answer after its dialog was closed (Escape while it works), when the user may have
 * opened another one and typed into it: the answer is still reported and the lists reloaded, but
 * it closes only the dialog that asked, never the one on screen since.
 */
import type {
  AccountView,
  ProviderConfigView,
  SecretsStatus,
  SettingsView,
} from '../../../shared/model';
import type { ProviderPreset } from '../../../shared/providers';
import { AddMachineAccountDialog } from '../accounts/add-machine-account-dialog';
import { DisconnectDialog } from '../accounts/disconnect-dialog';
import { TokenInspectionDialog } from '../accounts/token-inspection-dialog';
import type { CommandLineState } from '../command-line/use-command-line';
import { useToast } from '../common/toasts';
import { DeleteProviderDialog } from '../providers/delete-provider-dialog';
import { ExportProvidersDialog } from '../providers/export-providers-dialog';
import { ImportProvidersDialog } from '../providers/import-providers-dialog';
import { importedText } from '../providers/provider-sharing-text';
import { ProviderFormDialog } from '../providers/provider-form-dialog';
import { SettingsDialog } from '../settings/settings-dialog';
import { WeakStorageDialog } from '../status/weak-storage-dialog';

export type OpenDialog =
  | { readonly kind: 'add' }
  | { readonly kind: 'edit'; readonly provider: ProviderConfigView }
  | { readonly kind: 'delete'; readonly provider: ProviderConfigView }
  | { readonly kind: 'add-machine'; readonly provider: ProviderConfigView }
  /** One provider's setup, or (without one) every provider's. */
  | { readonly kind: 'export'; readonly provider?: ProviderConfigView }
  /** `providers`: those configured when it opened, whose labels name the conflicts. */
  | { readonly kind: 'import'; readonly providers: readonly ProviderConfigView[] }
  | { readonly kind: 'disconnect'; readonly account: AccountView; readonly providerLabel: string }
  | { readonly kind: 'inspect'; readonly account: AccountView }
  | { readonly kind: 'settings' }
  | { readonly kind: 'weak-storage' };

export interface WorkspaceDialogsProps {
  readonly dialog: OpenDialog | undefined;
  readonly presets: readonly ProviderPreset[];
  readonly accountCounts: ReadonlyMap<string, number>;
  readonly settings: SettingsView | undefined;
  /** What main last said about secrets; undefined when it could not say. */
  readonly secrets: SecretsStatus | undefined;
  /** Closes this dialog if it is still the one open (each opening is a new object). */
  readonly onClose: (dialog: OpenDialog) => void;
  readonly reloadProviders: () => Promise<void>;
  readonly reloadStatus: () => Promise<unknown>;
  /** After a machine account is added: the list read again (accountsChanged brings it too). */
  readonly reloadAccounts: () => Promise<void>;
  readonly setSettings: (settings: SettingsView) => void;
  readonly saveWeakStorage: (persistWeakSecrets: boolean) => Promise<void>;
  readonly commandLine: CommandLineState;
}

export const WorkspaceDialogs = ({
  dialog,
  presets,
  accountCounts,
  settings,
  secrets,
  onClose,
  reloadProviders,
  reloadStatus,
  reloadAccounts,
  setSettings,
  saveWeakStorage,
  commandLine,
}: WorkspaceDialogsProps) => {
  const toast = useToast();
  if (dialog === undefined) return null;
  // Bound to this opening of the dialog: a late answer's close cannot reach the next one.
  const close = () => onClose(dialog);
  // After a provider is saved or deleted: show the new list, then close and say so. Closed only
  // once the list is fresh, the dialog gives the focus back to what opened it if that is still
  // there, and to the fallback if it went with the old list (a deleted provider's Delete, the
  // welcome's Add a provider), never to a control the list is about to remove. The toast comes
  // after the close: while the dialog is modal, the rest of the window is inert and not read.
  const providerChanged =
    (verb: string) =>
    ({ label }: { readonly label: string }) => {
      void reloadProviders().then(() => {
        close();
        toast(`${verb} ${label}.`);
      });
    };
  switch (dialog.kind) {
    case 'add':
    case 'edit':
      return (
        <ProviderFormDialog
          presets={presets}
          editing={dialog.kind === 'edit' ? dialog.provider : undefined}
          onClose={close}
          onSaved={providerChanged('Saved')}
        />
      );
    case 'delete':
      return (
        <DeleteProviderDialog
          provider={dialog.provider}
          accountCount={accountCounts.get(dialog.provider.id) ?? 0}
          onClose={close}
          onDeleted={providerChanged('Deleted')}
        />
      );
    case 'add-machine':
      return (
        <AddMachineAccountDialog
          provider={dialog.provider}
          onClose={close}
          onAdded={(account, created) => {
            void reloadAccounts().then(() => {
              close();
              toast(
                created
                  ? `Added ${account.displayName} at ${dialog.provider.label}.`
                  : `${account.displayName} was there already: its token is fresh.`,
              );
            });
          }}
        />
      );
    case 'export':
      return <ExportProvidersDialog provider={dialog.provider} onClose={close} />;
    case 'import':
      return (
        <ImportProvidersDialog
          providers={dialog.providers}
          onClose={close}
          onImported={(imported) => {
            void reloadProviders().then(() => {
              close();
              toast(importedText(imported, presets));
            });
          }}
        />
      );
    case 'disconnect':
      return (
        <DisconnectDialog
          account={dialog.account}
          providerLabel={dialog.providerLabel}
          onClose={close}
        />
      );
    case 'inspect':
      return <TokenInspectionDialog account={dialog.account} onClose={close} />;
    case 'settings':
      return settings ? (
        <SettingsDialog
          settings={settings}
          weakStorageAvailable={secrets?.weakStorageAvailable ?? true}
          onClose={close}
          onSaved={(saved) => {
            close();
            setSettings(saved);
            void reloadStatus();
            toast('Settings saved.');
          }}
          onSettingChanged={setSettings}
          commandLine={commandLine}
        />
      ) : null;
    case 'weak-storage':
      return (
        <WeakStorageDialog
          available={secrets?.weakStorageAvailable ?? true}
          onConfirm={() => {
            close();
            void saveWeakStorage(true);
          }}
          onClose={close}
        />
      );
  }
};
