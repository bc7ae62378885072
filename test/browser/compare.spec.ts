// Two configurations side by side (issue 10, item 6), as a person sees them: exactly-once
// against at-least-once on the same seed and fault; the page names what B changes, flags
// B's duplicates with an icon and words, and both sides move with the one time slider.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

test('compare exactly-once with at-least-once: duplicates flagged, both sides in step', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=two-phase-commit-lifecycle&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const panel = page.getByTestId('compare-panel');
  // Reached by keyboard: the disclosure opens with Enter.
  await panel.locator('summary').focus();
  await page.keyboard.press('Enter');
  await panel.getByTestId('compare-choice').selectOption({ label: 'sink out: at-least-once instead of two-phase-commit' });
  await panel.getByTestId('compare-run').click();
  await expect(panel.getByTestId('compare-what')).toContainText('B: sink out: at-least-once instead of two-phase-commit', { timeout: 60_000 });

  const sink = panel.locator('[data-testid="compare-sink"][data-sink="out"]');
  await expect(sink).toContainText('16 records in A, 20 in B; 4 differ');
  const rows = sink.getByTestId('compare-row');
  await expect(rows).toHaveCount(4);
  for (const row of await rows.all()) await expect(row).toContainText('⊕ duplicated in B: 2× against 1×');

  // In step: at the end both have committed everything; at t = 0 neither has.
  const slider = page.getByTestId('time-slider');
  await expect(panel.locator('[data-testid="compare-committed-a"][data-sink="out"]')).toHaveText('16');
  await expect(panel.locator('[data-testid="compare-committed-b"][data-sink="out"]')).toHaveText('20');
  // The difference is marked by a sign and words, not colour alone.
  const outRow = panel.getByTestId('compare-sides').getByRole('row', { name: /sink out committed/ });
  await expect(outRow).toContainText('≠ differs from A');
  await slider.fill('0');
  await expect(outRow).not.toContainText('differs from A');
  await expect(panel.locator('[data-testid="compare-committed-a"][data-sink="out"]')).toHaveText('0');
  await expect(panel.locator('[data-testid="compare-committed-b"][data-sink="out"]')).toHaveText('0');
  await panel.getByTestId('compare-jump').click();
  const jumped = Number(await page.getByTestId('virtual-time').textContent());
  expect(jumped).toBeGreaterThan(0);
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'compare.png'), fullPage: false });
  expect(problems).toEqual([]);
});


test('an idempotent sink is compared by its table: replayed upserts are not duplicates', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=idempotent-sink&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const panel = page.getByTestId('compare-panel');
  await panel.locator('summary').click();
  const sink = panel.locator('[data-testid="compare-sink"][data-sink="out"]');
  await panel.getByTestId('compare-choice').selectOption({ label: 'sink out: two-phase-commit instead of idempotent' });
  await panel.getByTestId('compare-run').click();
  await expect(sink).toContainText('the same 16 rows in A and B', { timeout: 60_000 });
  await expect(sink.getByTestId('compare-by-table')).toContainText("compared by the table's final rows");
  await panel.getByTestId('compare-choice').selectOption({ label: 'sink out: at-least-once instead of idempotent' });
  await panel.getByTestId('compare-run').click();
  await expect(sink).toContainText('16 rows in A, 20 in B; 4 differ', { timeout: 60_000 });
  await expect(sink.getByTestId('compare-row')).toHaveCount(4);
  expect(problems).toEqual([]);
});
