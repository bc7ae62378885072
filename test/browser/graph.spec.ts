// The job graph view as a person sees it: subtasks in their chains, channels with tokens,
// backpressure, a channel blocked during alignment, a failed subtask and its next attempt.
// What the page draws at a time is checked against the same network sample taken in Node.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { networkAt, NetworkRecorder, type NetworkTimeline } from '../../playground/src/lib/network-timeline.ts';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

function nodeNetwork(name: string, seed: number): NetworkTimeline {
  const file = join(REPO_ROOT, 'scenarios', `${name}.json`);
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  const sim = createSimulation({ scenario: result.scenario, seed, traceLevel: 'full' });
  const recorder = new NetworkRecorder();
  while (sim.step()) recorder.observe(sim);
  recorder.observe(sim);
  return recorder.finish();
}

async function open(page: Page, name: string, seed: number): Promise<void> {
  await page.goto(`/?scenario=${name}&seed=${seed}&run=end`);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await expect(page.getByTestId('graph-view')).toBeVisible();
}

async function seek(page: Page, t: number): Promise<void> {
  await page.getByTestId('time-slider').fill(String(t));
  await expect(page.getByTestId('virtual-time')).toHaveText(String(t));
}

test('backpressure: the source is striped and says so, its channel waits for credit, records pile up at both ends', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page, 'backpressure', 0);
  const graph = page.getByTestId('graph-view');
  await expect(graph.getByTestId('graph-subtask')).toHaveCount(3);
  await seek(page, 60);
  const source = graph.locator('[data-testid=graph-subtask][data-task="readings#0"]');
  await expect(source).toHaveAttribute('data-status', 'RUNNING');
  await expect(source).toHaveAttribute('aria-label', /backpressured/);
  await expect(source).toContainText('backpressured');
  await expect(graph.locator('[data-testid=channel][data-credits="0"]')).not.toHaveCount(0);
  await expect(graph.locator('[data-testid=token][data-kind=records]')).not.toHaveCount(0);
  // What the page draws is the network sample Node takes of the same run at that time.
  const sample = networkAt(nodeNetwork('backpressure', 0), 60)!;
  for (const c of sample.channels) {
    await expect(graph.locator(`[data-testid=channel][data-channel="${c.from}->${c.to}"]`)).toHaveAttribute('data-credits', String(c.credits));
  }
  await graph.scrollIntoViewIfNeeded();
  await graph.screenshot({ path: join(SCREENSHOTS, 'graph-backpressure.png') });
  const end = await page.getByTestId('time-slider').getAttribute('max');
  await seek(page, Number(end));
  for (const s of await graph.getByTestId('graph-subtask').all()) await expect(s).toHaveAttribute('data-status', 'FINISHED');
  await expect(graph.getByTestId('token')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test('buffer timeout: readings wait in a partial buffer for the output flusher, then travel together', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page, 'buffer-timeout', 3);
  const graph = page.getByTestId('graph-view');
  const channel = graph.locator('[data-testid=channel][data-channel="sensors#0->perWindow#0"]');
  // At t=95 twenty readings sit in the source's output buffer: not full, not flushed yet.
  await seek(page, 95);
  await expect(channel.getByTestId('buffer-note')).toHaveText('flushed every 100 ms');
  const label = channel.locator('title');
  await expect(label).toHaveText(/waiting to be sent: 20 records.*in a partial buffer, until it is full or the output flusher sends it \(every 100 ms\)/);
  await graph.scrollIntoViewIfNeeded();
  await graph.screenshot({ path: join(SCREENSHOTS, 'graph-buffer-timeout.png') });
  // The flush at t=100 sends them as one buffer; the reading and the watermark of t=100 start the next.
  await seek(page, 100);
  await expect(label).toHaveText(/waiting to be sent: 1 record, 1 watermark \(in a partial buffer.*on the wire: 1 buffer$/);
  expect(problems).toEqual([]);
});

