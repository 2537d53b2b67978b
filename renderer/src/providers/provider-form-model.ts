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
  type BackendShape,
  type ConfidentialClientAuth,
  type ConsentMode,
  type PresetId,
  type ProviderPreset,
} from '../../../shared/providers';

/** What happens to the client secret on save. */
export type SecretChange =
  | { readonly kind: 'keep' }
  | { readonly kind: 'set'; readonly value: string }
  | { readonly kind: 'remove' };

/**
 * What happens to the client certificate (mTLS) on save. `set` sends the PEM text pasted or read
 * from a file; an empty key keeps the stored one (a renewed certificate with the same key).
 */
export type CertificateChange =
  | { readonly kind: 'keep' }
  | { readonly kind: 'set'; readonly certificate: string; readonly privateKey: string }
  | { readonly kind: 'remove' };

/** Who exchanges codes and refreshes tokens: Tokendesk at the token endpoint, or a backend. */
export type TokenExchange = 'direct' | 'backend';

/** `auto`: as the preset says (Basic for a public preset given a secret); else the user's choice. */
export type ClientAuthChoice = 'auto' | ConfidentialClientAuth;

export interface ProviderFormValues {
  readonly presetId: PresetId;
  readonly id: string;
  readonly label: string;
  readonly clientId: string;
  readonly clientAuth: ClientAuthChoice;
  readonly secret: SecretChange;
  /** For private_key_jwt: the private key, write-only like the secret. */
  readonly privateKey: SecretChange;
  readonly keyId: string;
  readonly scopes: string;
  readonly consentMode: ConsentMode;
  readonly issuer: string;
  readonly tenant: string;
  readonly authorization: string;
  readonly token: string;
  readonly revocation: string;
  readonly userinfo: string;
  /** Optional, for typed endpoints: RFC 7662's, which lets Inspect ask about an opaque token. */
  readonly introspection: string;
  /** Optional, for typed endpoints: RFC 8628's, which lets the provider sign in with a code. */
  readonly deviceAuthorization: string;
  /** The provider's own API hosts, as typed (spaces or commas between them). */
  readonly apiHosts: string;
  readonly certificate: CertificateChange;
  /** Through a backend, the backend's fields are sent instead of the client's credential. */
  readonly exchange: TokenExchange;
  readonly backendUrl: string;
  readonly backendShape: BackendShape;
  /** The redirect URI the backend's OAuth client registered, used exactly as typed. */
  readonly backendRedirectUri: string;
  /** The backend's bearer credential: write-only like the client secret. */
  readonly backendCredential: SecretChange;
}

export type ProviderField =
  | 'presetId'
  | 'id'
  | 'label'
  | 'clientId'
  | 'clientAuth'
  | 'clientSecret'
  | 'privateKey'
  | 'keyId'
  | 'scopes'
  | 'consentMode'
  | 'issuer'
  | 'tenant'
  | 'authorization'
  | 'token'
  | 'revocation'
  | 'userinfo'
  | 'introspection'
  | 'deviceAuthorization'
  | 'apiHosts'
  | 'clientCertificate'
  | 'clientPrivateKey'
  | 'exchange'
  | 'backendUrl'
  | 'backendShape'
  | 'backendRedirectUri'
  | 'backendCredential';

/** The shape a preset's backends most likely have: the published ones are named for theirs. */
const defaultBackendShape = (preset: Pick<ProviderPreset, 'id'> | undefined): BackendShape =>
  preset?.id === 'google' ? 'google-style' : preset?.id === 'github' ? 'github-style' : 'standard';

/**
 * "Direct" or "Through a backend" chosen. A backend's provider cannot sign in with a code (the
 * code sign-in polls the token endpoint, which only the backend calls): that choice goes back to
 * the preset's own mode.
 */
export const switchExchange = (
  values: ProviderFormValues,
  exchange: TokenExchange,
  preset: ProviderPreset,
): ProviderFormValues => ({
  ...values,
  exchange,
  consentMode:
    exchange === 'backend' && values.consentMode === 'device-code'
      ? preset.defaultConsentMode
      : values.consentMode,
});

export const newProviderValues = (preset: ProviderPreset): ProviderFormValues => ({
  presetId: preset.id,
  id: '',
  label: '',
  clientId: '',
  clientAuth: 'auto',
  secret: { kind: 'set', value: '' },
  privateKey: { kind: 'set', value: '' },
  keyId: '',
  scopes: preset.defaultScopes.join(' '),
  consentMode: preset.defaultConsentMode,
  issuer: '',
  tenant: preset.needs.tenant ? 'common' : '',
  authorization: '',
  token: '',
  revocation: '',
  userinfo: '',
  introspection: '',
  deviceAuthorization: '',
  apiHosts: '',
  certificate: { kind: 'keep' },
  exchange: 'direct',
  backendUrl: '',
  backendShape: defaultBackendShape(preset),
  backendRedirectUri: '',
  backendCredential: { kind: 'set', value: '' },
});

