// What a person sees of checkpoints and restarts after a run, as in Flink's web UI: the
// checkpoint history, the restarts with their cause and the checkpoint they restored from,
// and one sentence (not an empty table) for a job that takes no checkpoints. Read off the
// page; expectations come from `weir run --json` and from the lesson of the scenario.
// Screenshots go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeShare } from '../../playground/src/lib/share.ts';
import { nodeReport, REPO_ROOT, SCREENSHOTS, shippedScenarios, watchForProblems, type NodeReport } from './helpers.ts';

const SHIPPED = 'checkpoint-recovery';

/** Shipped scenarios that take checkpoints or inject faults: the ones with something to show here. */
const recovering = shippedScenarios().filter((s) => {
  const data = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', `${s.name}.json`), 'utf8')) as Record<string, unknown>;
  const config = (data['config'] ?? {}) as Record<string, unknown>;
  return config['checkpointing'] !== undefined || Array.isArray(data['faults']) || Array.isArray(data['actions']);
});

async function finished(page: Page, status = 'FINISHED'): Promise<void> {
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('run-status')).toHaveText(status);
}

/** The page's checkpoint history and restarts are the report's. */
async function expectReportShown(page: Page, report: NodeReport): Promise<void> {
  await expect(page.getByTestId('trace-hash')).toHaveText(report.traceHash);
  const rows = page.getByTestId('checkpoint-row');
  await expect(rows).toHaveCount(report.checkpoints.length);
  await expect(rows.locator('td:first-child')).toHaveText(report.checkpoints.map((c) => String(c.id)));
  await expect(rows.getByTestId('checkpoint-status')).toHaveText(report.checkpoints.map((c) => c.status.replace('_', ' ')));
  const restarts = page.getByTestId('restart-row');
  await expect(restarts).toHaveCount(report.restarts.length);
  await expect(restarts.getByTestId('restart-cause')).toHaveText(report.restarts.map((r) => r.cause));
  await expect(restarts.getByTestId('restart-restored')).toHaveText(
    report.restarts.map((r) => (r.restoredFrom === null ? /^nothing/ : new RegExp(`^(checkpoint|savepoint) ${r.restoredFrom}\\b`))),
  );
  if (report.status === 'FAILED' && report.restarts.length > 0) await expect(page.getByTestId('restarts-gave-up')).toBeVisible();
}

/**
 * The lesson of a job killed once and checkpointed every second: seven COMPLETED rows, the
 * restart between the checkpoint it restored from and the next, that checkpoint marked, one
 * restart row with its cause, and every subtask redeployed once (attempt 2).
 */
async function expectOneRestartFrom(page: Page, restoredFrom: number, failedAtMs: number): Promise<void> {
  const rows = page.getByTestId('checkpoint-row');
  await expect(rows).toHaveCount(7);
  await expect(rows.getByTestId('checkpoint-status')).toHaveText(Array.from({ length: 7 }, () => 'COMPLETED'));
  await expect(rows.locator('td:first-child')).toHaveText(['1', '2', '3', '4', '5', '6', '7']);
  await expect(page.locator(`[data-testid="checkpoint-row"][data-checkpoint="${restoredFrom}"]`)).toContainText('restored by restart 1');
  const at = failedAtMs.toLocaleString('en-US');
  await expect(page.getByTestId('checkpoint-history-restart')).toHaveText(
    new RegExp(`Restart 1 at ${at} ms after kill-task counts#0: restored from checkpoint ${restoredFrom}$`),
  );
  // The restart sits right after the checkpoint it restored from.
  const history = page.getByTestId('checkpoint-table').locator('tbody tr');
  await expect(history.nth(restoredFrom)).toHaveAttribute('data-testid', 'checkpoint-history-restart');

  const restarts = page.getByTestId('restart-row');
  await expect(restarts).toHaveCount(1);
  await expect(restarts.getByTestId('restart-cause')).toHaveText('kill-task counts#0');
  await expect(restarts.getByTestId('restart-restored')).toHaveText(new RegExp(`^checkpoint ${restoredFrom} \\(triggered at ${restoredFrom},000 ms\\)$`));
  await expect(restarts).toContainText(`${at} ms`);
  await expect(restarts).toContainText('all 4 subtasks');
  await expect(page.getByTestId('restarts')).toContainText('fixed-delay, up to 3 restarts, 500 ms apart');
  await expect(page.getByTestId('job-view').locator('tbody tr td:last-child')).toHaveText(['2', '2', '2', '2']);
}

