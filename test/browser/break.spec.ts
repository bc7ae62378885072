// Breaking a job from the page (issue: watch, break, rewind): at the transport's moment a
// person kills a subtask; the fault joins the plan, the job is simulated again from the
// start, and the page shows the failure and the restart. The run is the one `weir run`
// gives for the file with that fault added (same trace hash); removing it again gives back
// the original run.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

function hashWith(name: string, extra: object[]): string {
  const data = JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', `${name}.json`), 'utf8')) as { faults?: object[] };
  data.faults = [...(data.faults ?? []), ...extra];
  const file = join(mkdtempSync(join(tmpdir(), 'weir-break-')), `${name}.json`);
  writeFileSync(file, JSON.stringify(data));
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'run', file, '--json'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    stdout = (error as { stdout: string }).stdout; // exit 3: the lesson's own expect no longer holds, as it should not
  }
  return (JSON.parse(stdout) as { traceHash: string }).traceHash;
}

test('kill a subtask at the cursor: the fault joins the plan, the run restarts there, and removing it gives the run back', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const original = await page.getByTestId('trace-hash').textContent();
  await expect(page.getByTestId('summary-restarts')).toHaveText('1');

  await page.locator('[data-testid="moment-subtask"][data-task="counts#1"]').getByTestId('break-kill-task').click();
  await expect(page.getByTestId('added-fault')).toHaveText([/kill-task counts#1 at 1,500 ms/]);
  await expect(page.getByTestId('trace-hash')).toHaveText(hashWith('checkpoint-recovery', [{ type: 'kill-task', operator: 'counts', subtask: 1, at: 1500 }]), { timeout: 60_000 });
  await expect(page.getByTestId('summary-restarts')).toHaveText('2');
  await expect(page.getByTestId('virtual-time')).toHaveText('1500');
  await expect(page.locator('[data-testid="moment-subtask"][data-task="counts#1"]')).toContainText('FAILED');
  await page.getByTestId('time-slider').fill('2100');
  await expect(page.locator('[data-testid="moment-subtask"][data-task="counts#1"] td').nth(2)).toHaveText('2');
  await page.screenshot({ path: join(SCREENSHOTS, 'break-kill.png'), fullPage: false });

  await page.getByTestId('fault-lane').getByRole('button', { name: /Remove/ }).click();
  await expect(page.getByTestId('fault-lane')).toHaveCount(0);
  await expect(page.getByTestId('trace-hash')).toHaveText(original!, { timeout: 60_000 });
  await expect(page.getByTestId('summary-restarts')).toHaveText('1');
  expect(problems).toEqual([]);
});
