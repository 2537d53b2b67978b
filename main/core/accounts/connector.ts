/**
 * Connecting an account: authorization request → consent port → callback → code exchange →
 * identity → account upserted (same person updates, another person adds). Also the exchange of
 * a code obtained outside the app.
 */
import * as oauth from 'oauth4webapi';
import type { ConnectStage, DeviceSignIn } from '../../../shared/model';
import { callbackPath, registeredRedirectUri } from '../../../shared/providers';
import { ConsentAborted, type Clock, type ConsentPort, type Logger } from '../ports';
import { buildAuthorizationRequest } from '../oauth/authorization-request';
import { pollDeviceToken, requestDeviceCode } from '../oauth/device-authorization';
import { parseCallback } from '../oauth/callback';
import { identify, type Identity } from '../oauth/identity';
import { CoreFailure } from '../core-failure';
import { maskProviderText } from '../redaction';
import type { ProviderRuntime } from '../oauth/provider-runtime';
import { exchangeCode, type ExchangeOutcome } from '../oauth/token-requests';
import type { ProviderDirectory } from '../providers/provider-directory';
import type { Repository } from '../storage/repository';
import { signInMode, type StoredAccount } from '../storage/store-schema';
import { accountFromTokens, accountIdFor } from './account-record';
import type { AccountLocks } from './account-locks';
import { messageOf } from '../../../shared/errors';

export interface ConnectorDeps {
  readonly repo: Repository;
  readonly providers: ProviderDirectory;
  readonly consent: ConsentPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly consentTimeoutMs: number;
  /** `device` with 'waiting-for-device' only: the code to show, never the device code. */
  readonly progress: (providerId: string, stage: ConnectStage, device?: DeviceSignIn) => void;
  readonly changed: () => void;
  /** Shared with the Refresher: a reconnect waits for a refresh of the same account, and back. */
  readonly locks: AccountLocks;
}

export interface WaitingDeviceSignIn {
  readonly userCode: string;
  readonly page: string;
}

export interface Connected {
  readonly account: StoredAccount;
  readonly created: boolean;
  readonly accessToken: string;
}

/** Settles with `work`, or rejects as soon as `signal` aborts (a port that ignores the signal). */
const raceAbort = <T>(work: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      // Still observe `work`: a port that rejects too would otherwise be an unhandled rejection.
      work.catch(() => undefined);
      reject(ConsentAborted.of(signal));
      return;
    }
    const onAbort = () => reject(ConsentAborted.of(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });

export class Connector {
  private readonly attempts = new Map<string, AbortController>();
  /** Per sign-in with a code that waits for the user: the code, and the page to type it on. */
  private readonly deviceSignIns = new Map<string, WaitingDeviceSignIn>();

  constructor(private readonly deps: ConnectorDeps) {}

  /** Whether a sign-in with this provider is under way. */
  isConnecting(providerId: string): boolean {
    return this.attempts.has(providerId);
  }

  /**
   * The sign-in with a code waiting for the user at this provider, for Copy code and Open page:
   * the renderer names the provider, never a URL, so main opens only what the provider sent.
   */
  waitingDeviceSignIn(providerId: string): WaitingDeviceSignIn | undefined {
    return this.deviceSignIns.get(providerId);
  }

  cancel(providerId: string): boolean {
    const attempt = this.attempts.get(providerId);
    if (!attempt) return false;
    attempt.abort('cancelled');
    return true;
  }

  async connect(providerId: string): Promise<Connected> {
    if (this.attempts.has(providerId)) throw new CoreFailure('consentInProgress');
    const controller = new AbortController();
    this.attempts.set(providerId, controller);
    const timer = this.deps.clock.setTimeout(
      () => controller.abort('timeout'),
      this.deps.consentTimeoutMs,
    );
    const deadline = this.deps.clock.now() + this.deps.consentTimeoutMs;
    this.deps.progress(providerId, 'starting');
    try {
      const connected = await this.run(providerId, controller.signal, deadline);
      this.deps.progress(providerId, 'done');
      return connected;
    } catch (error) {
      this.deps.progress(providerId, 'failed');
      throw error;
    } finally {
      this.deps.clock.clearTimeout(timer);
      this.attempts.delete(providerId);
      this.deviceSignIns.delete(providerId);
    }
  }

