/**
 * Add a machine account to a provider: a token of the provider's own client, by the client
 * credentials grant, for a service rather than a person. Main asks for the first token at once;
 * a refusal (a wrong secret, a scope the client may not have) is shown here and nothing is
 * added. Validation is the API's, shown beside the field it names.
 */
import { useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { AccountView, ProviderConfigView } from '../../../shared/model';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { placeErrors } from '../common/field-errors';
import { FormActions, ModalDialog } from '../common/modal-dialog';
import { TextField } from '../common/text-field';
import { useToast } from '../common/toasts';
import { useFocusFirstInvalid } from '../common/use-focus-first-invalid';
import { useMounted } from '../common/use-mounted';

type MachineField = 'name' | 'scopes' | 'audience' | 'resources';

/** Scopes and resources are typed as one line each, separated by spaces (or commas, for URIs). */
const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/** `scopes.2` → `scopes`: the API names list items by index. */
const fieldFor = (path: string): MachineField | undefined => {
  const head = path.split('.')[0];
  return head === 'name' || head === 'scopes' || head === 'audience' || head === 'resources'
    ? head
    : undefined;
};

interface AddMachineAccountDialogProps {
  readonly provider: ProviderConfigView;
  readonly onClose: () => void;
  /** Also called when the answer comes after the dialog was closed: it then only reports it. */
  readonly onAdded: (account: AccountView, created: boolean) => void;
}

export const AddMachineAccountDialog = ({
  provider,
  onClose,
  onAdded,
}: AddMachineAccountDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const mounted = useMounted();
  const formRef = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useFocusFirstInvalid(formRef);
  const [values, setValues] = useState<Record<MachineField, string>>({
    name: '',
    scopes: '',
    audience: '',
    resources: '',
  });
  const [errors, setErrors] = useState<Partial<Record<MachineField, string>>>({});
  const [formError, setFormError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const update = (field: MachineField) => (value: string) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const audience = values.audience.trim();
    const result = await settle(
      api.addMachineAccount({
        providerId: provider.id,
        name: values.name.trim(),
        scopes: splitList(values.scopes),
        ...(audience !== '' ? { audience } : {}),
        resources: splitList(values.resources),
      }),
    );
    if (result.ok) {
      onAdded(result.value.account, result.value.created);
      return;
    }
    if (!mounted.current) {
      toast(`No machine account was added to ${provider.label}: ${result.error.message}`);
      return;
    }
    setBusy(false);
    const details = result.error.validationDetail ?? [];
    const placed = placeErrors(details, fieldFor, (field) => values[field].trim() === '');
    setErrors(placed.fields);
    // A refusal by the provider (wrong secret, scope not allowed) belongs to the whole form.
    setFormError(
      details.length === 0 || placed.unplaced.length > 0
        ? { ...result.error, traces: [...placed.unplaced, ...(result.error.traces ?? [])] }
        : undefined,
    );
    focusFirstInvalid();
  };

  return (
    <ModalDialog title={`Add a machine account to ${provider.label}`} onClose={onClose}>
      <form ref={formRef} onSubmit={(event) => void submit(event)} noValidate>
        <p className="field-hint">
          A token for the client <code>{provider.clientId}</code> itself (client credentials), for
          scripts and services: no one signs in. Tokendesk asks for it now, and again before it
          expires.
        </p>
        <TextField
          label="Name"
          value={values.name}
          onValue={update('name')}
          error={errors.name}
          hint="What you call it, e.g. deploy-bot; the command line finds it as provider:name."
          required
          data-autofocus=""
        />
        <TextField
          label="Scopes"
          value={values.scopes}
          onValue={update('scopes')}
          error={errors.scopes}
          hint="Separated by spaces, e.g. https://graph.microsoft.com/.default; empty: the client’s default."
          spellCheck={false}
        />
        <TextField
          label="Audience (optional)"
          value={values.audience}
          onValue={update('audience')}
          error={errors.audience}
          hint="The audience parameter some providers want (Auth0: the API identifier)."
          spellCheck={false}
        />
        <TextField
          label="Resources (optional)"
          value={values.resources}
          onValue={update('resources')}
          error={errors.resources}
          hint="RFC 8707 resource indicators, separated by spaces, e.g. https://api.example.com/."
          spellCheck={false}
        />
        {formError && (
          <ErrorAlert
            title={`No machine account was added to ${provider.label}`}
            error={formError}
          />
        )}
        <FormActions onCancel={onClose} submitLabel="Add machine account" busy={busy} />
      </form>
    </ModalDialog>
  );
};
