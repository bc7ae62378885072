/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** The Content-Security-Policy of playground/index.html's <meta>, sent as a header too (one policy, written once). */
function pagePolicy(): string {
  const html = readFileSync(new URL('playground/index.html', import.meta.url), 'utf8');
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  if (policy === undefined) throw new Error('playground/index.html has no Content-Security-Policy <meta>');
  return policy;
}
const securityHeaders = { 'Content-Security-Policy': pagePolicy() };

export default defineConfig({
  root: 'playground',
  plugins: [svelte({ configFile: false })],
  server: { fs: { allow: [repoRoot] }, headers: securityHeaders },
  preview: { headers: securityHeaders },
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
