/**
 * The user's provider configurations: saved, listed (without secrets), deleted, and resolved
 * into runtimes for the OAuth calls. Runtimes are cached until the configuration changes.
 */
import type { ParsedInput } from '../../../shared/ipc-contract';
import type { ConnectionTest, ProviderConfigView } from '../../../shared/model';
import {
  findPreset,
  needsSystemBrowser,
  registeredRedirectUri,
  type ProviderPreset,
} from '../../../shared/providers';
import { instanceIssuer } from '../../../shared/provider-instance';
import { serverOf } from '../../../shared/url-rules';
import { CoreFailure } from '../core-failure';
import { createClientCertificateFetch } from '../http/client-certificate-fetch';
import { testConnection } from '../oauth/connection-test';
import {
  resolveProviderRuntime,
  type ProviderRuntime,
  type RuntimeDeps,
} from '../oauth/provider-runtime';
import type { ProviderSecretChange, Repository } from '../storage/repository';
import { signInMode, type StoredProviderConfig } from '../storage/store-schema';
import { backendChange, backendMoved, backendView } from './backend-setting';
import { ClientCertificates } from './client-certificates';
import { chosenCredential, credentialView } from './client-credential';
import { ConfigRejected } from './config-rejected';

export { ConfigRejected };

/** What decides where a configuration sends the user and the secrets. */
type Destination = Pick<
  StoredProviderConfig,
  'clientId' | 'issuer' | 'tenant' | 'endpoints' | 'backend'
>;

/**
 * Whether a new configuration signs in, or sends tokens or the client secret, somewhere else than
 * the stored one. Tokens and the client secret of the old one must not follow. Compared as they
 * take effect (a configuration without an issuer or endpoints uses its preset's):
 * - another client ID, issuer, tenant, authorization or token endpoint;
 * - a revocation, user-info or introspection endpoint on a server that did not get those secrets
 *   before: not the one it was on, nor the token endpoint's. The revocation endpoint receives the
 *   refresh token, the access token and the client secret; introspection the access token and
 *   the client secret; user-info the access token. Another path on the same server, or removing
 *   one, sends nothing anywhere new.
 */
const sendsElsewhere = (
  stored: StoredProviderConfig,
  next: Destination,
  preset: ProviderPreset,
): boolean => {
  const before = stored.endpoints ?? preset.endpoints;
  const after = next.endpoints ?? preset.endpoints;
  const tenantOf = (config: Destination) =>
    preset.needs.tenant ? (config.tenant ?? 'common') : undefined;
  const onNewServer = (url: string | undefined, was: string | undefined): boolean =>
    url !== undefined &&
    ![was, before?.token].some((known) => known !== undefined && serverOf(known) === serverOf(url));
  return (
    // Codes and refresh tokens go to the backend instead of the token endpoint, or back.
    backendMoved(stored.backend, next.backend) ||
    next.clientId !== stored.clientId ||
    (next.issuer ?? preset.issuer) !== (stored.issuer ?? preset.issuer) ||
    tenantOf(next) !== tenantOf(stored) ||
    after?.authorization !== before?.authorization ||
    after?.token !== before?.token ||
    onNewServer(after?.revocation, before?.revocation) ||
    onNewServer(after?.userinfo, before?.userinfo) ||
    onNewServer(after?.introspection, before?.introspection) ||
    onNewServer(after?.deviceAuthorization, before?.deviceAuthorization)
  );
};

/**
 * Whether the provider's client authenticates with a secret the user gave: the preset requires
 * one, or a public preset's configuration became a confidential client because one was saved
 * (saveProvider), or the user chose a method other than the preset's. A Custom OAuth 2.0
 * configuration says client_secret_post with or without one, so for that method it cannot be told.
 */
const expectsClientSecret = (config: StoredProviderConfig, preset: ProviderPreset): boolean =>
  // Through a backend, the backend holds the client's credential.
  (config.backend === undefined && preset.secret === 'required') ||
  config.clientAuth === 'private_key_jwt' ||
  // A method other than the preset's was chosen (saveProvider's clientAuth) with a credential.
  (config.clientAuth !== 'none' && config.clientAuth !== preset.clientAuth);

/** A configuration checked by `prepareSave`, ready for `saveAll`. */
export type PreparedSave = ProviderSecretChange;

export class ProviderDirectory {
  private readonly runtimes = new Map<string, Promise<ProviderRuntime>>();
  private readonly certificates: ClientCertificates;

  constructor(
    private readonly repo: Repository,
    readonly presets: readonly ProviderPreset[],
    private readonly deps: RuntimeDeps,
    private readonly now: () => number,
  ) {
    this.certificates = new ClientCertificates(
      repo,
      now,
      deps.clientCertificateFetch ?? createClientCertificateFetch,
    );
  }

