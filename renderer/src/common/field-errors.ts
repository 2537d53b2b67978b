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
 * Rules about what an empty field stands for (the Configuration ID left empty is the preset ID,
 * which may be in use): their reason names that value, so it is said as it is.
 */
const ABOUT_THE_DEFAULT = new Set(['unique', 'exists']);

/**
 * The reason as a sentence; "Required." when the user left the field empty, where the schema's
 * own wording ("must be at least 1 characters", "must be an https URL") would only confuse.
 */
export const fieldMessage = (detail: ValidationDetail, leftEmpty: boolean): string => {
  if (ABOUT_THE_DEFAULT.has(detail.expression)) return sentence(detail.reason);
  const generic = detail.expression === 'required' && detail.reason.endsWith('is required');
  return leftEmpty || generic ? 'Required.' : sentence(detail.reason);
};

/** A form's own words for a field's problem, where the API's would read as jargon; else undefined. */
export type DescribeProblem<K extends string> = (
  field: K,
  detail: ValidationDetail,
  leftEmpty: boolean,
) => string | undefined;

export const placeErrors = <K extends string>(
  details: readonly ValidationDetail[],
  fieldFor: (path: string) => K | undefined,
  isEmpty: (field: K) => boolean,
  describe?: DescribeProblem<K>,
): PlacedErrors<K> => {
  const fields: Partial<Record<K, string>> = {};
  const unplaced: string[] = [];
  for (const detail of details) {
    const field = fieldFor(detail.field);
    if (field === undefined) {
      unplaced.push(detail.field ? `${detail.field}: ${detail.reason}` : detail.reason);
      continue;
    }
    const leftEmpty = isEmpty(field);
    const message = describe?.(field, detail, leftEmpty) ?? fieldMessage(detail, leftEmpty);
    const previous = fields[field];
    // One field can break several rules (too long and bad characters): say each once.
    if (previous === undefined) fields[field] = message;
    else if (!previous.includes(message)) fields[field] = `${previous} ${message}`;
  }
  return { fields, unplaced };
};