test('a checkpoint aligns, a subtask fails, its next attempt runs: the graph shows each step', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page, 'checkpoint-recovery', 1);
  const graph = page.getByTestId('graph-view');
  const network = nodeNetwork('checkpoint-recovery', 1);
  // The first instant at which some channel is blocked for alignment.
  const t = network.times.find((_, i) => network.views[i]!.channels.some((c) => c.blocked))!;
  const blocked = network.views[network.times.indexOf(t)]!.channels.filter((c) => c.blocked).map((c) => `${c.from}->${c.to}`);
  expect(blocked.length).toBeGreaterThan(0);
  await seek(page, t);
  const shown = graph.locator('[data-testid=channel][data-blocked=true]');
  await expect(shown).toHaveCount(blocked.length);
  for (const pair of blocked) await expect(graph.locator(`[data-testid=channel][data-channel="${pair}"]`)).toHaveAttribute('data-blocked', 'true');
  await expect(graph).toContainText('blocked');
  await graph.scrollIntoViewIfNeeded();
  await graph.screenshot({ path: join(SCREENSHOTS, 'graph-alignment.png') });

  await seek(page, 2600); // counts#0 was killed at 2500; the restart is 500 ms later
  await expect(graph.locator('[data-testid=graph-subtask][data-task="counts#0"]')).toHaveAttribute('data-status', 'FAILED');
  await expect(graph.locator('[data-testid=graph-subtask][data-task="counts#1"]')).toHaveAttribute('data-status', 'CANCELED');
  await graph.screenshot({ path: join(SCREENSHOTS, 'graph-failed.png') });
  await seek(page, 3200);
  const restarted = graph.locator('[data-testid=graph-subtask][data-task="counts#0"]');
  await expect(restarted).toHaveAttribute('data-status', 'RUNNING');
  await expect(restarted).toContainText('attempt 2');
  expect(problems).toEqual([]);
});

test('the engine runs in a Web Worker: the page thread stays free while the job runs', async ({ page }) => {
  const problems = watchForProblems(page);
  await open(page, 'traffic-peak', 0);
  const workers = page.workers();
  expect(workers.length).toBe(1);
  expect(workers[0]!.url()).toMatch(/engine\.worker/);
  // Run again: while the worker runs, the page answers at once (a long task here would delay it).
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const answeredInMs = await page.evaluate(() => new Promise<number>((resolve) => {
    const start = performance.now();
    setTimeout(() => resolve(performance.now() - start), 0);
  }));
  expect(answeredInMs).toBeLessThan(250);
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  expect(problems).toEqual([]);
});

test('reduced motion: buffers on the wire stay at the middle of their channel instead of gliding', async ({ page }) => {
  // Fifteen seeks and a full-level run in Node: on a loaded two-core machine that outlasts the default 30 s.
  test.setTimeout(90_000);
  await open(page, 'backpressure', 0);
  const graph = page.getByTestId('graph-view');
  // Times at which Node's sample of the same run has a buffer on the wire (drawn at 0.22-0.78 of the channel as it travels, at 0.5 with reduced motion).
  const network = nodeNetwork('backpressure', 0);
  const times: number[] = [];
  for (let t = 0; t <= 200 && times.length < 5; t++) {
    if (networkAt(network, t)?.channels.some((c) => c.onTheWire.length > 0)) times.push(t);
  }
  expect(times.length).toBeGreaterThan(0);
  const transforms = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const t of times) {
      await seek(page, t);
      out.push((await graph.locator('[data-testid=token]').evaluateAll((ts) => ts.map((e) => e.getAttribute('transform')))).join(' '));
    }
    return out;
  };
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const gliding = await transforms();
  await page.emulateMedia({ reducedMotion: 'reduce' }); // the page follows the preference while open
  const still = await transforms();
  expect(still).not.toEqual(gliding);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await transforms()).toEqual(gliding);
});
