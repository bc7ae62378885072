// The Windows panel as a person sees it on late-data: at t=401 the window [0, 1,000) of
// user a has fired twice and is kept for its allowed lateness; moved past its cleanup time
// (999 + 500, reached at t=501) with the time slider, it is closed; at t=701 the click
// that came too late is counted. The panel opens from the keyboard, and its subtask button
// opens that subtask's state in the job graph. A job without a window operator has no
// panel. On window-types, a session window merges: the sessions it took the place of leave
// the table, and its row says what merged (⊕ and the bounds in words). The screenshots at
// 1366x768 go to reports/screenshots/windows-panel.png and windows-panel-merged.png.
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

async function openAt(page: Page, name: string, seed: number, t: number): Promise<void> {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`/?scenario=${name}&seed=${seed}&run=end&t=${t}`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
}

test('late-data: a window kept for its allowed lateness, then closed, and the late click counted', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 'late-data', 5, 401);
  const panel = page.getByTestId('windows-panel');
  await expect(panel.locator('summary')).toContainText('Windows at t = 401 ms');
  await expect(panel.getByTestId('windows-gist')).toHaveText('3 open, 0 closed, 0 late records');
  // Folded away until opened; the keyboard opens it.
  await expect(panel.getByTestId('window-row').first()).toBeHidden();
  await panel.locator('summary').focus();
  await page.keyboard.press('Enter');

  const rowA = panel.getByTestId('window-row').filter({ hasText: '"a"' }).filter({ hasText: '[0, 1,000)' });
  await expect(rowA).toHaveCount(1);
  await expect(rowA.locator('td')).toHaveText(['perSecond#0', '"a"', '[0, 1,000)', '1', '2', '401', '✓ fired, kept for allowed lateness']);
  await expect(panel.getByTestId('window-row').filter({ hasText: '[1,000, 2,000)' })).toContainText('waiting for its end');
  await expect(panel.getByTestId('windows-late')).toHaveText('No late record so far.');
  await expect(panel.getByTestId('windows-merges')).toHaveCount(0); // tumbling windows never merge
  await panel.locator('summary').blur();
  await panel.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 170));
  await page.screenshot({ path: join(SCREENSHOTS, 'windows-panel.png'), fullPage: false });

  await page.getByTestId('time-slider').fill('600');
  await expect(page.getByTestId('virtual-time')).toHaveText('600');
  await expect(panel.locator('summary')).toContainText('Windows at t = 600 ms');
  await expect(rowA).toHaveCount(0);
  const closedA = panel.getByTestId('closed-window-row').filter({ hasText: '"a"' }).filter({ hasText: '[0, 1,000)' });
  await expect(closedA.locator('td')).toHaveText(['perSecond#0', '"a"', '[0, 1,000)', '2', '501']);
  await expect(panel.getByTestId('window-row').filter({ hasText: '[1,000, 2,000)' })).toContainText('fired, kept for allowed lateness');

  await page.getByTestId('time-slider').fill('701');
  await expect(panel.getByTestId('windows-gist')).toHaveText('0 open, 4 closed, 1 late record');
  await expect(panel.getByTestId('windows-none-open')).toBeVisible();
  await expect(panel.getByTestId('windows-late')).toContainText('1 late record');
  await expect(panel.getByTestId('windows-late')).toContainText('0 dropped, 1 to the side output late.');

  // The elements are the subtask's state: the button opens it in the job graph.
  await panel.getByTestId('windows-show-state').click();
  await expect(page.getByTestId('subtask-panel')).toContainText('perSecond#0');
  await expect(panel.getByTestId('windows-show-state')).toHaveAttribute('aria-pressed', 'true');
  expect(problems).toEqual([]);
});

test('window-types: a session merge replaces the session with the merged window, and its row says what merged', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 'window-types', 0, 100);
  const panel = page.getByTestId('windows-panel');
  await panel.locator('summary').click();
  const session = panel.locator('[data-operator="session"]');
  const rows = session.getByTestId('window-row');
  // The row whose window cell begins with these bounds (a merged row names the bounds it came from too).
  const under = (bounds: string) => rows.filter({ has: page.locator('td:nth-child(3)', { hasText: new RegExp(`^\\s*${bounds.replace(/[[\]()]/g, '\\$&')}`) }) });
  // Before the reading of s1 at 1000 is read (t=101): its second session is [700, 1,100), as its first element opened it.
  await expect(under('[700, 1,100)')).toHaveCount(1);
  await expect(under('[700, 1,100)').getByTestId('window-merged')).toHaveCount(0);
  // Its first session had already merged at t=16 (the reading at 150 within the gap of 0).
  await expect(under('[0, 550)').getByTestId('window-merged')).toHaveText('⊕ merged from [0, 400) + a new element at t = 16 ms');

  await page.getByTestId('time-slider').fill('101');
  await expect(panel.locator('summary')).toContainText('Windows at t = 101 ms');
  await expect(under('[700, 1,100)')).toHaveCount(0);
  const grown = under('[700, 1,400)');
  await expect(grown.locator('td')).toHaveText(['session#0', '"s1"', '[700, 1,400) ⊕ merged from [700, 1,100) + a new element at t = 101 ms · just now', '71', '0', '—', '○ waiting for its end']);
  await expect(grown).toHaveAttribute('data-merged', 'true');
  await expect(rows).toHaveCount(4);

  await page.getByTestId('time-slider').fill('126');
  await expect(under('[700, 1,400)')).toHaveCount(0);
  const again = under('[700, 1,650)');
  await expect(again.getByTestId('window-merged')).toHaveText('⊕ merged from [700, 1,400) + a new element at t = 126 ms, 2 merges so far · just now')
  await expect(again).toHaveClass(/just-merged/);
  await expect(under('[0, 550)')).not.toHaveClass(/just-merged/);;
  await expect(session.getByTestId('windows-merges')).toContainText('Its windows merge (session windows)');
  await session.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 170));
  await page.screenshot({ path: join(SCREENSHOTS, 'windows-panel-merged.png'), fullPage: false });
  expect(problems).toEqual([]);
});

test('a job without a window operator shows no Windows panel', async ({ page }) => {
  await openAt(page, 'hello-map-filter', 1, 0);
  await expect(page.getByTestId('moment')).toBeVisible();
  await expect(page.getByTestId('windows-panel')).toHaveCount(0);
});