  /** `exchange({ provider, code })`: a code the user obtained outside the app. */
  async exchangeExternal(
    providerId: string,
    code: string,
    redirectUri: string | undefined,
    codeVerifier: string | undefined,
  ): Promise<Connected> {
    const runtime = await this.deps.providers.runtime(providerId);
    const params = new URLSearchParams({ code });
    // The code came without an authorization response around it: no state to check, and the
    // issuer is the one the user chose.
    if (runtime.as.authorization_response_iss_parameter_supported)
      params.set('iss', runtime.as.issuer);
    const branded = oauth.validateAuthResponse(
      runtime.as,
      runtime.client,
      params,
      oauth.skipStateCheck,
    );
    const outcome = await exchangeCode(
      runtime,
      branded,
      {
        redirectUri:
          redirectUri ??
          runtime.backend?.redirectUri ??
          registeredRedirectUri(runtime.preset, providerId),
        ...(codeVerifier !== undefined ? { codeVerifier } : {}),
        outsideCode: true,
      },
      () => this.deps.clock.now(),
    );
    return this.store(runtime, outcome);
  }

  private async run(providerId: string, signal: AbortSignal, deadline: number): Promise<Connected> {
    const runtime = await this.deps.providers.runtime(providerId);
    if (signInMode(runtime.config) === 'device-code') {
      return this.runDevice(runtime, signal, deadline);
    }
    const aborted = (): CoreFailure => ConsentAborted.of(signal).toFailure();

    let session;
    try {
      session = await this.deps.consent.begin({
        providerId,
        providerName: runtime.config.label,
        mode: runtime.config.consentMode,
        redirectHost: runtime.preset.redirectHost,
        callbackPath: callbackPath(providerId),
        // A token backend's client registered its own, which its exchange names: used as is.
        ...(runtime.backend !== undefined ? { redirectUri: runtime.backend.redirectUri } : {}),
        signal,
      });
    } catch (error) {
      if (signal.aborted) throw aborted();
      // The port's own failure (e.g. ::1 held at every port for a localhost redirect) says more
      // than "could not be opened": shown as it is.
      if (error instanceof CoreFailure) throw error;
      throw new CoreFailure('consentUnavailable', undefined, {
        traces: [messageOf(error)],
        cause: error,
      });
    }

    let callback: URL;
    let pending: Awaited<ReturnType<typeof buildAuthorizationRequest>>;
    // Everything from here to the callback runs inside the try, so the window or listener the
    // port opened is closed whatever fails (a bad endpoint in the metadata included).
    try {
      pending = await buildAuthorizationRequest(runtime, session.redirectUri);
      this.deps.progress(providerId, 'waiting-for-consent');
      callback = await raceAbort(session.authorize(pending.url), signal);
    } catch (error) {
      if (signal.aborted) throw aborted();
      if (error instanceof CoreFailure) throw error;
      if (error instanceof ConsentAborted) throw error.toFailure();
      throw new CoreFailure('consentUnavailable', undefined, {
        traces: [messageOf(error)],
        cause: error,
      });
    } finally {
      await session.close();
    }
    if (signal.aborted) throw aborted();

    const result = parseCallback(callback, {
      state: pending.state,
      as: runtime.as,
      client: runtime.client,
    });
    switch (result.kind) {
      case 'state-mismatch':
        throw new CoreFailure('consentStateMismatch');
      case 'issuer-mismatch':
        throw new CoreFailure('consentIssuerMismatch', undefined, {
          traces: [`expected ${runtime.as.issuer}, received ${result.received ?? 'no issuer'}`],
        });
      case 'malformed':
        throw new CoreFailure('consentMalformed', undefined, { traces: [result.reason] });
      case 'provider-error': {
        // The provider's own words, minus anything secret it may have echoed back.
        const said = maskProviderText(
          result.description ? `${result.error}: ${result.description}` : result.error,
          [pending.codeVerifier, runtime.clientSecret],
        );
        throw result.error === 'access_denied'
          ? new CoreFailure(
              'consentDenied',
              `Consent was denied at ${runtime.preset.name === runtime.config.label ? runtime.preset.name : runtime.config.label} (${said}).`,
              {
                traces: [said],
                oauthError: result.error,
              },
            )
          : new CoreFailure(
              'consentProviderError',
              `${runtime.config.label} returned an error instead of an authorization code (${said}).`,
              {
                traces: [said],
                oauthError: result.error,
              },
            );
      }
      case 'code':
        break;
    }

    this.deps.progress(providerId, 'exchanging');
    const outcome = await exchangeCode(
      runtime,
      result.params,
      {
        redirectUri: pending.redirectUri,
        ...(pending.codeVerifier !== undefined ? { codeVerifier: pending.codeVerifier } : {}),
        ...(pending.nonce !== undefined ? { nonce: pending.nonce } : {}),
      },
      () => this.deps.clock.now(),
    );
    this.deps.progress(providerId, 'identifying');
    return this.store(runtime, outcome);
  }

