/**
 * The workspace's dialogs: which one is open, and each one wired to what follows it (a toast,
 * a reload). One at a time: opening one replaces the other.
 */
import type { AccountView, ProviderConfigView, SettingsView } from '../../../shared/model';
import type { ProviderPreset } from '../../../shared/providers';
import { DisconnectDialog } from '../accounts/disconnect-dialog';
import { useToast } from '../common/toasts';
import { DeleteProviderDialog } from '../providers/delete-provider-dialog';
import { ProviderFormDialog } from '../providers/provider-form-dialog';
import { SettingsDialog } from '../settings/settings-dialog';
import { WeakStorageDialog } from '../status/weak-storage-dialog';

export type OpenDialog =
  | { readonly kind: 'add' }
  | { readonly kind: 'edit'; readonly provider: ProviderConfigView }
  | { readonly kind: 'delete'; readonly provider: ProviderConfigView }
  | { readonly kind: 'disconnect'; readonly account: AccountView; readonly providerLabel: string }
  | { readonly kind: 'settings' }
  | { readonly kind: 'weak-storage' };

export interface WorkspaceDialogsProps {
  readonly dialog: OpenDialog | undefined;
  readonly presets: readonly ProviderPreset[];
  readonly accountCounts: ReadonlyMap<string, number>;
  readonly settings: SettingsView | undefined;
  readonly onClose: () => void;
  readonly reloadProviders: () => Promise<void>;
  readonly reloadStatus: () => Promise<void>;
  readonly setSettings: (settings: SettingsView) => void;
  readonly saveWeakStorage: (persistWeakSecrets: boolean) => Promise<void>;
}

export const WorkspaceDialogs = ({
  dialog,
  presets,
  accountCounts,
  settings,
  onClose,
  reloadProviders,
  reloadStatus,
  setSettings,
  saveWeakStorage,
}: WorkspaceDialogsProps) => {
  const toast = useToast();
  // After a provider is saved or deleted: close, say so, and show the new list.
  const providerChanged =
    (verb: string) =>
    ({ label }: { readonly label: string }) => {
      onClose();
      toast(`${verb} ${label}.`);
      void reloadProviders();
    };
  switch (dialog?.kind) {
    case 'add':
    case 'edit':
      return (
        <ProviderFormDialog
          presets={presets}
          editing={dialog.kind === 'edit' ? dialog.provider : undefined}
          onClose={onClose}
          onSaved={providerChanged('Saved')}
        />
      );
    case 'delete':
      return (
        <DeleteProviderDialog
          provider={dialog.provider}
          accountCount={accountCounts.get(dialog.provider.id) ?? 0}
          onClose={onClose}
          onDeleted={providerChanged('Deleted')}
        />
      );
    case 'disconnect':
      return (
        <DisconnectDialog
          account={dialog.account}
          providerLabel={dialog.providerLabel}
          onClose={onClose}
        />
      );
    case 'settings':
      return settings ? (
        <SettingsDialog
          settings={settings}
          onClose={onClose}
          onSaved={(saved) => {
            onClose();
            setSettings(saved);
            void reloadStatus();
            toast('Settings saved.');
          }}
        />
      ) : null;
    case 'weak-storage':
      return <WeakStorageDialog onConfirm={() => void saveWeakStorage(true)} onClose={onClose} />;
    case undefined:
      return null;
  }
};
