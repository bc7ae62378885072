// A person's way through the first page: open it, pick a scenario, set a seed, run, read
// the outputs and the hash; reload and find the same scenario and seed again (from the
// address, then from IndexedDB alone). Screenshots go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { nodeReport, nodeTraceHash, readStoredSettings, SCREENSHOTS, shippedScenarios, watchForProblems } from './helpers.ts';

const scenarios = shippedScenarios();
const seedOf = (name: string): number => scenarios.find((s) => s.name === name)?.seed ?? 0;
const other = scenarios.find((s) => s.name !== 'hello-map-filter')?.name ?? 'hello-map-filter';

async function whenReady(page: Page): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-ready', 'true');
}

test('pick a scenario, set a seed, run; reload and the same scenario and seed are back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const problems = watchForProblems(page);
  await page.goto('/');
  await whenReady(page);
  await expect(page.getByTestId('scenario-select')).toHaveValue('hello-map-filter');
  await expect(page.getByTestId('no-run')).toBeVisible();
  await expect(page.getByTestId('scenario-description').locator('code').first()).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'desktop-start.png') });

  await page.getByTestId('scenario-select').selectOption(other);
  await expect(page.getByTestId('scenario-title')).not.toHaveText('');
  await page.getByTestId('seed-input').fill('21');
  await expect(page).toHaveURL(new RegExp(`\\?scenario=${other}&seed=21$`));
  await page.getByTestId('run-button').click();

  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash(other, 21));
  await expect(page.getByTestId('output-row').first()).toBeVisible();
  await expect(page.getByTestId('trace-row').first()).toBeVisible();
  // The status the same run has in Node, not just any status.
  await expect(page.getByTestId('run-status')).toHaveText(nodeReport(other, 21).status);
  await expect(page).toHaveURL(new RegExp(`\\?scenario=${other}&seed=21&run=end$`));
  const saved = page.getByTestId('saved-settings');
  await expect(saved).toHaveAttribute('data-scenario', other);
  await expect(saved).toHaveAttribute('data-seed', '21');
  await page.screenshot({ path: join(SCREENSHOTS, 'desktop-run.png'), fullPage: true });

  expect(await readStoredSettings(page)).toEqual({ version: 3, stores: ['branches', 'drafts', 'settings'], lastOpened: { scenario: other, seed: 21 } });

  // A reload keeps the address, which runs the same thing again.
  await page.reload();
  await whenReady(page);
  await expect(page.getByTestId('scenario-select')).toHaveValue(other);
  await expect(page.getByTestId('seed-input')).toHaveValue('21');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash(other, 21));

  // Without an address, IndexedDB alone brings them back, ready to run.
  await page.goto('/');
  await whenReady(page);
  await expect(page.getByTestId('scenario-select')).toHaveValue(other);
  await expect(page.getByTestId('seed-input')).toHaveValue('21');
  await expect(page.getByTestId('no-run')).toBeVisible();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(page).toHaveURL(new RegExp(`\\?scenario=${other}&seed=21$`));

  expect(problems).toEqual([]);
});

test('no console errors on load and run, and no request leaves the page', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/');
  await whenReady(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty();
  await expect(page.getByTestId('storage-notice')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a seed that is not a whole number disables Run and says why', async ({ page }) => {
  await page.goto('/');
  await whenReady(page);
  await page.getByTestId('seed-input').fill('1.5');
  await expect(page.getByTestId('run-button')).toBeDisabled();
  await expect(page.getByTestId('seed-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('A seed is a whole number')).toBeVisible();
  await page.getByTestId('seed-input').fill('-4');
  await expect(page.getByTestId('run-button')).toBeEnabled();
});

test('an address naming no shipped scenario opens the default and says so', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=no-such-lesson&seed=3&run=end');
  await whenReady(page);
  await expect(page.getByTestId('address-notice')).toHaveText('There is no shipped scenario named “no-such-lesson”.');
  await expect(page.getByTestId('scenario-select')).toHaveValue('hello-map-filter');
  await expect(page.getByTestId('no-run')).toBeVisible();
  expect(problems).toEqual([]);
});

test('when the browser refuses storage the page still runs and says settings are not kept', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'indexedDB', {
      configurable: true,
      get() {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      },
    });
  });
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&seed=4&run=end');
  await expect(page.getByTestId('storage-notice')).toContainText('Settings are not kept in this browser');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('hello-map-filter', 4));
  await page.screenshot({ path: join(SCREENSHOTS, 'storage-refused.png') });
  expect(problems).toEqual([]);
});

test('on a narrow screen the page is one readable column', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/?scenario=${other}&seed=2&run=end`);
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash(other, 2));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'narrow-run.png'), fullPage: true });
});

test('picking a lesson runs it: the transport stands at t=0 above the fold at 1366x768, at a speed that plays it in 20 s or more', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter');
  await whenReady(page);
  // Before any run, a Run sits in view beside "Nothing has run yet".
  await expect(page.getByTestId('run-now')).toBeInViewport();
  await page.getByTestId('scenario-select').selectOption('late-data');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', seedOf('late-data')), { timeout: 30_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('0');
  await expect(page.getByTestId('play')).toBeInViewport();
  const speed = page.locator('[data-testid="transport"] .speed select');
  const end = Number(await page.getByTestId('time-slider').getAttribute('max'));
  expect(end / Number(await speed.inputValue())).toBeGreaterThanOrEqual(20);
  await page.screenshot({ path: join(SCREENSHOTS, 'lesson-picked.png') });
  // A speed the person picks stays for the next lesson.
  await speed.selectOption('1000');
  await page.getByTestId('scenario-select').selectOption('checkpoint-recovery');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('checkpoint-recovery', seedOf('checkpoint-recovery')), { timeout: 30_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('0');
  await expect(speed).toHaveValue('1000');
  expect(problems).toEqual([]);
});