export const editProviderValues = (config: ProviderConfigView): ProviderFormValues => ({
  presetId: config.presetId,
  id: config.id,
  label: config.label,
  clientId: config.clientId,
  // A method the preset's rule gives is shown as Automatic: saving then keeps whatever is stored.
  clientAuth: config.clientAuth === 'private_key_jwt' ? 'private_key_jwt' : 'auto',
  secret: config.hasClientSecret ? { kind: 'keep' } : { kind: 'set', value: '' },
  privateKey: config.hasPrivateKey === true ? { kind: 'keep' } : { kind: 'set', value: '' },
  keyId: config.keyId ?? '',
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
  introspection: config.endpoints?.introspection ?? '',
  deviceAuthorization: config.endpoints?.deviceAuthorization ?? '',
  apiHosts: config.apiHosts?.join(' ') ?? '',
  certificate: { kind: 'keep' },
  exchange: config.backend ? 'backend' : 'direct',
  backendUrl: config.backend?.url ?? '',
  backendShape: config.backend?.shape ?? defaultBackendShape(findPreset(config.presetId)),
  backendRedirectUri: config.backend?.redirectUri ?? '',
  backendCredential: config.backend?.hasCredential ? { kind: 'keep' } : { kind: 'set', value: '' },
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
  clientAuth: values.clientAuth,
  secret: values.secret,
  privateKey: values.privateKey,
  keyId: values.keyId,
  apiHosts: values.apiHosts,
  certificate: values.certificate,
  exchange: values.exchange,
  backendUrl: values.backendUrl,
  backendShape: values.backendShape,
  backendRedirectUri: values.backendRedirectUri,
  backendCredential: values.backendCredential,
});

/** What the form sends about the client's credential: a secret, or a private key and its ID. */
const credentialInput = (
  values: ProviderFormValues,
  editing?: ProviderConfigView,
): Partial<ChannelInput<'saveProvider'>> => {
  if (values.clientAuth === 'private_key_jwt') {
    const key = values.privateKey.kind === 'set' ? values.privateKey.value.trim() : '';
    const keyId = values.keyId.trim();
    return {
      clientAuth: 'private_key_jwt',
      ...(values.privateKey.kind === 'remove'
        ? { privateKey: null }
        : key
          ? { privateKey: key }
          : {}),
      ...(keyId ? { keyId } : editing?.keyId !== undefined ? { keyId: null } : {}),
    };
  }
  const secret = values.secret.kind === 'set' ? values.secret.value.trim() : '';
  return {
    ...(values.clientAuth !== 'auto' ? { clientAuth: values.clientAuth } : {}),
    // An empty secret box means "none given": the stored one stays, or the API says it is needed.
    ...(values.secret.kind === 'remove'
      ? { clientSecret: null }
      : secret
        ? { clientSecret: secret }
        : {}),
  };
};

export const splitScopes = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Hosts as typed, apart: not lower-cased, so a refusal names the user's own text. */
export const splitApiHosts = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

/**
 * Whether the form offers the provider's own API hosts: where its preset knows none (the custom
 * ones), where its tokens also open the user's own APIs (Entra), or where the configuration
 * edited has some already (to see and remove them). A preset that knows all its APIs (GitHub:
 * api.github.com) would only invite hosts its tokens do not open.
 */
export const offersApiHosts = (preset: ProviderPreset, editing?: ProviderConfigView): boolean =>
  (preset.apiHosts ?? []).length === 0 ||
  preset.ownApis === true ||
  (editing?.apiHosts ?? []).length > 0;

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
  const endpoints = [
    values.authorization,
    values.token,
    values.revocation,
    values.userinfo,
    values.introspection,
    values.deviceAuthorization,
  ].map((value) => value.trim());
  const [
    authorization = '',
    token = '',
    revocation = '',
    userinfo = '',
    introspection = '',
    deviceAuthorization = '',
  ] = endpoints;
  return {
    presetId: values.presetId,
    ...(id ? { id } : {}),
    ...(label ? { label } : {}),
    clientId: values.clientId.trim(),
    scopes: splitScopes(values.scopes),
    consentMode: values.consentMode,
    ...exchangeInput(values, editing),
    ...((preset.needs.issuer || preset.selfManaged === true) && values.issuer.trim()
      ? { issuer: values.issuer.trim() }
      : {}),
    ...(preset.needs.tenant && values.tenant.trim() ? { tenant: values.tenant.trim() } : {}),
    ...(preset.needs.endpoints && endpoints.some(Boolean)
      ? {
          endpoints: {
            authorization,
            token,
            ...(revocation ? { revocation } : {}),
            ...(userinfo ? { userinfo } : {}),
            ...(introspection ? { introspection } : {}),
            ...(deviceAuthorization ? { deviceAuthorization } : {}),
          },
        }
      : {}),
    ...(sendsApiHosts ? { apiHosts } : {}),
    ...certificateInput(values.certificate),
  };
};

