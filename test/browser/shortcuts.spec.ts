// The transport's keyboard shortcuts and jumps, driven as a person would on the
// checkpoint-recovery lesson (seed 1): Shift+→ moves the view to the next window firing or
// failure (the times `weir run --trace` gives), → / ← step one event, Home / End, the jump
// buttons, Space plays and pauses, `?` opens the list of shortcuts (a modal dialog that keeps
// focus and gives it back on Escape), and no key acts while the seed field has focus.
// Screenshots at 1366x768 go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent } from '../../core/index.ts';
import { nextOfKind, type JumpKind } from '../../playground/src/lib/jumps.ts';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

const NAME = 'checkpoint-recovery';
const SEED = 1;

/** The trace of `weir run scenarios/NAME.json --seed S --trace FILE`. */
function nodeTrace(name: string, seed: number): TraceEvent[] {
  const file = join(mkdtempSync(join(tmpdir(), 'weir-shortcuts-')), 'trace.jsonl');
  const args = ['--import', 'tsx', 'cli/main.ts', 'run', `scenarios/${name}.json`, '--seed', String(seed), '--trace', file];
  try {
    execFileSync(process.execPath, args, { cwd: REPO_ROOT, stdio: 'ignore' });
  } catch {
    // Exit 3: the scenario's own expectations failed; the trace is written all the same.
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as TraceEvent);
}

const events = nodeTrace(NAME, SEED);
/** The time of the first event of `kind` after the first `count` events. */
function nextTime(count: number, kind: JumpKind): number {
  const i = nextOfKind(events, count, kind);
  if (i === null) throw new Error(`no ${kind} after event ${count}`);
  return events[i]!.timeMs;
}

test.use({ viewport: { width: 1366, height: 768 } });

async function openAt(page: Page, t: number): Promise<void> {
  await page.goto(`/?scenario=${NAME}&seed=${SEED}&run=end&t=${t}`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText(String(t));
  // Keys go to the page, as after a click on its background.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

const time = (page: Page) => page.getByTestId('virtual-time');

test('Shift+→ goes to the next window firing, then (key 3) to the failure; ← and → step one event; Home and End', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 0);
  await page.keyboard.press('Home');
  await expect(time(page)).toHaveText('0');
  await expect(page.getByTestId('narration')).toHaveText('Before the first event.');

  await expect(page.getByTestId('jump-kind')).toHaveValue('window');
  await page.keyboard.press('Shift+ArrowRight');
  const firing = nextTime(0, 'window');
  await expect(time(page)).toHaveText(String(firing));
  await expect(page.getByTestId('narration')).toContainText(`t=${firing.toLocaleString('en-US')} ms: window [0, 2,000) of counts#`);

  await page.keyboard.press('3');
  await expect(page.getByTestId('jump-kind')).toHaveValue('failure');
  await page.keyboard.press('Shift+ArrowRight');
  const failure = nextTime(0, 'failure');
  await expect(time(page)).toHaveText(String(failure));
  await expect(page.getByTestId('narration')).toContainText('fault kill-task hit counts#0');
  await page.screenshot({ path: join(SCREENSHOTS, 'shortcuts-transport-failure.png'), fullPage: false });

  // Nothing failed before the kill: the cursor stays and the line says so.
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(time(page)).toHaveText(String(failure));
  await expect(page.getByTestId('narration')).toContainText('No earlier failure.');

  // → then ← come back to the kill, one event each.
  const failureIndex = nextOfKind(events, 0, 'failure')!;
  await page.keyboard.press('ArrowRight');
  await expect(time(page)).toHaveText(String(events[failureIndex + 1]!.timeMs));
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('narration')).toContainText('fault kill-task hit counts#0');

  await page.keyboard.press('End');
  const endMs = events[events.length - 1]!.timeMs;
  await expect(time(page)).toHaveText(String(endMs));
  await expect(page.getByTestId('jump-next')).toBeDisabled();
  expect(problems).toEqual([]);
});

