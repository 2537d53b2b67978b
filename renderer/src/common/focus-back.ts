/**
 * Where the focus goes when what had it disappears (a dialog closing, an alert dismissed): back
 * to the control that started it when that is still on screen and usable, else to the nearest
 * stable place, the `data-focus-fallback` element (the Accounts heading, or the welcome's while
 * no provider is configured), else the window's heading. Never to <body>, where a keyboard user
 * would have to start over.
 */
const usable = (element: HTMLElement | null | undefined): element is HTMLElement =>
  element !== null &&
  element !== undefined &&
  element.isConnected &&
  !(element as HTMLButtonElement).disabled &&
  // A control inside a dialog that has closed is in the page no more than its dialog is.
  element.closest('dialog:not([open])') === null;

export const focusBack = (opener: HTMLElement | null | undefined): void => {
  const target = usable(opener)
    ? opener
    : (document.querySelector<HTMLElement>('[data-focus-fallback]') ??
      document.querySelector<HTMLElement>('[data-focus-last-resort]'));
  target?.focus();
};

/**
 * The ref callback of a part of the page that a re-render can take away while the focus is
 * inside it (the load error once Try again worked, the secrets banner once it offers nothing):
 * the focus then goes to the fallback, as focusBack's, instead of <body>. React detaches a ref
 * before it removes the element, so the focus is still inside when this looks; it moves once the
 * commit is done, unless something else (a dialog opening) has taken it meanwhile.
 */
export const focusBackOnRemoval = (element: HTMLElement | null): (() => void) | undefined =>
  element === null
    ? undefined
    : () => {
        if (!element.contains(document.activeElement)) return;
        queueMicrotask(() => {
          const active = document.activeElement;
          if (active === null || active === document.body) focusBack(undefined);
        });
      };
