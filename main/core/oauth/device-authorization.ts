/**
 * The device authorization grant (RFC 8628) on oauth4webapi: ask the provider for a user code,
 * then poll its token endpoint until the user has finished on another device, the code runs out,
 * or the attempt is cancelled. The requests go through the provider runtime's fetch, so the time
 * limits and the provider quirks (GitHub's HTTP-200 errors) apply as to every token request.
 */
import * as oauth from 'oauth4webapi';
import type { DeviceSignIn } from '../../../shared/model';
import { CoreFailure } from '../core-failure';
import { NetworkFailure } from '../http/http-client';
import { ConsentAborted, type Clock } from '../ports';
import { maskProviderText } from '../redaction';
import { requestOptionsFor, type ProviderRuntime } from './provider-runtime';
import { serverForTokenResponse } from './tenant-issuer';
import { tokenEndpointFailure } from './token-endpoint-failure';
import { checkableResponse, type ExchangeOutcome } from './token-requests';
import { toTokenSet } from './token-set';

/** RFC 8628 §3.2: the interval when the provider names none. */
export const DEFAULT_INTERVAL_MS = 5_000;
/** RFC 8628 §3.5: each `slow_down` adds this to the interval, for the rest of the attempt. */
export const SLOW_DOWN_STEP_MS = 5_000;
/**
 * Polls in a row that may fail on the network (no answer, a time-out) before the sign-in gives
 * up: the user may be typing the code for minutes, and a moment without network should not cost
 * them the code; a provider that cannot be reached at all should not leave them waiting to the
 * end of it either.
 */
export const NETWORK_FAILURES_TOLERATED = 3;

/** A started device sign-in: what the user sees, and the device code that stays in main. */
export interface DeviceCodeIssued {
  readonly shown: DeviceSignIn;
  readonly deviceCode: string;
  readonly intervalMs: number;
  /** Epoch ms when the provider's code runs out (`shown.expiresAt` may be earlier: see connector). */
  readonly expiresAt: number;
}

/** The provider's words, masked: some echo what they were sent. */
const said = (error: oauth.ResponseBodyError, secrets: readonly (string | undefined)[]) =>
  maskProviderText(
    error.error_description ? `${error.error}: ${error.error_description}` : error.error,
    secrets,
  );

/**
 * Asks for a user code (RFC 8628 §3.1–3.2). The scopes are the configuration's; the preset's
 * authorization parameters (prompt, access_type) belong to the authorization endpoint, and some
 * providers refuse them here (Google): only its `deviceAuthorizationParams` are sent.
 */
export const requestDeviceCode = async (
  runtime: ProviderRuntime,
  clock: Pick<Clock, 'now'>,
  signal: AbortSignal,
): Promise<DeviceCodeIssued> => {
  if (runtime.as.device_authorization_endpoint === undefined) {
    throw new CoreFailure(
      'deviceUnsupported',
      `${runtime.config.label} offers no sign-in with a code: its configuration names no device authorization endpoint. Choose the embedded window or the system browser.`,
    );
  }
  const sentAt = clock.now();
  let answer: oauth.DeviceAuthorizationResponse;
  try {
    const response = await oauth.deviceAuthorizationRequest(
      runtime.as,
      runtime.client,
      runtime.clientAuth,
      {
        ...runtime.preset.deviceAuthorizationParams,
        ...(runtime.config.scopes.length > 0 ? { scope: runtime.config.scopes.join(' ') } : {}),
      },
      { ...requestOptionsFor(runtime, 'device_authorization_endpoint'), signal },
    );
    answer = await oauth.processDeviceAuthorizationResponse(runtime.as, runtime.client, response);
  } catch (error) {
    if (signal.aborted) throw ConsentAborted.of(signal).toFailure();
    throw tokenEndpointFailure('exchange', error, [runtime.clientSecret]);
  }
  const interval = answer.interval;
  // Counted from when the request left, as token lifetimes are: never longer than given.
  const expiresAt = sentAt + answer.expires_in * 1000;
  return {
    expiresAt,
    deviceCode: answer.device_code,
    // Positive whole seconds only; anything else falls back to the RFC's default.
    intervalMs:
      typeof interval === 'number' && Number.isFinite(interval) && interval > 0
        ? interval * 1000
        : DEFAULT_INTERVAL_MS,
    shown: {
      userCode: answer.user_code,
      verificationUri: answer.verification_uri,
      ...(answer.verification_uri_complete !== undefined
        ? { verificationUriComplete: answer.verification_uri_complete }
        : {}),
      expiresAt,
    },
  };
};

