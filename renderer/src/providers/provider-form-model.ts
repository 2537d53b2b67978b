/**
 * The provider form's values and their translation to a saveProvider request. The form keeps
 * text as typed; this module decides what is sent (trimmed, empty optional fields left out) and
 * which input owns each path the API names in its validationDetail.
 */
import type { ValidationDetail } from '../../../shared/errors';
import type { ChannelInput } from '../../../shared/ipc-contract';
import type { ProviderConfigView } from '../../../shared/model';
import { fieldMessage, type DescribeProblem } from '../common/field-errors';
import {
  findPreset,
  mayOfferDeviceCode,
  needsSystemBrowser,
  type ConsentMode,
  type PresetId,
  type ProviderPreset,
} from '../../../shared/providers';

/** What happens to the client secret on save. */
export type SecretChange =
  | { readonly kind: 'keep' }
  | { readonly kind: 'set'; readonly value: string }
  | { readonly kind: 'remove' };

export interface ProviderFormValues {
  readonly presetId: PresetId;
  readonly id: string;
  readonly label: string;
  readonly clientId: string;
  readonly secret: SecretChange;
  readonly scopes: string;
  readonly consentMode: ConsentMode;
  readonly issuer: string;
  readonly tenant: string;
  readonly authorization: string;
  readonly token: string;
  readonly revocation: string;
  readonly userinfo: string;
  /** Optional, for typed endpoints: RFC 8628's, which lets the provider sign in with a code. */
  readonly deviceAuthorization: string;
  /** The provider's own API hosts, as typed (spaces or commas between them). */
  readonly apiHosts: string;
}

export type ProviderField =
  | 'presetId'
  | 'id'
  | 'label'
  | 'clientId'
  | 'clientSecret'
  | 'scopes'
  | 'consentMode'
  | 'issuer'
  | 'tenant'
  | 'authorization'
  | 'token'
  | 'revocation'
  | 'userinfo'
  | 'deviceAuthorization'
  | 'apiHosts';

/** Presets whose sign-in page refuses embedded browsers: the system browser is the only way. */
export const newProviderValues = (preset: ProviderPreset): ProviderFormValues => ({
  presetId: preset.id,
  id: '',
  label: '',
  clientId: '',
  secret: { kind: 'set', value: '' },
  scopes: preset.defaultScopes.join(' '),
  consentMode: preset.defaultConsentMode,
  issuer: '',
  tenant: preset.needs.tenant ? 'common' : '',
  authorization: '',
  token: '',
  revocation: '',
  userinfo: '',
  deviceAuthorization: '',
  apiHosts: '',
});

export const editProviderValues = (config: ProviderConfigView): ProviderFormValues => ({
  presetId: config.presetId,
  id: config.id,
  label: config.label,
  clientId: config.clientId,
  secret: config.hasClientSecret ? { kind: 'keep' } : { kind: 'set', value: '' },
  scopes: config.scopes.join(' '),
  consentMode:
    config.consentMode === 'embedded' && needsSystemBrowser(findPreset(config.presetId))
      ? 'system-browser'
      : config.consentMode,
  issuer: config.issuer ?? '',
  tenant: config.tenant ?? '',
  authorization: config.endpoints?.authorization ?? '',
  token: config.endpoints?.token ?? '',
  revocation: config.endpoints?.revocation ?? '',
  userinfo: config.endpoints?.userinfo ?? '',
  deviceAuthorization: config.endpoints?.deviceAuthorization ?? '',
  apiHosts: config.apiHosts?.join(' ') ?? '',
});

/** Another preset chosen in the form: its defaults replace the previous preset's. */
export const switchPreset = (
  values: ProviderFormValues,
  preset: ProviderPreset,
): ProviderFormValues => ({
  ...newProviderValues(preset),
  id: values.id,
  label: values.label,
  clientId: values.clientId,
  secret: values.secret,
  apiHosts: values.apiHosts,
});

export const splitScopes = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Hosts as typed, apart: not lower-cased, so a refusal names the user's own text. */
export const splitApiHosts = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Whether the form offers the provider's own API hosts: where its preset knows none (the custom
 * ones), or where the configuration edited has some already (to see and remove them). A preset
 * that knows its APIs (GitHub: api.github.com) would only invite hosts its tokens do not open.
 */
export const offersApiHosts = (preset: ProviderPreset, editing?: ProviderConfigView): boolean =>
  (preset.apiHosts ?? []).length === 0 || (editing?.apiHosts ?? []).length > 0;

/**
 * `editing` is the configuration the form edits (absent when it adds one): an edit sends the
 * API hosts whenever there are or were some, so an emptied box removes them (`[]`).
 */
