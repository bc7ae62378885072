// The job graph by keyboard and context menu: a focused subtask wears a thick ring (apart
// from the pick's outline), the shortcuts dialog gives focus back to it, and right-click (or
// the menu key) on a subtask offers its panel's faults; the one chosen joins the plan.
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

const open = async (page: import('@playwright/test').Page) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
};
const subtask = (page: import('@playwright/test').Page, task: string) => page.locator(`[data-testid=graph-subtask][data-task="${task}"]`);

test('a focused subtask wears a ring a projector shows; the ? dialog gives focus back to it', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page);
  const node = subtask(page, 'counts#0');
  const ring = node.locator('rect.ring');
  expect(await ring.evaluate((e) => getComputedStyle(e).stroke)).toBe('none');
  await page.getByTestId('time-slider').focus();
  await page.keyboard.press('Tab');
  while (!(await node.evaluate((e) => e === document.activeElement))) await page.keyboard.press('Tab');
  expect(await ring.evaluate((e) => ({ stroke: getComputedStyle(e).stroke, width: getComputedStyle(e).strokeWidth }))).toEqual({ stroke: 'rgb(17, 24, 39)', width: '4px' });
  await node.scrollIntoViewIfNeeded();
  await page.getByTestId('graph-view').screenshot({ path: join(SCREENSHOTS, 'graph-focus-ring.png') });
  await page.keyboard.press('?');
  await expect(page.getByTestId('shortcuts-overlay')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('shortcuts-overlay')).toBeHidden();
  await expect(node).toBeFocused();
  expect(problems).toEqual([]);
});

test('right-click a subtask, choose kill: the fault is in "Faults you added"; the menu works from the keyboard', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page);
  const node = subtask(page, 'counts#1');
  await node.click({ button: 'right' });
  const menu = page.getByTestId('subtask-menu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem')).toHaveText(['✕ kill counts#1', '⚠ throw in counts#1', 'slow ×10 for 1 s', '✕ kill tm-2']);
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.screenshot({ path: join(SCREENSHOTS, 'graph-context-menu.png') });
  // Escape closes it, and focus is back on the subtask.
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(node).toBeFocused();
  // The menu key opens it again; the arrows move; Enter chooses.
  await page.keyboard.press('Shift+F10');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('added-fault')).toHaveText([/kill-task counts#1 at 1,500 ms/], { timeout: 60_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('1500');

  // A subtask that is not running now offers the same items, none of which does anything.
  await subtask(page, 'counts#1').click({ button: 'right' });
  await expect(menu).toContainText('only a running subtask can be broken');
  // aria-disabled, not disabled: it keeps its place in the keyboard's round, and a click does nothing.
  await menu.getByRole('menuitem').nth(2).click({ force: true });
  await expect(menu).toBeVisible();
  await page.mouse.click(5, 760);
  await expect(menu).toHaveCount(0);
  await expect(page.getByTestId('added-fault')).toHaveCount(1);
  expect(problems).toEqual([]);
});