/**
 * Direct: the client's own credential, and `backend: null` when the edited provider had a
 * backend (back to direct). Through a backend: the backend object, never a client secret, client
 * authentication or private key (the backend holds the client's credential); its credential only
 * when one is typed (a string sets it), `null` when the stored one is removed, absent to keep it.
 */
const exchangeInput = (
  values: ProviderFormValues,
  editing?: ProviderConfigView,
): Partial<ChannelInput<'saveProvider'>> => {
  if (values.exchange === 'direct')
    return { ...credentialInput(values, editing), ...(editing?.backend ? { backend: null } : {}) };
  const credential =
    values.backendCredential.kind === 'set' ? values.backendCredential.value.trim() : '';
  return {
    backend: {
      url: values.backendUrl.trim(),
      shape: values.backendShape,
      redirectUri: values.backendRedirectUri.trim(),
      ...(values.backendCredential.kind === 'remove'
        ? { credential: null }
        : credential
          ? { credential }
          : {}),
    },
  };
};

/** The certificate's fields of a save: PEM text as given (trimmed), an empty box left out. */
const certificateInput = (
  change: CertificateChange,
): Pick<ChannelInput<'saveProvider'>, 'clientCertificate' | 'clientPrivateKey'> => {
  if (change.kind === 'keep') return {};
  if (change.kind === 'remove') return { clientCertificate: null };
  const certificate = change.certificate.trim();
  const privateKey = change.privateKey.trim();
  return {
    ...(certificate ? { clientCertificate: `${certificate}\n` } : {}),
    ...(privateKey ? { clientPrivateKey: `${privateKey}\n` } : {}),
  };
};

const FIELD_BY_PATH: Readonly<Record<string, ProviderField>> = {
  presetId: 'presetId',
  id: 'id',
  label: 'label',
  clientId: 'clientId',
  clientAuth: 'clientAuth',
  clientSecret: 'clientSecret',
  privateKey: 'privateKey',
  keyId: 'keyId',
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
  'endpoints.introspection': 'introspection',
  'endpoints.deviceAuthorization': 'deviceAuthorization',
  apiHosts: 'apiHosts',
  clientCertificate: 'clientCertificate',
  clientPrivateKey: 'clientPrivateKey',
  backend: 'exchange',
  'backend.url': 'backendUrl',
  'backend.shape': 'backendShape',
  'backend.redirectUri': 'backendRedirectUri',
  'backend.credential': 'backendCredential',
};

/** The direct exchange's fields, hidden through a backend: a complaint about them goes to the choice. */
const DIRECT_ONLY = new Set<ProviderField>(['clientSecret', 'clientAuth', 'privateKey', 'keyId']);

/**
 * Whether the form offers "Device code": the preset or the typed endpoints name a device
 * authorization endpoint, or discovery may (shared/providers.ts, mayOfferDeviceCode).
 */
export const offersDeviceCode = (values: ProviderFormValues, preset: ProviderPreset): boolean =>
  values.exchange === 'direct' &&
  mayOfferDeviceCode(
    preset,
    preset.needs.endpoints
      ? { deviceAuthorization: values.deviceAuthorization.trim() || undefined }
      : undefined,
  );

/** Lists typed in one box: each item's path (`scopes.3`, `apiHosts.0`) belongs to that box. */
const LIST_FIELDS = ['scopes', 'apiHosts'] as const satisfies readonly ProviderField[];

/**
 * The input that owns an API field path; `scopes.3` belongs to the one Scopes box. With `values`
 * (the form as sent), a path whose field is hidden (the client secret through a backend) goes to
 * the field that hid it, so no complaint is lost.
 */
export const providerFieldFor = (
  path: string,
  values?: Pick<ProviderFormValues, 'exchange'>,
): ProviderField | undefined => {
  const field = FIELD_BY_PATH[path] ?? LIST_FIELDS.find((list) => path.startsWith(`${list}.`));
  return values?.exchange === 'backend' && field !== undefined && DIRECT_ONLY.has(field)
    ? 'exchange'
    : field;
};

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
    case 'privateKey':
      return values.privateKey.kind === 'set' && values.privateKey.value.trim() === '';
    case 'clientAuth':
      return false;
    case 'scopes':
      return splitScopes(values.scopes).length === 0;
    case 'apiHosts':
      return splitApiHosts(values.apiHosts).length === 0;
    case 'clientCertificate':
      return values.certificate.kind === 'set' && values.certificate.certificate.trim() === '';
    case 'clientPrivateKey':
      return values.certificate.kind === 'set' && values.certificate.privateKey.trim() === '';
    case 'backendCredential':
      return (
        values.backendCredential.kind === 'set' && values.backendCredential.value.trim() === ''
      );
    case 'presetId':
    case 'consentMode':
    case 'exchange':
    case 'backendShape':
      return false;
    default:
      return values[field].trim() === '';
  }
};
