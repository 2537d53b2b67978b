/**
 * Turns the API's validationDetail into one message per form field. The API names fields by
 * dotted path (`endpoints.token`, `scopes.2`); a form maps each path to the input that holds it.
 */
import type { ValidationDetail } from '../../../shared/errors';

export interface PlacedErrors<K extends string> {
  /** Message per field, in the order the details came. */
  readonly fields: Partial<Record<K, string>>;
  /** Details no field of the form owns, as "field: reason" lines. */
  readonly unplaced: readonly string[];
}

const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/**
 * The reason as a sentence; "Required." when the user left the field empty, where the schema's
 * own wording ("must be at least 1 characters", "must be an https URL") would only confuse.
 */
export const fieldMessage = (detail: ValidationDetail, leftEmpty: boolean): string => {
  const generic = detail.expression === 'required' && detail.reason.endsWith('is required');
  return leftEmpty || generic ? 'Required.' : sentence(detail.reason);
};

export const placeErrors = <K extends string>(
  details: readonly ValidationDetail[],
  fieldFor: (path: string) => K | undefined,
  isEmpty: (field: K) => boolean,
): PlacedErrors<K> => {
  const fields: Partial<Record<K, string>> = {};
  const unplaced: string[] = [];
  for (const detail of details) {
    const field = fieldFor(detail.field);
    if (field === undefined) {
      unplaced.push(detail.field ? `${detail.field}: ${detail.reason}` : detail.reason);
      continue;
    }
    const message = fieldMessage(detail, isEmpty(field));
    const previous = fields[field];
    // One field can break several rules (too long and bad characters): say each once.
    if (previous === undefined) fields[field] = message;
    else if (!previous.includes(message)) fields[field] = `${previous} ${message}`;
  }
  return { fields, unplaced };
};