  presetFor(config: Pick<StoredProviderConfig, 'presetId'>): ProviderPreset {
    const preset = findPreset(config.presetId, this.presets);
    if (!preset) throw new CoreFailure('unsupportedProvider');
    return preset;
  }

  /** The stored configuration, or `oauth/0` (unknown) / `oauth/1` (a preset not yet configured). */
  config(providerId: string): StoredProviderConfig {
    const config = this.repo.provider(providerId);
    if (config) return this.effective(config);
    if (findPreset(providerId, this.presets)) {
      throw new CoreFailure(
        'providerNotConfigured',
        `Add a client ID for ${findPreset(providerId, this.presets)?.name} before connecting.`,
      );
    }
    throw new CoreFailure('unsupportedProvider', `There is no provider "${providerId}".`);
  }

  /**
   * The configuration as it takes effect: a preset whose sign-in blocks embedded windows uses the
   * system browser whatever an older Tokendesk stored (saving the other mode is refused now).
   */
  private effective(config: StoredProviderConfig): StoredProviderConfig {
    // A code (device-code mode) is typed in whatever browser the user likes: no embedded window.
    return needsSystemBrowser(this.presetFor(config)) && config.consentMode === 'embedded'
      ? { ...config, consentMode: 'system-browser' }
      : config;
  }

  view(stored: StoredProviderConfig): ProviderConfigView {
    const config = this.effective(stored);
    const preset = this.presetFor(config);
    return {
      id: config.id,
      presetId: config.presetId,
      label: config.label,
      clientId: config.clientId,
      ...credentialView(config, this.repo.hasClientSecret(config.id)),
      scopes: config.scopes,
      consentMode: signInMode(config),
      clientAuth: config.clientAuth,
      ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
      ...(config.tenant !== undefined ? { tenant: config.tenant } : {}),
      ...(config.endpoints !== undefined ? { endpoints: config.endpoints } : {}),
      // Through a backend, the backend's client registered its own; Tokendesk uses that one.
      redirectUri: config.backend?.redirectUri ?? registeredRedirectUri(preset, config.id),
      ...(config.apiHosts !== undefined ? { apiHosts: config.apiHosts } : {}),
      ...this.certificates.view(config),
      ...backendView(config, this.repo.hasBackendCredential(config.id)),
    };
  }

  /**
   * "Test connection" for a configuration as the form holds it, saved or not: checked as a save
   * would check it (URL rules), then tried; nothing is stored and no secret is sent.
   */
  async testConnection(
    input: ParsedInput<'saveProvider'>,
    resolveProxy?: (url: string) => Promise<string>,
  ): Promise<ConnectionTest> {
    const { config } = this.prepareSave(
      { ...input, intent: undefined, clientSecret: undefined },
      0,
      false,
      { sharedSetup: true },
    );
    // A saved provider's client certificate (mTLS) is presented as its requests present it; a
    // certificate the form has not saved yet is not (its key is only sent with the save).
    const stored = this.repo.provider(config.id);
    const certificateFetch =
      config.clientCertificate !== undefined &&
      stored?.clientCertificate === config.clientCertificate
        ? await this.certificates.fetchFor(stored)
        : undefined;
    return testConnection(config, this.presetFor(config), {
      ...this.deps,
      ...(certificateFetch ? { baseFetch: certificateFetch } : {}),
      now: this.now,
      ...(resolveProxy ? { resolveProxy } : {}),
    });
  }

  list(): ProviderConfigView[] {
    return this.repo.providers().map((config) => this.view(config));
  }

  /**
   * Saves a provider configuration. `accountsUsing`: the accounts connected through it, whose
   * tokens would follow a change of where it signs in or sends them.
   */
  async save(
    input: ParsedInput<'saveProvider'>,
    accountsUsing: number,
    connecting = false,
  ): Promise<ProviderConfigView> {
    const prepared = this.prepareSave(input, accountsUsing, connecting);
    await this.certificates.check(input, prepared.config);
    await this.saveAll([prepared]);
    return this.view(prepared.config);
  }

  /**
   * Writes configurations `prepareSave` checked, as one change: all of them, or none when the
   * write is refused. Nothing may change the directory between their checks and this call.
   */
  async saveAll(prepared: readonly PreparedSave[]): Promise<ProviderConfigView[]> {
    await this.repo.saveProviders(prepared);
    for (const { config } of prepared) {
      this.runtimes.delete(config.id);
      this.certificates.release(config.id);
    }
    return prepared.map(({ config }) => this.view(config));
  }

