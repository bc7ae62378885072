// Rewind and branch (issue 10, item 5): a person kills a subtask, kills another later, goes
// back to the first plan in the tree and breaks something else there. The tree shows both
// branches, going back to one gives its run again (same trace hash), and the tree is still
// there after a reload.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

test('break, break again, go back and branch: both runs stay one click away, across a reload', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  const hash = page.getByTestId('trace-hash');
  await expect(hash).not.toBeEmpty({ timeout: 60_000 });
  const original = await hash.textContent();
  const subtask = (task: string) => page.locator(`[data-testid="moment-subtask"][data-task="${task}"]`);

  await subtask('counts#1').getByTestId('break-kill-task').click();
  await expect(page.getByTestId('added-fault')).toHaveText([/kill-task counts#1 at 1,500 ms/], { timeout: 60_000 });
  // The run with the fault replaces the original once it is done.
  await expect(hash).not.toHaveText(original!, { timeout: 60_000 });
  const oneKill = await hash.textContent();
  await page.getByTestId('time-slider').fill('2300');
  await subtask('counts#0').getByTestId('break-kill-task').click();
  await expect(page.getByTestId('added-fault')).toHaveCount(2, { timeout: 60_000 });
  await expect(hash).not.toHaveText(oneKill!);
  const twoKills = await hash.textContent();

  const tree = page.getByTestId('branch-tree');
  await tree.getByRole('button', { name: /Go back to: kill-task counts#1 at 1,500 ms/ }).click();
  await expect(hash).toHaveText(oneKill!, { timeout: 60_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('1500');
  await page.getByTestId('time-slider').fill('2200');
  await subtask('counts#0').getByTestId('break-slow-task').click();
  await expect(page.getByTestId('added-fault')).toHaveText([/kill-task counts#1/, /slow-task counts#0 at 2,200 ms/], { timeout: 60_000 });

  const branches = tree.getByTestId('branch');
  await expect(branches).toHaveCount(4);
  // Counted as listed: the scenario as written is one of the plans tried.
  await expect(tree.getByTestId('branch-count')).toHaveText('(4)');
  await expect(branches.nth(1)).toContainText('↱ branches here');
  await expect(branches.nth(3)).toContainText('you are here');
  await page.screenshot({ path: join(SCREENSHOTS, 'branches.png'), fullPage: false });

  await tree.getByRole('button', { name: /Go back to: kill-task counts#0 at 2,300 ms/ }).click();
  await expect(hash).toHaveText(twoKills!, { timeout: 60_000 });

  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end');
  await expect(hash).toHaveText(original!, { timeout: 60_000 });
  await expect(page.getByTestId('branch')).toHaveCount(4);
  await expect(page.getByTestId('branch').first()).toContainText('you are here');
  await page.getByTestId('branch-tree').getByRole('button', { name: /slow-task counts#0/ }).click();
  await expect(page.getByTestId('added-fault')).toHaveCount(2, { timeout: 60_000 });
  expect(problems).toEqual([]);
});
