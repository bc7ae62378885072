// Export the graph view (issue 10, item 8): the SVG download is a standalone SVG that keeps
// the page's look (styles written inline) and names every subtask; the PNG download is a
// PNG twice the drawing's size. Both under the page's Content-Security-Policy.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS, watchForProblems } from './helpers.ts';

test('the graph exports as SVG and PNG', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });

  const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-svg').click()]);
  // Named after the scenario (as docs/playground.md says), not the job inside it (clicks-per-user).
  expect(svgDownload.suggestedFilename()).toBe('checkpoint-recovery-graph-t1500.svg');
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg.startsWith('<?xml')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).toContain('the job graph at t = 1,500 ms');
  for (const task of ['clicks#0', 'clicks#1', 'counts#0', 'counts#1']) expect(svg).toContain(task);
  // Styled inline, no class left to a stylesheet the file does not have.
  expect(svg).not.toMatch(/class="/);
  expect(svg).toMatch(/fill="rgb\(/);
  const parsed = await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelector('parsererror') === null, svg);
  expect(parsed).toBe(true);

  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  expect(pngDownload.suggestedFilename()).toBe('checkpoint-recovery-graph-t1500.png');
  const png = readFileSync((await pngDownload.path())!);
  await pngDownload.saveAs(join(SCREENSHOTS, 'graph-export.png'));
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const viewBoxWidth = Number(/viewBox="0 0 ([\d.]+)/.exec(svg)![1]);
  expect(width).toBe(Math.ceil(viewBoxWidth * 2));
  expect(problems).toEqual([]);
});
