// What a person sees of end-to-end exactly-once after a run: the exactly-once sink's
// committed records beside the uncommitted ones a failed attempt left behind (with the
// sentence that says why a reader never sees them), the at-least-once sink's duplicates,
// and an idempotent sink's table with one row per key although rows were written twice.
// Expectations come from `weir run --json`; screenshots go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

interface Report {
  traceHash: string;
  sinks: Record<string, { committed: unknown[]; uncommitted: unknown[] }>;
  tables: Record<string, Record<string, unknown>>;
}

function report(name: string): Report {
  const args = ['--import', 'tsx', 'cli/main.ts', 'run', `scenarios/${name}.json`, '--json'];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Report;
}

async function open(page: Page, name: string): Promise<void> {
  await page.goto(`/?scenario=${name}&seed=1&run=end`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText('FINISHED');
}

test('exactly-once-vs-at-least-once: committed once, the zombie copies uncommitted, the at-least-once copies twice', async ({ page }) => {
  const problems = watchForProblems(page);
  const expected = report('exactly-once-vs-at-least-once');
  await open(page, 'exactly-once-vs-at-least-once');
  await expect(page.getByTestId('trace-hash')).toHaveText(expected.traceHash);
  const eo = page.locator('[data-testid="sink-output"][data-sink="exactlyOnce"]');
  await expect(eo.locator('h4')).toHaveText(['committed', 'uncommitted']);
  await expect(eo.getByTestId('output-row')).toHaveCount(expected.sinks['exactlyOnce']!.committed.length + expected.sinks['exactlyOnce']!.uncommitted.length);
  await expect(eo).toContainText('read_committed reader never sees them');
  await expect(eo.locator('h3 .count')).toHaveText('16 records');
  const alo = page.locator('[data-testid="sink-output"][data-sink="atLeastOnce"]');
  await expect(alo.locator('h3 .count')).toHaveText('20 records');
  await expect(alo.locator('h4')).toHaveCount(0);
  await eo.screenshot({ path: join(SCREENSHOTS, 'exactly-once-sink.png') });
  expect(problems).toEqual([]);
});

test('idempotent-sink: the table has one row per key, as the report says', async ({ page }) => {
  const problems = watchForProblems(page);
  const expected = report('idempotent-sink');
  await open(page, 'idempotent-sink');
  const table = page.locator('[data-testid="table-output"][data-table="counts"]');
  const rows = Object.keys(expected.tables['counts']!);
  await expect(table.getByTestId('table-row')).toHaveCount(rows.length);
  await expect(table.getByTestId('table-row').locator('td:first-child')).toHaveText(rows);
  await expect(table.locator('h3 .count')).toHaveText(`${rows.length} rows`);
  await expect(page.locator('[data-testid="sink-output"][data-sink="out"] h3 .count')).toHaveText(`${expected.sinks['out']!.committed.length} records`);
  await page.screenshot({ path: join(SCREENSHOTS, 'idempotent-sink.png'), fullPage: true });
  expect(problems).toEqual([]);
});

test('against the run without faults: the at-least-once sink has the four results twice, the exactly-once one nothing', async ({ page }) => {
  await open(page, 'exactly-once-vs-at-least-once');
  const comparison = page.getByTestId('comparison');
  await expect(comparison).toHaveAttribute('data-holds', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('comparison-verdict')).toHaveText(/0 lost, 4 duplicated, 0 unexpected/);
  await expect(page.getByTestId('comparison-sink')).toHaveCount(1);
  await expect(page.locator('[data-testid="comparison-sink"][data-sink="atLeastOnce"]')).toContainText('+ twice');
  await comparison.screenshot({ path: join(SCREENSHOTS, 'comparison.png') });
});

test('against the run without faults: the idempotent table ends the same, so the check holds', async ({ page }) => {
  await open(page, 'idempotent-sink');
  await expect(page.getByTestId('comparison')).toHaveAttribute('data-holds', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('comparison-verdict')).toContainText('nothing lost, nothing twice');
});
