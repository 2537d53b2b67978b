/**
 * Each main screen, where the specs reach it, checked with axe-core in the light and the dark
 * theme. The README's screenshots are not taken here: they come from the real app window, by
 * `npm run screenshots` (tests/e2e/screenshots/), so that `npm test` never rewrites tracked files.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Checks a main screen against WCAG 2.1 A/AA (names, roles, contrast, focusable controls) in the
 * light and the dark theme.
 */
export const checkAccessibility = async (page: Page, name: string): Promise<void> => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(
      violations.map(
        (v) =>
          `${v.id} (${v.impact ?? '?'}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
      `accessibility of the ${name} screen, ${colorScheme} theme`,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: null });
};
