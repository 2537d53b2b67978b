import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * A sandboxed preload can `require` nothing but `electron` (docs/ARCHITECTURE.md): fail the build
 * unless the preload is one CommonJS file whose only external import is electron.
 */
const preloadIsOneSandboxedBundle = (): Plugin => ({
  name: 'tokendesk:preload-is-one-sandboxed-bundle',
  apply: 'build',
  generateBundle(_options, bundle) {
    const chunks = Object.values(bundle).filter((output) => output.type === 'chunk');
    if (chunks.length !== 1) {
      this.error(`the preload must be one bundle, got ${chunks.map((c) => c.fileName).join(', ')}`);
    }
    for (const chunk of chunks) {
      const external = [...chunk.imports, ...chunk.dynamicImports].filter(
        (id) => id !== 'electron',
      );
      if (external.length > 0) {
        this.error(
          `the sandboxed preload may require only electron, but ${chunk.fileName} requires ${external.join(', ')}`,
        );
      }
    }
  },
});

export default defineConfig({
  // out/main/index.js, ESM ("type": "module"). Every npm dependency is bundled (electron-store is
  // ESM-only and imports electron, so it must be bundled; the rest follow so that out/ is
  // self-contained). electron and Node built-ins stay external (electron-vite's preset).
  main: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('main/index.ts') },
      },
    },
  },
  // out/preload/index.cjs: one CommonJS bundle, because a sandboxed preload cannot load ESM or
  // require anything but electron.
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('main/preload/index.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          codeSplitting: false, // rolldown's name for rollup's inlineDynamicImports: true
        },
      },
    },
    plugins: [preloadIsOneSandboxedBundle()],
  },
  // out/renderer/index.html and its assets.
  renderer: {
    root: fromRoot('renderer'),
    build: {
      outDir: fromRoot('out/renderer'),
      // electron-vite leaves renderer output unminified by default; minified is what ships, and
      // what the bundle-size figure in `npm run bench` measures.
      minify: true,
      rolldownOptions: {
        input: { index: fromRoot('renderer/index.html') },
      },
    },
    plugins: [react()],
  },
});