export const toSaveInput = (
  values: ProviderFormValues,
  preset: ProviderPreset,
  editing?: ProviderConfigView,
): ChannelInput<'saveProvider'> => {
  const apiHosts = splitApiHosts(values.apiHosts);
  const sendsApiHosts =
    offersApiHosts(preset, editing) &&
    (apiHosts.length > 0 || (editing?.apiHosts ?? []).length > 0);
  const id = values.id.trim();
  const label = values.label.trim();
  const secret = values.secret.kind === 'set' ? values.secret.value.trim() : '';
  const endpoints = [
    values.authorization,
    values.token,
    values.revocation,
    values.userinfo,
    values.deviceAuthorization,
  ].map((value) => value.trim());
  const [authorization = '', token = '', revocation = '', userinfo = '', deviceAuthorization = ''] =
    endpoints;
  return {
    presetId: values.presetId,
    ...(id ? { id } : {}),
    ...(label ? { label } : {}),
    clientId: values.clientId.trim(),
    // An empty secret box means "none given": the stored one stays, or the API says it is needed.
    ...(values.secret.kind === 'remove'
      ? { clientSecret: null }
      : secret
        ? { clientSecret: secret }
        : {}),
    scopes: splitScopes(values.scopes),
    consentMode: values.consentMode,
    ...(preset.needs.issuer && values.issuer.trim() ? { issuer: values.issuer.trim() } : {}),
    ...(preset.needs.tenant && values.tenant.trim() ? { tenant: values.tenant.trim() } : {}),
    ...(preset.needs.endpoints && endpoints.some(Boolean)
      ? {
          endpoints: {
            authorization,
            token,
            ...(revocation ? { revocation } : {}),
            ...(userinfo ? { userinfo } : {}),
            ...(deviceAuthorization ? { deviceAuthorization } : {}),
          },
        }
      : {}),
    ...(sendsApiHosts ? { apiHosts } : {}),
  };
};

const FIELD_BY_PATH: Readonly<Record<string, ProviderField>> = {
  presetId: 'presetId',
  id: 'id',
  label: 'label',
  clientId: 'clientId',
  clientSecret: 'clientSecret',
  scopes: 'scopes',
  consentMode: 'consentMode',
  issuer: 'issuer',
  tenant: 'tenant',
  // "endpoints" alone: a custom OAuth 2.0 provider sent without any endpoint.
  endpoints: 'authorization',
  'endpoints.authorization': 'authorization',
  'endpoints.token': 'token',
  'endpoints.revocation': 'revocation',
  'endpoints.userinfo': 'userinfo',
  'endpoints.deviceAuthorization': 'deviceAuthorization',
  apiHosts: 'apiHosts',
};

/**
 * Whether the form offers "Device code": the preset or the typed endpoints name a device
 * authorization endpoint, or discovery may (shared/providers.ts, mayOfferDeviceCode).
 */
export const offersDeviceCode = (values: ProviderFormValues, preset: ProviderPreset): boolean =>
  mayOfferDeviceCode(
    preset,
    preset.needs.endpoints
      ? { deviceAuthorization: values.deviceAuthorization.trim() || undefined }
      : undefined,
  );

/** Lists typed in one box: each item's path (`scopes.3`, `apiHosts.0`) belongs to that box. */
const LIST_FIELDS = ['scopes', 'apiHosts'] as const satisfies readonly ProviderField[];

/** The input that owns an API field path; `scopes.3` belongs to the one Scopes box. */
export const providerFieldFor = (path: string): ProviderField | undefined =>
  FIELD_BY_PATH[path] ?? LIST_FIELDS.find((field) => path.startsWith(`${field}.`));

const hostIndex = (detail: ValidationDetail): number | undefined => {
  const index = /^apiHosts\.(\d+)$/.exec(detail.field)?.[1];
  return index === undefined ? undefined : Number(index);
};

/**
 * The form's own words where the API's would not say enough: one box holds all the API hosts, so
 * a refused host is named ("“API.example.com”: must be …"), from what main echoes or else from
 * what was sent (`values`, the form as submitted).
 */
export const describeProviderProblem =
  (values: ProviderFormValues): DescribeProblem<ProviderField> =>
  (field, detail, leftEmpty) => {
    if (field !== 'apiHosts') return undefined;
    if (detail.field === 'apiHosts' && detail.expression === 'max')
      return typeof detail.argument === 'number' ? `At most ${detail.argument} hosts.` : undefined;
    const index = hostIndex(detail);
    const host =
      typeof detail.originalValue === 'string'
        ? detail.originalValue
        : index === undefined
          ? undefined
          : splitApiHosts(values.apiHosts)[index];
    if (host === undefined) return undefined;
    const message = fieldMessage(detail, leftEmpty);
    return `“${host}”: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
  };

export const isFieldEmpty = (values: ProviderFormValues, field: ProviderField): boolean => {
  switch (field) {
    case 'clientSecret':
      return values.secret.kind === 'set' && values.secret.value.trim() === '';
    case 'scopes':
      return splitScopes(values.scopes).length === 0;
    case 'apiHosts':
      return splitApiHosts(values.apiHosts).length === 0;
    case 'presetId':
    case 'consentMode':
      return false;
    default:
      return values[field].trim() === '';
  }
};
