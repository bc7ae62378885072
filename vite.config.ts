/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: 'playground',
  plugins: [svelte({ configFile: false })],
  server: { fs: { allow: [repoRoot] } },
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  // The engine's Web Worker is a module (it shares the engine's chunks with nothing else).
  worker: { format: 'es' },
  test: {
    // Vite's root is the playground; tests live at the repository root.
    root: repoRoot,
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'node_modules/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    // Some tests spawn the CLI several times (about 1 s each); on a loaded 2-core machine 5 s is too tight.
    testTimeout: 30_000,
  },
});
