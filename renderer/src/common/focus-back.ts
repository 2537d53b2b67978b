/**
 * Where the focus goes when what had it disappears (a dialog closing, an alert dismissed): back
 * to the control that started it when that is still on screen and usable, else to the nearest
 * stable place, the `data-focus-fallback` element (the Accounts heading), else the window's
 * heading. Never to <body>, where a keyboard user would have to start over.
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
