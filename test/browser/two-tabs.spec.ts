// Two tabs of the playground in one browser profile (issue 10, item 10): a draft edited in
// one shows in the other at once, whose own version is one Undo away; a fault plan tried in
// one joins the other's tree. Both tabs keep saving; nothing either kept is lost.
import { expect, test } from '@playwright/test';
import { watchForProblems } from './helpers.ts';

test('a draft and a fault plan made in one tab show in the other', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  const problems = [...[first, second].map((p) => watchForProblems(p))];
  for (const page of [first, second]) {
    await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
    await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
    await page.getByTestId('editor-panel').locator('summary').click();
  }

  await first.getByTestId('knob-parallelism').fill('3');
  await first.getByTestId('knob-parallelism').press('Enter');
  await expect(first.getByTestId('draft-notice')).toBeVisible();
  await expect(second.getByTestId('knob-parallelism')).toHaveValue('3', { timeout: 10_000 });
  await expect(second.getByTestId('editor-changed-elsewhere')).toBeVisible();
  await expect(second.getByTestId('draft-notice')).toBeVisible();
  await second.getByTestId('editor-undo').click();
  await expect(second.getByTestId('knob-parallelism')).not.toHaveValue('3');
  // The undo is a change of its own (back to the shipped file here): the first tab takes it.
  await expect(first.getByTestId('knob-parallelism')).not.toHaveValue('3', { timeout: 10_000 });
  await expect(first.getByTestId('draft-notice')).toHaveCount(0);
  await expect(second.getByTestId('draft-notice')).toHaveCount(0);

  await first.locator('[data-testid="moment-subtask"][data-task="counts#1"]').getByTestId('break-kill-task').click();
  await expect(first.getByTestId('branch')).toHaveCount(2, { timeout: 60_000 });
  await expect(second.getByTestId('branch')).toHaveCount(2, { timeout: 10_000 });
  await expect(second.getByTestId('branch').nth(1)).toContainText('kill-task counts#1 at 1,500 ms');
  // The second tab still runs what it ran: it stands at the root.
  await expect(second.getByTestId('branch').first()).toContainText('you are here');
  await expect(second.getByTestId('added-fault')).toHaveCount(0);
  for (const list of problems) expect(list).toEqual([]);
});