test('the jump buttons and the kind menu go to the next completed checkpoint; [ and ] change the speed', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 2500);
  await page.getByTestId('jump-kind').selectOption('checkpoint');
  await page.getByTestId('jump-next').click();
  const count = events.filter((e) => e.timeMs <= 2500).length;
  const completed = nextTime(count, 'checkpoint');
  await expect(time(page)).toHaveText(String(completed));
  await expect(page.getByTestId('narration')).toContainText('checkpoint 3 completed');
  // The focused button is no text field: Shift+→ still jumps.
  await page.keyboard.press('Shift+ArrowRight');
  const after = events.findIndex((e) => e.tag === 'checkpoint.completed' && e.timeMs === completed);
  await expect(time(page)).toHaveText(String(nextTime(after + 1, 'checkpoint')));
  await page.getByTestId('jump-previous').click();
  await expect(time(page)).toHaveText(String(completed));

  const speed = page.locator('[data-testid="transport"] .speed select');
  // A run starts at the speed that plays it in 20 s or more (checkpoint-recovery's 8 s at 100 ms/s).
  await expect(speed).toHaveValue('100');
  await speed.selectOption('1000');
  await page.getByTestId('jump-previous').focus();
  await page.keyboard.press(']');
  await expect(speed).toHaveValue('2000');
  await page.keyboard.press('[');
  await page.keyboard.press('[');
  await expect(speed).toHaveValue('500');
  expect(problems).toEqual([]);
});

test('Space plays and pauses; no key acts while the seed field has focus', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 0);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('pause')).toBeVisible();
  await expect.poll(async () => Number(await time(page).textContent()), { timeout: 10_000 }).toBeGreaterThan(200);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play')).toBeVisible();
  const paused = await time(page).textContent();
  await page.waitForTimeout(300);
  await expect(time(page)).toHaveText(paused!);

  await page.getByTestId('seed-input').focus();
  for (const key of ['Space', 'ArrowRight', 'Shift+ArrowRight', 'End', '?']) await page.keyboard.press(key);
  await expect(time(page)).toHaveText(paused!);
  await expect(page.getByTestId('shortcuts-overlay')).toBeHidden();
  await expect(page.getByTestId('play')).toBeVisible();
  expect(problems).toEqual([]);
});

test('? opens the list of shortcuts as a modal dialog; Escape closes it and gives focus back', async ({ page }) => {
  const problems = watchForProblems(page);
  await openAt(page, 2500);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Jump to the next event of the chosen kind');
  await expect(page.getByTestId('shortcuts-close')).toBeFocused();
  // Focus stays in the dialog; the transport behind it takes no keys.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
  await page.keyboard.press('ArrowRight');
  await expect(time(page)).toHaveText('2500');
  await page.screenshot({ path: join(SCREENSHOTS, 'shortcuts-overlay.png'), fullPage: false });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Opened from its button, it gives focus back to the button.
  await page.getByTestId('shortcuts-help').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('shortcuts-help')).toBeFocused();
  await page.getByTestId('shortcuts-help').click();
  await page.getByTestId('shortcuts-close').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('shortcuts-help')).toBeFocused();
  expect(problems).toEqual([]);
});

test('at 1366x768 the transport bar stays in view, on one screen with its jumps, when the page scrolls', async ({ page }) => {
  await openAt(page, 2500);
  const bar = page.getByTestId('transport');
  for (const id of ['play', 'step-back', 'step', 'jump-previous', 'jump-kind', 'jump-next', 'shortcuts-help', 'virtual-time', 'narration']) {
    await expect(page.getByTestId(id)).toBeInViewport();
  }
  const box = (await bar.boundingBox())!;
  expect(box.height).toBeLessThan(200);
  await page.mouse.wheel(0, 2500);
  await expect.poll(async () => page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(bar).toBeInViewport();
  await expect(page.getByTestId('virtual-time')).toBeInViewport();
  await page.screenshot({ path: join(SCREENSHOTS, 'shortcuts-transport-scrolled.png'), fullPage: false });
});
