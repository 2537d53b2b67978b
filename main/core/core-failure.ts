/**
 * The core's one error class, for every layer of it (storage, HTTP, OAuth, accounts, consent).
 * It carries the name of an entry in shared/errors.ts, so the API turns any failure into the
 * renderer's `{ group, code, message, validationDetail }` shape without guessing.
 */
import { errorOf, type ApiError, type ErrorName } from '../../shared/errors';

/**
 * Why a request failed before an HTTP answer was read.
 * - `not-sent`: the connection could not be made; the provider never saw the request.
 * - `lost`: the request may have reached the provider but its answer did not come back whole
 *   (time-out, reset, truncated body). With rotating refresh tokens this matters: the old token
 *   may already be spent.
 * - `too-large`: the answer exceeded the size cap.
 */
export type NetworkFailureKind = 'not-sent' | 'lost' | 'too-large';

export class CoreFailure extends Error {
  constructor(
    readonly errorName: ErrorName,
    message?: string,
    readonly details: {
      readonly traces?: readonly string[];
      /** The provider's OAuth error code (`invalid_grant`, …), when there was one. */
      readonly oauthError?: string;
      readonly network?: NetworkFailureKind;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message ?? errorOf(errorName).message, { cause: details.cause });
    this.name = 'CoreFailure';
  }

  toApiError(): ApiError {
    return errorOf(this.errorName, {
      message: this.message,
      ...(this.details.traces ? { traces: this.details.traces } : {}),
    });
  }
}