test('checkpoint-recovery: seven completed checkpoints, one restart from checkpoint 2, as `weir run` reports', async ({ page }) => {
  const problems = watchForProblems(page);
  const report = nodeReport(SHIPPED, 1);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/?scenario=${SHIPPED}&seed=1&run=end`);
  await finished(page);
  await expectReportShown(page, report);
  // The lesson (the file's own description): killed at 2,500 ms, back from checkpoint 2 of t=2000.
  await expectOneRestartFrom(page, 2, 2500);

  await page.screenshot({ path: join(SCREENSHOTS, 'fault-tolerance-desktop.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId('restart-row')).toBeVisible();
  await page.getByTestId('checkpoints').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'fault-tolerance-narrow.png'), fullPage: true });
  // Nothing sticks out of a phone's screen sideways (the tables scroll inside their panels).
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  expect(problems).toEqual([]);
});

for (const scenario of recovering.filter((s) => s.name !== SHIPPED)) {
  test(`${scenario.name} seed ${scenario.seed}: the checkpoints and restarts are those \`weir run\` reports`, async ({ page }) => {
    const problems = watchForProblems(page);
    const report = nodeReport(scenario.name, scenario.seed);
    await page.goto(`/?scenario=${encodeURIComponent(scenario.name)}&seed=${scenario.seed}&run=end`);
    await finished(page, report.status);
    await expectReportShown(page, report);
    expect(problems).toEqual([]);
  });
}

test('a job without checkpointing says so in a sentence, with no empty table', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&run=end');
  await finished(page);
  const checkpoints = page.getByTestId('checkpoints');
  await expect(checkpoints.getByTestId('checkpoints-none')).toHaveText(/^Checkpointing is off for this job/);
  await expect(page.getByTestId('checkpoint-table')).toHaveCount(0);
  await expect(page.getByTestId('restarts-none')).toHaveText('The job did not restart: no subtask failed.');
  await expect(page.getByTestId('restart-table')).toHaveCount(0);
  await expect(page.getByTestId('summary-checkpoints')).toHaveCount(0);
  await checkpoints.screenshot({ path: join(SCREENSHOTS, 'fault-tolerance-off.png') });
  expect(problems).toEqual([]);
});

test('checkpoint-recovery: the job status counts down to the restart at the cursor, and the narration says what is left', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=2798');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  // Killed at 2,500, restarted after fixed-delay's 500 ms: at 2,798, 202 ms are left.
  await expect(page.getByTestId('restart-countdown')).toHaveText('⟳ restarting in 202 ms (restart 1, fixed-delay)');
  await expect(page.getByTestId('narration')).toContainText('Now t=2,798 ms, restarting in 202 ms (restart 1). t=2,500 ms: the job restarts in 500 ms');
  await page.getByTestId('moment').screenshot({ path: join(SCREENSHOTS, 'restart-countdown.png') });
  await page.getByTestId('time-slider').fill('2900');
  await expect(page.getByTestId('restart-countdown')).toContainText('restarting in 100 ms');
  await page.getByTestId('time-slider').fill('3100');
  await expect(page.getByTestId('restart-countdown')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('region-failover with its second region killed 500 ms after the first: both regions count down, each its own delay', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  const scenario = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', 'region-failover.json'), 'utf8')) as Record<string, unknown>;
  // Its `expect` states the one-failure lesson.
  delete scenario['expect'];
  const faults = [...(scenario['faults'] as unknown[]), { type: 'kill-task', operator: 'toEuros', subtask: 0, at: 2000 }];
  const data = encodeShare({ ...scenario, name: 'Region failover, both regions', faults });
  await page.goto(`/?seed=6&run=end&t=2200#s=${data}`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  // orders#1 killed at 1,500 and orders#0 at 2,000, each restarted 1,000 ms after its own failure.
  const countdowns = page.getByTestId('restart-countdown');
  await expect(countdowns).toHaveText(['⟳ restarting orders#1 in 300 ms (restart 1, fixed-delay)', '⟳ restarting orders#0 in 800 ms (restart 2, fixed-delay)']);
  await expect(page.getByTestId('narration')).toContainText('Now t=2,200 ms, restarting orders#1 in 300 ms (restart 1); restarting orders#0 in 800 ms (restart 2).');
  await expect(page.getByTestId('moment-subtask')).toHaveText([/orders#0\s*FAILED\s*1/, /orders#1\s*FAILED\s*1/]);
  await page.getByTestId('moment').screenshot({ path: join(SCREENSHOTS, 'restart-countdowns-two-regions.png') });
  // The first region's redeploy leaves the second counting down.
  await page.getByTestId('time-slider').fill('2600');
  await expect(countdowns).toHaveText(['⟳ restarting orders#0 in 400 ms (restart 2, fixed-delay)']);
  await expect(page.locator('[data-testid="moment-subtask"][data-task="orders#1"]')).toContainText('RUNNING');
  await page.getByTestId('time-slider').fill('3000');
  await expect(countdowns).toHaveCount(0);
  const rows = page.getByTestId('restart-row');
  await expect(rows.locator('td[data-label="redeployed at"]')).toHaveText(['2,500 ms', '3,000 ms']);
  expect(problems).toEqual([]);
});
