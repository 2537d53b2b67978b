import { useCallback, useEffect, useState, type RefObject } from 'react';

const INVALID = '[aria-invalid="true"], [data-invalid]';

/**
 * After a refused submit, once the errors are on screen, the first invalid field (in the form's
 * order, not the API's) takes the focus. Returns the function that asks for it.
 */
export const useFocusFirstInvalid = (form: RefObject<HTMLElement | null>): (() => void) => {
  const [requests, setRequests] = useState(0);
  useEffect(() => {
    if (requests > 0) form.current?.querySelector<HTMLElement>(INVALID)?.focus();
  }, [requests, form]);
  return useCallback(() => setRequests((count) => count + 1), []);
};
