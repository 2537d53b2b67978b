/**
 * Add or edit a provider configuration. Validation is the API's: its validationDetail is shown
 * beside each field it names, and the first invalid field takes the focus. Copying the redirect
 * URI is an action of its own: its refusal has its own alert and adds its field's complaint to
 * the save's, which stay.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../../shared/errors';
import type { ProviderConfigView } from '../../../shared/model';
import { findPreset, needsSystemBrowser, type ProviderPreset } from '../../../shared/providers';
import { settle, useApi } from '../common/api-context';
import { ErrorAlert } from '../common/error-alert';
import { placeErrors } from '../common/field-errors';
import { FormActions, ModalDialog } from '../common/modal-dialog';
import { TextField } from '../common/text-field';
import { useToast } from '../common/toasts';
import { useFocusFirstInvalid } from '../common/use-focus-first-invalid';
import { useMounted } from '../common/use-mounted';
import { BackendFields } from './backend-field';
import { systemBrowserProblem } from './backend-exchange';
import { ConnectionTestButton } from './connection-test';
import { ClientCertificateField } from './client-certificate-field';
import { ConsentField } from './consent-field';
import {
  describeProviderProblem,
  editProviderValues,
  isFieldEmpty,
  newProviderValues,
  offersApiHosts,
  offersDeviceCode,
  providerFieldFor,
  switchExchange,
  switchPreset,
  toSaveInput,
  type ProviderField,
  type ProviderFormValues,
} from './provider-form-model';
import { ClientAuthField } from './client-auth-field';
import { ExchangeField } from './exchange-field';
import { PrivateKeyField } from './private-key-field';
import { SecretField } from './secret-field';
import { SetupHelp } from './setup-help';
import './provider-form.css';

interface ProviderFormDialogProps {
  readonly presets: readonly ProviderPreset[];
  /** The configuration to edit; absent to add one. */
  readonly editing?: ProviderConfigView | undefined;
  readonly onClose: () => void;
  /** Also called when the answer comes after the dialog was closed: it then only reports it. */
  readonly onSaved: (saved: ProviderConfigView) => void;
}

type FieldErrors = Partial<Record<ProviderField, string>>;

/** The fields typed as free text (the rest are a select, radios and the secret). */
type TextKey = Exclude<
  ProviderField,
  | 'presetId'
  | 'consentMode'
  | 'clientSecret'
  | 'clientAuth'
  | 'privateKey'
  | 'clientCertificate'
  | 'clientPrivateKey'
  | 'exchange'
  | 'backendShape'
  | 'backendCredential'
>;

/** The API hosts' hint; a preset that knows its own says they need not be typed again. */
const apiHostsHint = (preset: ProviderPreset): string => {
  const own = preset.apiHosts ?? [];
  return (
    'For the tokendesk command’s --for: hosts whose APIs take this provider’s tokens, separated ' +
    'by spaces or commas, e.g. api.example.com *.svc.example.com.' +
    (own.length > 0 ? ` ${preset.name}’s own (${own.join(' ')}) need not be listed.` : '')
  );
};