/** Resolves after `ms` on the clock, or rejects as soon as `signal` aborts. */
const wait = (clock: Clock, ms: number, signal: AbortSignal): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(ConsentAborted.of(signal).toFailure());
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(ConsentAborted.of(signal).toFailure());
    };
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const expired = (label: string): CoreFailure =>
  new CoreFailure(
    'deviceCodeExpired',
    `The code for ${label} expired before the sign-in was finished: connect again for a new code.`,
  );

/**
 * Polls the token endpoint (RFC 8628 §3.4–3.5) every interval until tokens come. It never polls
 * at or after `issued.expiresAt`, whatever the provider keeps answering: a server that says
 * `authorization_pending` for ever ends in `deviceCodeExpired` all the same.
 */
export const pollDeviceToken = async (
  runtime: ProviderRuntime,
  issued: DeviceCodeIssued,
  clock: Clock,
  signal: AbortSignal,
): Promise<ExchangeOutcome> => {
  const { expiresAt } = issued;
  const secrets = [issued.deviceCode, runtime.clientSecret];
  let intervalMs = issued.intervalMs;
  let networkFailures = 0;
  for (;;) {
    const left = expiresAt - clock.now();
    if (left <= 0) throw expired(runtime.config.label);
    await wait(clock, Math.min(intervalMs, left), signal);
    if (clock.now() >= expiresAt) throw expired(runtime.config.label);

    const sentAt = clock.now();
    try {
      const response = await checkableResponse(
        runtime,
        await oauth.deviceCodeGrantRequest(
          runtime.as,
          runtime.client,
          runtime.clientAuth,
          issued.deviceCode,
          { ...requestOptionsFor(runtime, 'token_endpoint'), signal },
        ),
      );
      const as = await serverForTokenResponse(runtime, response);
      // No nonce in this grant (nothing to send it with); an ID token's other checks (iss, aud,
      // azp, exp, iat) still apply in processDeviceCodeResponse.
      const processed = await oauth.processDeviceCodeResponse(as, runtime.client, response);
      const claims = oauth.getValidatedIdTokenClaims(processed);
      return {
        tokens: toTokenSet(processed, sentAt),
        ...(claims ? { idTokenClaims: claims } : {}),
      };
    } catch (error) {
      if (signal.aborted) throw ConsentAborted.of(signal).toFailure();
      if (
        error instanceof NetworkFailure &&
        error.kind !== 'too-large' &&
        ++networkFailures <= NETWORK_FAILURES_TOLERATED
      ) {
        // RFC 8628 §3.5: after a connection failure, poll less often (doubled each time).
        intervalMs *= 2;
        continue;
      }
      if (!(error instanceof oauth.ResponseBodyError)) {
        throw tokenEndpointFailure('exchange', error, secrets);
      }
      networkFailures = 0;
      switch (error.error) {
        case 'authorization_pending':
          continue;
        case 'slow_down':
          intervalMs += SLOW_DOWN_STEP_MS;
          continue;
        case 'access_denied':
          throw new CoreFailure(
            'deviceDenied',
            `The sign-in with a code was denied at ${runtime.config.label} (${said(error, secrets)}).`,
            { traces: [`HTTP ${error.status}`, said(error, secrets)], oauthError: error.error },
          );
        case 'expired_token':
          throw new CoreFailure('deviceCodeExpired', expired(runtime.config.label).message, {
            traces: [`HTTP ${error.status}`, said(error, secrets)],
            oauthError: error.error,
          });
        default:
          throw tokenEndpointFailure('exchange', error, secrets);
      }
    }
  }
};
