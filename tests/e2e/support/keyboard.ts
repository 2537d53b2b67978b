/** Driving the renderer the way a keyboard user does, and hearing what a screen reader hears. */
import type { Page } from '@playwright/test';

/** The accessible name of the focused element, as a screen reader would announce it. */
export const focusedName = (page: Page): Promise<string> =>
  page.evaluate(() => {
    // Runs in the page; the test's tsconfig has no DOM types, so the few used are named here.
    interface Element {
      getAttribute(name: string): string | null;
      textContent: string | null;
      labels?: { textContent: string | null }[];
    }
    const { document } = globalThis as unknown as {
      document: { activeElement: Element | null; getElementById(id: string): Element | null };
    };
    const element = document.activeElement;
    if (!element) return '';
    const byId = element
      .getAttribute('aria-labelledby')
      ?.split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    const label = element.labels?.[0]?.textContent;
    return (
      element.getAttribute('aria-label') ??
      byId ??
      label ??
      element.textContent ??
      ''
    ).trim();
  });

/** Presses Tab until the control named `name` has the focus, as a keyboard user would. */
export const tabTo = async (page: Page, name: string | RegExp): Promise<void> => {
  const seen: string[] = [];
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const current = await focusedName(page);
    seen.push(current);
    if (typeof name === 'string' ? current === name : name.test(current)) return;
  }
  throw new Error(`Tab never reached "${String(name)}"; it went through: ${seen.join(' | ')}`);
};
