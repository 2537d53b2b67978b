/** Facts read off the built main bundle (out/main/index.js) by the build and package specs. */

/**
 * The paths main/index.ts joins onto its own directory (`join(here, '../…')`), as the bundler
 * left them: the preload, and the renderer's folder its scheme serves the page from.
 */
export const pathsMainLoads = (source: string): string[] =>
  [...source.matchAll(/join\(\s*\w+\s*,\s*["'](\.\.\/[^"']+)["']\s*\)/g)].map((match) => match[1]!);
