/**
 * Playwright: end-to-end tests of the playground in a real Chromium. The browser is the
 * machine's own (Debian's chromium; CHROMIUM_PATH overrides), never a download, so there is
 * no `playwright install` step anywhere. The web server builds the playground and serves
 * the production bundle with `vite preview`, so the tests see what users get.
 *
 * Reports go to reports/playwright.json (scripts/test.mjs sums it with Vitest's into the
 * closing `N passed, N failed` line); test-results/ is Playwright's own scratch space, which
 * it empties at every start.
 */
import { defineConfig } from '@playwright/test';

const CI = !!process.env.CI;
// WEIR_E2E_PORT lets several checkouts' test runs share a machine: each builds to its own folder and serves on its own port.
const PORT = Number(process.env.WEIR_E2E_PORT ?? 4173);
const OUT = PORT === 4173 ? 'dist' : `dist-${PORT}`;
const BASE_URL = `http://localhost:${PORT}`;

export default defineConfig({
  testDir: 'test/browser',
  testMatch: '**/*.spec.ts',
  outputDir: PORT === 4173 ? 'test-results' : `test-results-${PORT}`,
  fullyParallel: false,
  forbidOnly: CI,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: PORT === 4173 ? 'reports/playwright.json' : `reports/playwright-${PORT}.json` }]],
  use: {
    baseURL: BASE_URL,
    headless: true,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite build --outDir ../${OUT} && npx vite preview --outDir ../${OUT} --port ${PORT} --strictPort`,
    url: BASE_URL,
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
