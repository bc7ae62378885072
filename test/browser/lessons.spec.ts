// What a learner sees for the lessons of issue 3: a late record in its side output, a
// backpressured source, windows fired by the watermark. Read off the page, as a person would.
import { expect, test } from '@playwright/test';

test('late data: the late click is shown in the side output, the late firing in the sink', async ({ page }) => {
  await page.goto('/?scenario=late-data&run=end');
  await expect(page.getByTestId('run-status')).toHaveText('FINISHED');
  const sink = page.locator('[data-testid="sink-output"][data-sink="out"]');
  await expect(sink.getByTestId('output-row')).toHaveCount(5);
  await expect(sink.getByTestId('output-row').nth(2)).toContainText('value 3');
  const late = page.getByTestId('sink-output').filter({ hasText: 'late' }).filter({ hasText: 'lost' });
  await expect(late).toContainText('page lost');
});

test('backpressure: the source subtask shows time blocked on credit, the slow subtasks busy time', async ({ page }) => {
  await page.goto('/?scenario=backpressure&run=end');
  await expect(page.getByTestId('run-status')).toHaveText('FINISHED');
  const rows = page.getByTestId('job-view').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  const source = rows.filter({ hasText: 'readings#0' });
  // The table is below the fold, where the page skips rendering (content-visibility) until a person scrolls to it.
  await source.scrollIntoViewIfNeeded();
  const cells = source.locator('td');
  // columns: subtask, status, in, out, busy, backpressured, watermark
  // Polled: the page may render the scrolled-to table a frame later, and innerText of what is not rendered is empty.
  const ms = (cell: ReturnType<typeof cells.nth>) => async () => Number((await cell.innerText()).replace(/\D/g, ''));
  await expect.poll(ms(cells.nth(5))).toBeGreaterThan(100);
  await expect.poll(ms(rows.filter({ hasText: 'enrich#0' }).locator('td').nth(4))).toBeGreaterThan(100);
});

test('time characteristics: three sinks, three answers', async ({ page }) => {
  await page.goto('/?scenario=time-characteristics&run=end');
  await expect(page.getByTestId('run-status')).toHaveText('RUNNING');
  const count = (sink: string) => page.locator(`[data-testid="sink-output"][data-sink="${sink}"]`).getByTestId('output-row').count();
  expect(await count('byEventTime')).toBe(2);
  expect(await count('byProcessingTime')).toBe(3);
  expect(await count('byIngestionTime')).toBe(2);
});
