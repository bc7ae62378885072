// The small charts and the checkpoint timeline as a person sees them: a cursor that moves
// with the time slider, a legend that says each series' value at the cursor, and, for a
// chosen checkpoint, one row per subtask. Screenshots at 1366x768 go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

async function openAt(page: Page, name: string, seed: number, t: number): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/?scenario=${name}&seed=${seed}&run=end&t=${t}`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
}

// The scenarios' own seeds, which the Node tests of the same views run.
const SEED_ALIGNED = 3;
const SEED_EXPIRES = 7;

/** Scrolls `testid` to just under the sticky transport bar and takes the window at 1366x768. */
async function shoot(page: Page, testid: string, file: string): Promise<void> {
  await page.getByTestId(testid).evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 170));
  await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: false });
}

const cursorX = async (page: Page, chart: string): Promise<number> =>
  Number(await page.getByTestId(chart).getByTestId('chart-cursor').getAttribute('x1'));

test('the charts cursor moves with the time slider, and the legends say the values there', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 'checkpoint-recovery', 1, 0);
  const charts = page.getByTestId('charts');
  await charts.scrollIntoViewIfNeeded();
  await expect(charts).toBeVisible();
  const start = await cursorX(page, 'chart-throughput');
  // The run ends at 8,004 ms: 17 buckets of 500 ms, an axis to 8,500.
  await page.getByTestId('time-slider').fill('4250');
  await expect(page.getByTestId('chart-throughput').getByTestId('chart-cursor')).toHaveAttribute('data-time', '4250');
  const middle = await cursorX(page, 'chart-throughput');
  expect(middle).toBeGreaterThan(start);
  await page.getByTestId('time-slider').fill('8000');
  await expect(page.getByTestId('chart-watermark-lag').getByTestId('chart-cursor')).toHaveAttribute('data-time', '8000');
  const end = await cursorX(page, 'chart-watermark-lag');
  expect((middle - start) / (end - start)).toBeCloseTo(4250 / 8000, 2);
  // The first window results are written at 2,201 ms: four of them, one per key, in the bucket [2,000, 2,500).
  await page.getByTestId('time-slider').fill('2201');
  await expect(page.getByTestId('chart-throughput').getByTestId('chart-value')).toHaveText('4');
  await expect(page.getByTestId('chart-backpressure').getByTestId('chart-value')).toHaveText('0 of 4');
  await expect(page.getByTestId('consumer-lag').locator('tbody tr')).toHaveCount(2);
  await shoot(page, 'charts', 'charts.png');
  expect(problems).toEqual([]);
});

test('traffic-peak: backpressure shows 2 of the 4 subtasks stopped during the peak', async ({ page }) => {
  await openAt(page, 'traffic-peak', 3, 1500);
  await page.getByTestId('charts').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('chart-backpressure').getByTestId('chart-value')).toHaveText('2 of 4');
  await page.getByTestId('time-slider').fill('50');
  await expect(page.getByTestId('chart-backpressure').getByTestId('chart-value')).toHaveText('0 of 4');
  await shoot(page, 'charts', 'charts-traffic-peak.png');
});

test('the checkpoint timeline has one row per subtask, in the chart and in the table, for the checkpoint chosen', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 'checkpoints-aligned-under-backpressure', SEED_ALIGNED, 0);
  const panel = page.getByTestId('checkpoint-timeline');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.getByTestId('checkpoint-choice')).toHaveValue('1');
  const tasks = ['readings#0', 'readings#1', 'enrich#0', 'enrich#1'];
  await expect(panel.getByTestId('checkpoint-timeline-row')).toHaveCount(4);
  for (const [i, task] of tasks.entries()) await expect(panel.getByTestId('checkpoint-timeline-row').nth(i)).toHaveAttribute('data-task', task);
  const rows = panel.getByTestId('checkpoint-timeline-table-row');
  await expect(rows).toHaveCount(4);
  await expect(panel.getByTestId('checkpoint-timeline-summary')).toContainText('triggered at t = 500 ms for 4 subtasks, completed after 92 ms');
  // enrich#1's barriers waited behind the backlog: 91 ms after the trigger.
  await expect(rows.nth(3)).toContainText('+91 ms');
  await expect(rows.nth(0)).toContainText('source: none');
  await panel.getByTestId('checkpoint-choice').focus();
  await page.keyboard.press('ArrowDown');
  await expect(panel.getByTestId('checkpoint-choice')).toHaveValue('2');
  await expect(panel.getByTestId('checkpoint-timeline-summary')).toContainText('Checkpoint 2:');
  await panel.getByTestId('checkpoint-choice').selectOption('1');
  await shoot(page, 'checkpoint-timeline', 'checkpoint-timeline.png');
  expect(problems).toEqual([]);
});

test('an expired checkpoint shows the subtask that never acknowledged as a row with nothing in it', async ({ page }) => {
  await openAt(page, 'checkpoint-expires', SEED_EXPIRES, 0);
  const panel = page.getByTestId('checkpoint-timeline');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.getByTestId('checkpoint-timeline-summary')).toContainText('failed after 500 ms');
  await expect(panel.getByTestId('checkpoint-timeline-table-row').filter({ hasText: 'avg#0' })).toContainText('nothing in the trace');
  await shoot(page, 'checkpoint-timeline', 'checkpoint-timeline-expired.png');
});
