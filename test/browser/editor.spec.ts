// The scenario editor, as a person uses it: open late-data, set the window's allowed
// lateness to 0 in the form, run, and see one more late record; undo gives the field back;
// text that is not JSON shows its line and column while Run still runs the last valid draft;
// Export JSON downloads the draft; a reload keeps it; Revert goes back to the shipped file.
// Screenshots at 1366x768 go to reports/screenshots/.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeTraceHash, REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

const ORIGIN = `http://localhost:${process.env.WEIR_E2E_PORT ?? 4173}`;

async function whenReady(page: Page): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-ready', 'true');
}

/** The run summary's count of late records sent to the side output. */
function lateCount(page: Page): Locator {
  return page.getByTestId('run-summary').locator('div', { has: page.locator('dt', { hasText: /^late records to side output$/ }) }).locator('dd');
}

async function run(page: Page): Promise<void> {
  const hash = page.getByTestId('trace-hash');
  const before = (await hash.count()) > 0 ? await hash.textContent() : null;
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(hash).not.toHaveText(before ?? '', { timeout: 30_000 });
}

async function setNumber(field: Locator, value: string): Promise<void> {
  await field.fill(value);
  await field.press('Tab');
}

test('edit late-data: allowed lateness 0 through the form changes the late count; undo, broken JSON, export, reload, revert', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1366, height: 768 });
  const problems = watchForProblems(page, ORIGIN);
  await page.goto('/?scenario=late-data&seed=5');
  await whenReady(page);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', 5));
  await expect(lateCount(page)).toHaveText('1');

  await page.getByTestId('editor-panel').locator('summary').click();
  const lateness = page.getByTestId('knob-allowed-lateness');
  await expect(lateness).toHaveValue('500');
  await expect(page.getByTestId('knob-watermark-bound')).toHaveValue('100');
  await expect(page.getByTestId('knob-sink')).toHaveValue('print');
  await expect(page.getByTestId('editor-valid')).toBeVisible();
  // The transport stays on screen with the editor open.
  await expect(page.getByTestId('transport')).toBeInViewport();
  await page.getByTestId('editor-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'editor-open.png') });

  // The page's own keys (arrows, Home, Space) are the text box's while typing there.
  const time = await page.getByTestId('virtual-time').textContent();
  await page.getByTestId('editor-text').focus();
  for (const key of ['ArrowLeft', 'Home', 'End', 'Shift+ArrowRight']) await page.keyboard.press(key);
  await expect(page.getByTestId('virtual-time')).toHaveText(time ?? '');
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);

  await setNumber(lateness, '0');
  await expect(page.getByTestId('draft-notice')).toContainText('edited: changes from scenarios/late-data.json');
  await expect(page.getByTestId('editor-text')).toHaveValue(/"allowedLateness": 0,/);
  await run(page);
  await expect(lateCount(page)).toHaveText('2');
  await expect(page.getByTestId('trace-hash')).not.toHaveText(nodeTraceHash('late-data', 5));
  // A draft is not the shipped file that run=end runs.
  await expect(page).toHaveURL(/\?scenario=late-data&seed=5$/);
  await page.screenshot({ path: join(SCREENSHOTS, 'editor-edited-run.png') });

  // Undo gives the field back; Ctrl+Shift+Z in the panel redoes.
  await page.getByTestId('editor-undo').click();
  await expect(lateness).toHaveValue('500');
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  const text = page.getByTestId('editor-text');
  await text.focus();
  await page.keyboard.press('Control+Shift+Z');
  await expect(lateness).toHaveValue('0');

  // Text that is not JSON: its line and column; the form waits; Run runs the last valid draft.
  const valid = await text.inputValue();
  const broken = valid.replace('"allowedLateness": 0,', '"allowedLateness": 0,,');
  const at = broken.indexOf('0,,') + 2;
  const line = broken.slice(0, at).split('\n').length;
  const column = at - broken.lastIndexOf('\n', at - 1);
  await text.fill(broken);
  await expect(page.getByTestId('editor-syntax')).toHaveText(
    `Not JSON at line ${line}, column ${column}: expected a property name in double quotes`,
  );
  await expect(lateness).toBeDisabled();
  await expect(page.getByTestId('editor-runs-earlier')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'editor-syntax-error.png') });
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('run-button')).toBeEnabled();
  await expect(lateCount(page)).toHaveText('2');

  // A well-formed draft that is not a valid scenario lists its issues with their JSON paths.
  await text.fill(valid.replace('"allowedLateness": 0,', '"allowedLateness": -1,'));
  await expect(page.getByTestId('editor-issues')).toContainText('scenarios/late-data.json: $.job.operators[2].allowedLateness:');
  // Each pause in typing was a step, the broken text too: Undo goes back through it.
  await text.press('Control+z');
  await expect(text).toHaveValue(broken);
  await text.press('Control+z');
  await expect(text).toHaveValue(valid);
  await expect(page.getByTestId('editor-valid')).toBeVisible();

  // Export JSON downloads the draft.
  const downloading = page.waitForEvent('download');
  await page.getByTestId('editor-export').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('late-data-edited.json');
  const path = await download.path();
  const exported = JSON.parse(await readFile(path, 'utf8')) as { job: { operators: { allowedLateness?: number }[] } };
  expect(exported.job.operators[2]?.allowedLateness).toBe(0);
  // The exported file, run by the weir command, gives the hash the page shows for the draft.
  let cli: string;
  try {
    cli = execFileSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'run', path, '--seed', '5', '--json'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    cli = (error as { stdout: string }).stdout; // exit 3: the draft no longer meets the file's own expect block
  }
  await expect(page.getByTestId('trace-hash')).toHaveText((JSON.parse(cli) as { traceHash: string }).traceHash);

  // A reload keeps the draft.
  await page.reload();
  await whenReady(page);
  await expect(page.getByTestId('draft-notice')).toBeVisible();
  await page.getByTestId('editor-panel').locator('summary').click();
  await expect(lateness).toHaveValue('0');
  await run(page);
  await expect(lateCount(page)).toHaveText('2');

  // Revert goes back to the shipped file, and its hash.
  await page.getByTestId('draft-revert').click();
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  await expect(lateness).toHaveValue('500');
  await run(page);
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', 5));
  await page.reload();
  await whenReady(page);
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('a pause in typing is one undo step even when the text is not JSON, and redo brings it back', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=late-data&seed=5&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 30_000 });
  await page.getByTestId('editor-panel').locator('summary').click();
  const lateness = page.getByTestId('knob-allowed-lateness');
  const text = page.getByTestId('editor-text');
  await setNumber(lateness, '0');
  await expect(text).toHaveValue(/"allowedLateness": 0/);
  const afterKnob = await text.inputValue();
  await text.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(',,');
  await expect(page.getByTestId('editor-syntax')).toBeVisible();
  await page.keyboard.press('Control+z');
  await expect(text).toHaveValue(afterKnob);
  await expect(lateness).toHaveValue('0');
  await page.keyboard.press('Control+z');
  await expect(lateness).toHaveValue('500');
  await page.keyboard.press('Control+Shift+z');
  await expect(lateness).toHaveValue('0');
  await page.keyboard.press('Control+y');
  await expect(text).toHaveValue(`${afterKnob},,`);
  await expect(page.getByTestId('editor-syntax')).toBeVisible();
  await expect(page.getByTestId('editor-redo')).toBeDisabled();
  await page.getByTestId('editor-panel').screenshot({ path: join(SCREENSHOTS, 'editor-redo-broken-text.png') });
  expect(problems).toEqual([]);
});