export const ProviderFormDialog = ({
  presets,
  editing,
  onClose,
  onSaved,
}: ProviderFormDialogProps) => {
  const api = useApi();
  const toast = useToast();
  const providerSelectId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<ProviderFormValues>(() =>
    editing ? editProviderValues(editing) : newProviderValues(presets[0]!),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<ApiError>();
  const [formErrorTitle, setFormErrorTitle] = useState('The provider was not saved');
  const [copyError, setCopyError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  const mounted = useMounted();
  const focusFirstInvalid = useFocusFirstInvalid(formRef);
  // The field a refused copy named takes the focus (a new object each time, to ask again).
  const [copyFocus, setCopyFocus] = useState<{ readonly field: ProviderField }>();
  useEffect(() => {
    if (copyFocus)
      formRef.current?.querySelector<HTMLElement>(`[data-field="${copyFocus.field}"]`)?.focus();
  }, [copyFocus]);
  const preset = findPreset(values.presetId, presets) ?? presets[0]!;
  const name = editing?.label ?? (values.label.trim() || preset.name);

  const update = <K extends keyof ProviderFormValues>(
    key: K,
    value: ProviderFormValues[K],
    field: ProviderField,
  ) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    // The user is fixing it: the old complaint no longer describes what is there.
    setErrors((previous) => ({ ...previous, [field]: undefined }));
    // The copy's alert is about the redirect URI, which these make: it is out of date too.
    if (field === 'id' || field === 'presetId') setCopyError(undefined);
  };

  const refuse = (error: ApiError, title = 'The provider was not saved') => {
    setFormErrorTitle(title);
    const details = error.validationDetail ?? [];
    const placed = placeErrors(
      details,
      (path) => providerFieldFor(path, values),
      (field) => isFieldEmpty(values, field),
      describeProviderProblem(values),
    );
    setErrors(placed.fields);
    const unplaced = details.length === 0 || placed.unplaced.length > 0;
    setFormError(
      unplaced ? { ...error, traces: [...placed.unplaced, ...(error.traces ?? [])] } : undefined,
    );
    focusFirstInvalid();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    // The save answers for the whole form now: an earlier copy's alert would stand beside its own.
    setCopyError(undefined);
    // "add" makes main refuse an ID in use: the Add form never replaces a provider.
    const intent = editing ? 'edit' : 'add';
    const result = await settle(
      api.saveProvider({ ...toSaveInput(values, preset, editing), intent }),
    );
    if (result.ok) {
      onSaved(result.value);
      return;
    }
    if (!mounted.current) {
      toast(`${name} was not saved: ${result.error.message}`);
      return;
    }
    setSaving(false);
    refuse(result.error);
  };

  const copyRedirectUri = async () => {
    const id = values.id.trim();
    setCopyError(undefined);
    const result = await settle(
      api.copyRedirectUri({ presetId: values.presetId, ...(id ? { id } : {}) }),
    );
    if (result.ok) {
      toast(`Copied the redirect URI ${result.value.redirectUri}`);
      return;
    }
    if (!mounted.current) {
      toast(`The redirect URI was not copied: ${result.error.message}`);
      return;
    }
    const details = result.error.validationDetail ?? [];
    const placed = placeErrors(
      details,
      (path) => providerFieldFor(path, values),
      (field) => isFieldEmpty(values, field),
    );
    // Only what the copy named: the save's complaints about other fields still hold.
    setErrors((previous) => ({ ...previous, ...placed.fields }));
    setCopyError({ ...result.error, traces: [...placed.unplaced, ...(result.error.traces ?? [])] });
    const named = Object.keys(placed.fields)[0] as ProviderField | undefined;
    if (named) setCopyFocus({ field: named });
  };

  const field = (key: TextKey) => ({
    value: values[key],
    onValue: (value: string) => update(key, value, key),
    error: errors[key],
    'data-field': key,
  });

  return (
    <ModalDialog title={editing ? `Edit ${editing.label}` : 'Add provider'} onClose={onClose} wide>
      <form ref={formRef} className="provider-form" noValidate onSubmit={(e) => void submit(e)}>
        <div className="provider-form-fields">
          <div className="field">
            <label htmlFor={providerSelectId}>Provider</label>
            <select
              id={providerSelectId}
              value={values.presetId}
              disabled={editing !== undefined}
              data-autofocus={editing ? undefined : ''}
              data-field="presetId"
              onChange={(event) => {
                const next = findPreset(event.target.value, presets);
                if (next) {
                  setValues((previous) => switchPreset(previous, next));
                  setErrors({});
                  setFormError(undefined);
                  setCopyError(undefined);
                }
              }}
            >
              {presets.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.name}
                </option>
              ))}
            </select>
            {editing && (
              <p className="field-hint">
                A saved configuration keeps its provider; add another one for another provider.
              </p>
            )}
          </div>

          <TextField
            label="Client ID"
            autoComplete="off"
            spellCheck={false}
            data-autofocus={editing ? '' : undefined}
            hint={
              values.exchange === 'backend'
                ? 'The ID of the backend’s OAuth client: the authorization request names it.'
                : undefined
            }
            {...field('clientId')}
          />
          <ExchangeField
            value={values.exchange}
            onValue={(exchange) => {
              setValues((previous) => switchExchange(previous, exchange, preset));
              setErrors((previous) => ({ ...previous, exchange: undefined }));
            }}
            error={errors.exchange}
          />
          {values.exchange === 'backend' ? (
            <BackendFields
              preset={preset}
              values={values}
              storedCredential={editing?.backend?.hasCredential ?? false}
              url={field('backendUrl')}
              redirectUri={field('backendRedirectUri')}
              onShape={(shape) => update('backendShape', shape, 'backendShape')}
              onCredential={(change) => update('backendCredential', change, 'backendCredential')}
              shapeError={errors.backendShape}
              credentialError={errors.backendCredential}
            />
          ) : (
            <ClientAuthField
              value={values.clientAuth}
              onChange={(choice) => update('clientAuth', choice, 'clientAuth')}
              error={errors.clientAuth}
            />
          )}
          {values.exchange === 'backend' ? null : values.clientAuth === 'private_key_jwt' ? (
            <>
              <PrivateKeyField
                stored={editing?.hasPrivateKey ?? false}
                change={values.privateKey}
                onChange={(change) => update('privateKey', change, 'privateKey')}
                error={errors.privateKey}
              />
              <TextField
                label="Key ID (optional)"
                autoComplete="off"
                spellCheck={false}
                hint="The kid the provider registered the public key under; a JWK's own kid is used otherwise."
                {...field('keyId')}
              />
            </>
          ) : (
            <SecretField
              preset={preset}
              stored={editing?.hasClientSecret ?? false}
              change={values.secret}
              onChange={(change) => update('secret', change, 'clientSecret')}
              error={errors.clientSecret}
            />
          )}

          {preset.needs.issuer && (
            <TextField
              label="Issuer URL"
              type="url"
              placeholder="https://idp.example.com"
              spellCheck={false}
              hint="Tokendesk reads the endpoints from its /.well-known/openid-configuration."
              {...field('issuer')}
            />
          )}
          {preset.selfManaged === true && (
            <TextField
              label="Instance URL (optional)"
              type="url"
              placeholder={preset.issuer}
              spellCheck={false}
              hint={`Empty for ${preset.issuer ?? preset.name}; a self-managed ${preset.name}'s address otherwise, e.g. https://${preset.id}.example.com.`}
              {...field('issuer')}
            />
          )}
          {preset.needs.tenant && (
            <TextField
              label="Tenant"
              spellCheck={false}
              hint="common, organizations, consumers, or your directory (tenant) ID."
              {...field('tenant')}
            />
          )}
          {preset.needs.endpoints && (
            <>
              <TextField
                label="Authorization endpoint"
                type="url"
                spellCheck={false}
                {...field('authorization')}
              />
              <TextField label="Token endpoint" type="url" spellCheck={false} {...field('token')} />
              <TextField
                label="Revocation endpoint"
                type="url"
                spellCheck={false}
                hint="Optional: lets Disconnect revoke the token at the provider."
                {...field('revocation')}
              />
              <TextField
                label="User-info endpoint"
                type="url"
                spellCheck={false}
                hint="Optional: tells Tokendesk whose account a token belongs to."
                {...field('userinfo')}
              />
              <TextField
                label="Introspection endpoint"
                type="url"
                spellCheck={false}
                hint="Optional: lets Inspect ask the provider about a token it cannot read (RFC 7662)."
                {...field('introspection')}
              />
              <TextField
                label="Device authorization endpoint"
                type="url"
                spellCheck={false}
                hint="Optional: lets you sign in with a code (RFC 8628) where no browser redirect works."
                {...field('deviceAuthorization')}
              />
            </>
          )}

          <TextField
            label="Scopes"
            spellCheck={false}
            hint={`Separated by spaces. ${preset.name} default: ${preset.defaultScopes.join(' ') || 'none'}.`}
            {...field('scopes')}
          />
          <ConsentField
            preset={preset}
            value={values.consentMode}
            onValue={(mode) => update('consentMode', mode, 'consentMode')}
            error={errors.consentMode}
            offersDeviceCode={offersDeviceCode(values, preset)}
            systemBrowserProblem={
              // Google's only mode stays open: the backend's note says what to register instead.
              values.exchange === 'backend' && !needsSystemBrowser(preset)
                ? systemBrowserProblem(values.backendRedirectUri)
                : undefined
            }
          />
          <ClientCertificateField
            stored={editing?.clientCertificate}
            change={values.certificate}
            onChange={(change) => {
              setValues((previous) => ({ ...previous, certificate: change }));
              setErrors((previous) => ({
                ...previous,
                clientCertificate: undefined,
                clientPrivateKey: undefined,
              }));
            }}
            certificateError={errors.clientCertificate}
            keyError={errors.clientPrivateKey}
          />
          {offersApiHosts(preset, editing) && (
            <TextField
              label="API hosts (optional)"
              autoComplete="off"
              spellCheck={false}
              hint={apiHostsHint(preset)}
              {...field('apiHosts')}
            />
          )}
          <TextField
            label="Label"
            placeholder={preset.name}
            hint={`How Tokendesk names this provider; "${preset.name}" when empty.`}
            {...field('label')}
          />
          <TextField
            label="Configuration ID"
            placeholder={preset.id}
            spellCheck={false}
            readOnly={editing !== undefined}
            hint={
              editing
                ? 'Fixed once saved: it is part of the redirect URI.'
                : 'Only to add the same provider twice: lowercase letters, digits and dashes. It is part of the redirect URI.'
            }
            {...field('id')}
          />
        </div>

        <SetupHelp
          preset={preset}
          configurationId={values.id}
          signsInWithCode={values.consentMode === 'device-code'}
          backendRedirectUri={values.exchange === 'backend' ? values.backendRedirectUri : undefined}
          onCopyRedirectUri={() => void copyRedirectUri()}
          copyProblem={
            copyError && <ErrorAlert title="The redirect URI was not copied" error={copyError} />
          }
        />

        <div className="provider-form-footer">
          <ConnectionTestButton
            input={() => {
              // A test sends no secret (nor the backend's credential): main would not use it.
              const {
                clientSecret: _unused,
                backend,
                ...rest
              } = toSaveInput(values, preset, editing);
              if (!backend) return backend === undefined ? rest : { ...rest, backend };
              const { credential: _none, ...withoutCredential } = backend;
              return { ...rest, backend: withoutCredential };
            }}
            onRefused={(error) => refuse(error, 'The connection was not tested')}
          />
          {formError && <ErrorAlert title={formErrorTitle} error={formError} />}
          <FormActions onCancel={onClose} submitLabel="Save provider" busy={saving} />
        </div>
      </form>
    </ModalDialog>
  );
};
