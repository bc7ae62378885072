// What a person reads on the page, at 1366x768 as on a projector: sink records as fields
// that no line break cuts, the exact JSON a toggle away; every figure grouped the same way
// (the test hooks keep their plain integers); graph text and narration big enough to read
// from the back; a 128-step JSON path shortened; counts in the singular when there is one.
import { expect, test, type Locator } from '@playwright/test';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

const px = async (l: Locator) => Number.parseFloat(await l.evaluate((e) => getComputedStyle(e).fontSize));

test('late data: the sink reads key a · window [0, 1,000) · value 2, no field split across lines; JSON at a toggle', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=late-data&seed=5&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const sink = page.locator('[data-testid="sink-output"][data-sink="out"]');
  const rows = sink.getByTestId('output-row');
  await expect(rows).toHaveCount(5);
  const first = rows.first().getByTestId('record-value');
  await expect(first).toHaveText('key a · window [0, 1,000) · value 2');
  await expect(first).toHaveAttribute('title', '{"key":"a","window":{"start":0,"end":1000},"value":2}');
  await expect(rows.nth(3).locator('td.ts')).toHaveText('1,999');
  // Each field is one line high: a line ends between fields, never inside one.
  const line = (await sink.locator('.field').first().boundingBox())!.height;
  for (const field of await sink.locator('.field').all()) expect((await field.boundingBox())!.height).toBeLessThan(line * 1.5);
  // All five records in view in their box, with no scrollbar of their own.
  const box = sink.locator('.scroll');
  expect(await box.evaluate((e) => e.scrollHeight <= e.clientHeight)).toBe(true);
  await sink.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'readable-outputs.png') });

  await sink.getByTestId('output-json').click();
  await expect(sink.getByTestId('output-json')).toHaveAttribute('aria-pressed', 'true');
  await expect(rows.first().getByTestId('record-json')).toHaveText('{"key":"a","window":{"start":0,"end":1000},"value":2}');
  // The JSON breaks after commas only: no line of it ends inside a word.
  const broken = await rows.first().getByTestId('record-json').evaluate((code) => {
    const range = document.createRange();
    const text = code.textContent ?? '';
    const ends: string[] = [];
    let top: number | null = null;
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      for (let i = 0; i < (node.textContent ?? '').length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const y = range.getBoundingClientRect().top;
        if (top !== null && y > top + 2) ends.push(text[offset + i - 1] ?? '');
        top = y;
      }
      offset += (node.textContent ?? '').length;
    }
    return ends;
  });
  for (const end of broken) expect(end).toBe(',');
  await sink.screenshot({ path: join(SCREENSHOTS, 'readable-outputs-json.png') });
  expect(problems).toEqual([]);
});

test('figures read the same everywhere; the hooks stay plain integers; graph text and narration are projector-sized', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto('/?scenario=late-data&seed=5&run=end&t=326');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.locator('[data-testid=graph-subtask][data-task="perSecond#0"]')).toContainText('wm 1,099');
  await expect(page.getByTestId('windows-panel')).toContainText('watermark 1,099');
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=2500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('2500');
  await expect(page.getByTestId('virtual-time-shown')).toHaveText('2,500');
  await expect(page.getByTestId('virtual-time-shown')).toBeVisible();
  await expect(page.getByTestId('virtual-time')).toBeInViewport();
  await expect(page.getByTestId('transport').locator('.of')).toHaveText('of 8,004');
  await expect(page.getByTestId('sink-count-shown')).toHaveText(await page.getByTestId('sink-count').textContent().then((n) => Number(n).toLocaleString('en-US')));
  const graph = page.getByTestId('graph-view');
  const node = graph.locator('[data-testid=graph-subtask][data-task="counts#1"]');
  expect(await px(node.locator('text.id'))).toBeGreaterThanOrEqual(14);
  expect(await px(node.locator('text.wm'))).toBeGreaterThanOrEqual(13);
  expect(await px(page.getByTestId('narration'))).toBeGreaterThanOrEqual(16);
  // The graph still fits the page's width, and the transport bar is still one band.
  const svg = (await graph.locator('svg').first().boundingBox())!;
  expect(svg.x + svg.width).toBeLessThanOrEqual(1366);
  expect((await page.getByTestId('transport').boundingBox())!.height).toBeLessThan(200);
  const facts = page.locator('p.facts').filter({ hasText: 'so far' });
  await page.getByTestId('time-slider').fill('1500');
  await expect(facts).toHaveText('1 checkpoint completed, 0 restarts so far.');
  await page.getByTestId('time-slider').fill('3500');
  await expect(facts).toHaveText(/^\d+ checkpoints completed, 1 restart so far\.$/);
  await page.getByTestId('time-slider').fill('2500');
  await page.screenshot({ path: join(SCREENSHOTS, 'readable-figures.png') });
  expect(problems).toEqual([]);
});

test('a shared link nested 5,000 deep: its 128-step path reads shortened, the full one in the tooltip', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const data = deflateRawSync(Buffer.from(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)).toString('base64url');
  await page.goto(`/?scenario=hello-map-filter#s=${data}`);
  const issue = page.getByTestId('issues').locator('li code');
  await expect(issue).toHaveText(/^shared link \(#s=\): \$\.a\.a\.a … \.a\.a \(128 levels\): nested more than 128 levels deep/);
  await expect(issue).toHaveAttribute('title', new RegExp(`\\$${'\\.a'.repeat(128)}: nested`));
  expect((await page.getByTestId('issues').boundingBox())!.height).toBeLessThan(300);
  await page.screenshot({ path: join(SCREENSHOTS, 'readable-deep-path.png') });
});
