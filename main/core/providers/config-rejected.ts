/**
 * A provider configuration that is well-formed but wrong (a missing required secret, a key that
 * does not match its certificate): refused with the fields it names, as `request/0`.
 */
import type { ValidationDetail } from '../../../shared/errors';

/** Raised for input that is well-formed but wrong for this preset (a missing required secret). */
export class ConfigRejected extends Error {
  constructor(readonly detail: ValidationDetail[]) {
    super('invalid provider configuration');
  }
}