test('the form offers what the scenario has: checkpointing, restart strategy and sinks of a recovery lesson', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=restart-fixed-delay-exhausted');
  await whenReady(page);
  await page.getByTestId('editor-panel').locator('summary').click();
  await expect(page.getByTestId('knob-allowed-lateness')).toHaveCount(0);
  await expect(page.getByTestId('knob-checkpointing')).toBeChecked();
  await expect(page.getByTestId('knob-restart-type')).toHaveValue('fixed-delay');
  await expect(page.getByTestId('knob-restart-attempts')).toBeVisible();
  await page.getByTestId('knob-restart-type').selectOption('none');
  await expect(page.getByTestId('knob-restart-attempts')).toHaveCount(0);
  await expect(page.getByTestId('editor-text')).toHaveValue(/"restartStrategy": \{ "type": "none" \}/);
  await page.getByTestId('knob-checkpoint-mode').selectOption('at-least-once');
  await page.getByTestId('knob-unaligned').selectOption('unaligned');
  await expect(page.getByTestId('editor-issues')).toContainText('unaligned checkpoints need mode "exactly-once"');
  await page.getByTestId('knob-unaligned').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'editor-knobs.png') });
  await page.getByTestId('knob-unaligned').press('Control+z');
  await expect(page.getByTestId('knob-unaligned')).toHaveValue('aligned');
  await expect(page.getByTestId('editor-valid')).toBeVisible();
});

test('on a narrow screen the open editor fits the column', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/?scenario=late-data&seed=5');
  await whenReady(page);
  await page.getByTestId('editor-panel').locator('summary').click();
  await expect(page.getByTestId('editor-text')).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.getByTestId('editor-panel').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'editor-narrow.png') });
});

test('a damaged saved draft is skipped with a message, and the shipped file opens and runs', async ({ page }) => {
  const problems = watchForProblems(page, ORIGIN);
  await page.goto('/?scenario=late-data&seed=5');
  await whenReady(page);
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('weir');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction('drafts', 'readwrite');
          tx.objectStore('drafts').put({ scenario: 'late-data', text: '{"format": "weir/scenario@1", ' }, 'late-data');
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await whenReady(page);
  await expect(page.getByTestId('address-notice')).toContainText('The saved draft of “late-data” could not be read (line 1, column 31');
  await expect(page.getByTestId('draft-notice')).toHaveCount(0);
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', 5));
  expect(problems).toEqual([]);
});
