/**
 * The README's screenshots of the main screens, taken where the specs reach them, each screen
 * checked with axe-core on the way.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * Screenshots a main screen for the README, and checks it with axe-core against WCAG 2.1 A/AA
 * (names, roles, contrast, focusable controls) in the light and the dark theme.
 */
export const shoot = async (
  page: Page,
  name: string,
  options: { readonly darkToo?: boolean } = {},
): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, animations: 'disabled' });
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    if (colorScheme === 'dark' && options.darkToo) {
      await page.screenshot({ path: `${SCREENSHOTS}${name}-dark.png`, animations: 'disabled' });
    }
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
