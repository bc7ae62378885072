// The transport of CONTRACT section 4, driven as a person (or a test) would: `t=` opens the
// view at a time, the time slider moves it, step advances one trace event, play and pause
// move and stop it. At every time the page's `sink-count` equals the committed records of
// `weir run FILE --until MS --json`, all sinks together, for sinks with and without
// transactions. Screenshots go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

function committedUntil(name: string, seed: number, untilMs: number): number {
  const args = ['--import', 'tsx', 'cli/main.ts', 'run', `scenarios/${name}.json`, '--seed', String(seed), '--until', String(untilMs), '--json'];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    stdout = (error as { stdout: string }).stdout; // exit 3: a stopped run fails its own expect; the report is there
  }
  const report = JSON.parse(stdout) as { sinks: Record<string, { committed: unknown[] }> };
  return Object.values(report.sinks).reduce((n, s) => n + s.committed.length, 0);
}

// Each of these tests starts `weir run` five times, a few seconds each on a loaded two-core machine.
const SPAWNS_RUNS = 120_000;

async function openAt(page: Page, name: string, seed: number, t: number | null): Promise<void> {
  await page.goto(`/?scenario=${name}&seed=${seed}&run=end${t === null ? '' : `&t=${t}`}`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('transport')).toBeVisible();
}

test('t= opens the view at that time; the slider moves it; sink-count is what a run stopped there committed', async ({ page }) => {
  test.setTimeout(SPAWNS_RUNS);
  const problems = watchForProblems(page);
  await openAt(page, 'checkpoint-recovery', 1, 2500);
  await expect(page.getByTestId('virtual-time')).toHaveText('2500');
  await expect(page.getByTestId('time-slider')).toHaveValue('2500');
  await expect(page.getByTestId('sink-count')).toHaveText(String(committedUntil('checkpoint-recovery', 1, 2500)));
  await expect(page.getByTestId('moment-status')).toHaveText('RUNNING');
  await page.screenshot({ path: join(SCREENSHOTS, 'transport-t2500.png'), fullPage: false });
  for (const t of [0, 2201, 3300, 8000]) {
    await page.getByTestId('time-slider').fill(String(t));
    await expect(page.getByTestId('virtual-time')).toHaveText(String(t));
    await expect(page.getByTestId('sink-count')).toHaveText(String(committedUntil('checkpoint-recovery', 1, t)));
  }
  expect(problems).toEqual([]);
});

test('two-phase commit: sink-count follows the commits, not the writes', async ({ page }) => {
  test.setTimeout(SPAWNS_RUNS);
  await openAt(page, 'two-phase-commit-lifecycle', 1, null);
  for (const t of [2300, 3500, 4004, 4005, 6000]) {
    await page.getByTestId('time-slider').fill(String(t));
    await expect(page.getByTestId('sink-count')).toHaveText(String(committedUntil('two-phase-commit-lifecycle', 1, t)));
  }
  await page.getByTestId('time-slider').fill('3500');
  await expect(page.getByTestId('sink-count')).toHaveText('0'); // written at 2201, never committed: the zombie's
});

test('step advances one trace event; play moves the view and pause stops it', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 'checkpoint-recovery', 1, 0);
  await expect(page.getByTestId('virtual-time')).toHaveText('0');
  await page.getByTestId('time-slider').fill('999');
  await page.getByTestId('step').click();
  await expect(page.getByTestId('virtual-time')).toHaveText('1000'); // checkpoint 1 is triggered at 1000
  await expect(page.getByTestId('narration')).toContainText('t=1,000 ms');
  await page.getByTestId('time-slider').fill('0');
  await page.getByTestId('play').click();
  await expect.poll(async () => Number(await page.getByTestId('virtual-time').textContent()), { timeout: 10_000 }).toBeGreaterThan(300);
  await page.getByTestId('pause').click();
  const paused = await page.getByTestId('virtual-time').textContent();
  await page.waitForTimeout(400);
  await expect(page.getByTestId('virtual-time')).toHaveText(paused!);
  await expect(page.getByTestId('play')).toBeVisible();
  expect(problems).toEqual([]);
});