  /**
   * The device authorization grant (RFC 8628): no consent port, no redirect. The user types the
   * code shown on the provider's page, anywhere; the answer is then stored exactly as a code
   * exchange's. The connect's time limit still holds: the countdown shown is the earlier of the
   * code's expiry and that limit.
   */
  private async runDevice(
    runtime: ProviderRuntime,
    signal: AbortSignal,
    deadline: number,
  ): Promise<Connected> {
    const providerId = runtime.config.id;
    const issued = await requestDeviceCode(runtime, this.deps.clock, signal);
    this.deviceSignIns.set(providerId, {
      userCode: issued.shown.userCode,
      // The page with the code filled in saves the user typing it, where the provider has one.
      page: issued.shown.verificationUriComplete ?? issued.shown.verificationUri,
    });
    this.deps.progress(providerId, 'waiting-for-device', {
      ...issued.shown,
      expiresAt: Math.min(issued.shown.expiresAt, deadline),
    });
    const outcome = await pollDeviceToken(runtime, issued, this.deps.clock, signal);
    this.deviceSignIns.delete(providerId);
    this.deps.progress(providerId, 'identifying');
    return this.store(runtime, outcome);
  }

  private async store(runtime: ProviderRuntime, outcome: ExchangeOutcome): Promise<Connected> {
    const identity = await identify(runtime, outcome);
    const accountId = accountIdFor(runtime.config.id, identity.subject);
    // A refresh of this account under way finishes first, so the refresh token kept below is
    // the newest one and the refresh's own save or refusal cannot land on the new tokens.
    return this.deps.locks.run(accountId, () => this.save(runtime, outcome, identity, accountId));
  }

  private async save(
    runtime: ProviderRuntime,
    outcome: ExchangeOutcome,
    identity: Identity,
    accountId: string,
  ): Promise<Connected> {
    const { repo } = this.deps;
    const existing = repo.account(accountId);
    let previous;
    try {
      previous = existing ? await repo.accountSecrets(existing.id) : undefined;
    } catch {
      // An unreadable old secret is replaced by the new one: that is what reconnecting is for.
      previous = undefined;
    }
    // A reconnect without a new refresh token keeps the old one: it may well still work.
    const refreshToken = outcome.tokens.refreshToken ?? previous?.refreshToken;
    const account = accountFromTokens(
      runtime.config,
      identity,
      outcome.tokens,
      refreshToken !== undefined,
      existing,
      this.deps.clock.now(),
    );
    // The tokens exist nowhere else (a code is spent once): a disk that refuses them keeps them
    // for the session, reported as unsaved, and saved at the next write that succeeds.
    await repo.saveAccount(
      account,
      {
        accessToken: outcome.tokens.accessToken,
        ...(refreshToken !== undefined ? { refreshToken } : {}),
        ...(outcome.tokens.idToken !== undefined ? { idToken: outcome.tokens.idToken } : {}),
      },
      { keepInMemoryOnFailure: true },
    );
    this.deps.logger.info(existing ? 'account reconnected' : 'account connected', {
      accountId: account.id,
      providerId: runtime.config.id,
    });
    this.deps.changed();
    return { account, created: existing === undefined, accessToken: outcome.tokens.accessToken };
  }
}