  /**
   * Every check of a save, and the configuration it would store; nothing is changed. A
   * `sharedSetup` (an import: settings shared, secrets personal) carries no client secret: a
   * stored one stays while the provider keeps signing in where it did and is removed when it
   * moves (never sent to the new client or server), and a preset that requires one is saved
   * without it, to be entered before connecting.
   */
  prepareSave(
    input: ParsedInput<'saveProvider'>,
    accountsUsing: number,
    connecting = false,
    { sharedSetup = false }: { readonly sharedSetup?: boolean } = {},
  ): PreparedSave {
    const preset = findPreset(input.presetId, this.presets);
    if (!preset) throw new CoreFailure('unsupportedProvider');
    const id = input.id ?? input.presetId;
    const existing = this.repo.provider(id);
    if (existing && input.intent === 'add') {
      throw new ConfigRejected([
        {
          field: 'id',
          expression: 'unique',
          argument: id,
          reason: `"${id}" is already the configuration ID of ${existing.label}: choose another (it is part of the redirect URI), or edit that provider`,
        },
      ]);
    }
    if (!existing && input.intent === 'edit') {
      throw new ConfigRejected([
        {
          field: 'id',
          expression: 'exists',
          argument: id,
          reason: `there is no provider "${id}" any more: it may have been deleted`,
        },
      ]);
    }
    // A configuration keeps its preset: another preset is another provider, under another ID.
    if (existing && existing.presetId !== input.presetId) {
      throw new ConfigRejected([
        {
          field: 'id',
          expression: 'unique',
          argument: id,
          reason: `"${id}" is already used by a ${existing.presetId} provider`,
        },
      ]);
    }
    const tenant = preset.needs.tenant ? (input.tenant ?? existing?.tenant ?? 'common') : undefined;
    const mode = input.consentMode ?? (existing ? signInMode(existing) : preset.defaultConsentMode);
    const through = backendChange(
      input,
      existing,
      preset,
      // What the sign-in will be: a preset that blocks embedded windows uses the system browser.
      mode === 'embedded' && needsSystemBrowser(preset) ? 'system-browser' : mode,
      this.repo.hasBackendCredential(id),
    );
    const destination: Destination = {
      clientId: input.clientId,
      // The issuer exactly as typed: discovery compares the metadata's issuer with it, and some
      // end in "/" (authentik: https://host/application/o/<slug>/). oauth4webapi's
      // discoveryRequest appends the well-known path without doubling the slash, and an origin
      // typed with or without one is the same URL to its comparison.
      // A self-managed instance's URL is kept as its issuer is written (no trailing slash).
      ...(input.issuer !== undefined
        ? { issuer: preset.selfManaged === true ? instanceIssuer(input.issuer) : input.issuer }
        : {}),
      ...(tenant !== undefined ? { tenant } : {}),
      ...(input.endpoints !== undefined ? { endpoints: input.endpoints } : {}),
      ...(through.backend !== undefined ? { backend: through.backend } : {}),
    };
    const moved = existing !== undefined && sendsElsewhere(existing, destination, preset);
    if (moved && accountsUsing > 0) {
      throw new CoreFailure(
        'providerInUse',
        `${accountsUsing} account${accountsUsing === 1 ? ' is' : 's are'} connected through ${existing.label}: disconnect ${accountsUsing === 1 ? 'it' : 'them'} before changing where it signs in (client ID, issuer, tenant or endpoints). Its label, scopes and sign-in mode can change.`,
      );
    }
    if (moved && connecting) {
      throw new CoreFailure(
        'consentInProgress',
        `A sign-in with ${existing.label} is under way: finish or cancel it before changing where it signs in.`,
      );
    }
    // The secret or private key: which one the input means, and whether it is fine. Through a
    // backend there is none (the input cannot carry one): a stored one is removed, never kept
    // for a provider that does not send it.
    const credential =
      through.backend !== undefined
        ? {
            method: undefined,
            usesKey: false,
            value: this.repo.hasClientSecret(id) ? null : undefined,
          }
        : chosenCredential(input, existing, this.repo.hasClientSecret(id));
    const field = credential.usesKey ? 'privateKey' : 'clientSecret';
    const what = credential.usesKey ? 'private key' : 'client secret';
    // The stored secret belongs to the old client or server: never sent to the new one, and
    // never dropped without the user knowing: a new one, or an explicit removal, is asked for.
    const clientSecret =
      sharedSetup && moved && this.repo.hasClientSecret(id) ? null : credential.value;
    if (moved && clientSecret === undefined && this.repo.hasClientSecret(id)) {
      throw new ConfigRejected([
        {
          field,
          expression: 'required',
          reason: `the stored ${what} belongs to the old client ID or server: enter the new one, or remove it`,
        },
      ]);
    }
    if (input.consentMode === 'embedded' && needsSystemBrowser(preset)) {
      throw new ConfigRejected([
        {
          field: 'consentMode',
          expression: 'system-browser',
          reason: `${preset.name} blocks sign-in in embedded windows: choose the system browser`,
        },
      ]);
    }
    const willHaveSecret =
      clientSecret === null ? false : clientSecret !== undefined || this.repo.hasClientSecret(id);
    if (
      preset.secret === 'required' &&
      through.backend === undefined &&
      !willHaveSecret &&
      !sharedSetup
    ) {
      throw new ConfigRejected([
        {
          field,
          expression: 'required',
          reason: `${preset.name} requires the ${what}`,
        },
      ]);
    }
    // A method chosen is a confidential client: without its credential every request would fail.
    if ((credential.usesKey || input.clientAuth !== undefined) && !willHaveSecret && !sharedSetup) {
      throw new ConfigRejected([
        {
          field,
          expression: 'required',
          reason: `${credential.method ?? 'this method'} needs the client’s ${what}`,
        },
      ]);
    }
    const certificate = this.certificates.change(input, existing);
    // With a code, the browser mode kept beside it is what an older Tokendesk uses (store-schema).
    const browserMode =
      mode === 'device-code' ? (existing?.consentMode ?? preset.defaultConsentMode) : mode;
    const now = this.now();
    const config: StoredProviderConfig = {
      id,
      presetId: input.presetId,
      label: input.label ?? existing?.label ?? preset.name,
      ...destination,
      // A public preset given a secret becomes a confidential client; Basic is what RFC 6749
      // requires every server to support.
      clientAuth:
        through.backend !== undefined
          ? 'none'
          : (credential.method ??
            (preset.clientAuth !== 'none'
              ? preset.clientAuth
              : willHaveSecret
                ? 'client_secret_basic'
                : 'none')),
      ...(credential.usesKey && credential.keyId !== undefined ? { keyId: credential.keyId } : {}),
      scopes: [...(input.scopes ?? existing?.scopes ?? preset.defaultScopes)],
      ...(() => {
        // Absent: unchanged; an empty list: none of its own.
        const hosts = input.apiHosts ?? existing?.apiHosts;
        return hosts !== undefined && hosts.length > 0 ? { apiHosts: [...new Set(hosts)] } : {};
      })(),
      // An older store's 'embedded' for such a preset becomes the system browser here.
      consentMode:
        browserMode === 'embedded' && needsSystemBrowser(preset) ? 'system-browser' : browserMode,
      ...(mode === 'device-code' ? { signIn: mode } : {}),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    return {
      config: { ...config, ...certificate.stored },
      secret: clientSecret,
      privateKey: certificate.privateKey,
      backendCredential: through.credential,
    };
  }

  delete(providerId: string, accountsUsing: number): void {
    this.config(providerId);
    if (accountsUsing > 0) {
      throw new CoreFailure(
        'providerInUse',
        `Disconnect the ${accountsUsing} account${accountsUsing === 1 ? '' : 's'} of this provider before deleting it.`,
      );
    }
    this.repo.deleteProvider(providerId);
    this.runtimes.delete(providerId);
    this.certificates.release(providerId);
  }

  /** Closes the providers' mTLS connections (the app quits). */
  closeConnections(): void {
    this.certificates.closeAll();
  }

  runtime(providerId: string): Promise<ProviderRuntime> {
    const cached = this.runtimes.get(providerId);
    if (cached) return cached;
    const pending = (async () => {
      const config = this.config(providerId);
      const preset = this.presetFor(config);
      const clientSecret = await this.repo.clientSecret(providerId);
      // Without it the requests would go out unauthenticated and fail at the provider with
      // invalid_client — for a connect, only after the user has signed in.
      if (clientSecret === undefined && expectsClientSecret(config, preset)) {
        const what = config.clientAuth === 'private_key_jwt' ? 'private key' : 'client secret';
        throw new CoreFailure(
          'providerNotConfigured',
          `Tokendesk has no ${what} for ${config.label} (without a keyring secrets are kept in memory only, and are gone after a restart). Enter it again (Edit ${config.label}), then connect.`,
        );
      }
      const certificateFetch = await this.certificates.fetchFor(config);
      return resolveProviderRuntime(
        config,
        preset,
        // Through a backend nothing authenticates as the client (a stale stored secret included).
        config.backend === undefined ? clientSecret : undefined,
        certificateFetch ? { ...this.deps, baseFetch: certificateFetch } : this.deps,
        config.backend !== undefined ? await this.repo.backendCredential(providerId) : undefined,
      );
    })();
    this.runtimes.set(providerId, pending);
    pending.catch(() => this.runtimes.delete(providerId));
    return pending;
  }
}
