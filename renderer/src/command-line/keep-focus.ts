import { useCallback, type RefObject } from 'react';

/**
 * The ref callback of a row that a change can take away while its button has the focus (an
 * approval revoked): the focus then goes to `fallback` (the list's heading) instead of <body>,
 * which inside a modal dialog would leave a keyboard user nowhere. common/focus-back.ts does the
 * same for the window, but its fallbacks are outside the dialog, where the focus cannot go. React
 * detaches a ref before it removes the element, so the focus is still inside when this looks.
 */
export const useKeepFocus = (fallback: RefObject<HTMLElement | null>) =>
  useCallback(
    (element: HTMLElement | null) =>
      element === null
        ? undefined
        : () => {
            if (!element.contains(document.activeElement)) return;
            queueMicrotask(() => {
              const active = document.activeElement;
              if (active === null || active === document.body) fallback.current?.focus();
            });
          },
    [fallback],
  );
