// "Find" as a person uses it: the search runs in the engine's worker with its progress, its
// answer is `weir check`'s (the same shrunk plan), and the counterexample opens, runs to
// the trace hash `weir run` gives for that file, and the view stands where its output first
// differs from the run without faults.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Campaign, createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { runCampaign } from '../../core/testing.ts';
import { firstExtraRecordMs } from '../../playground/src/lib/find.ts';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

function run(data: unknown) {
  const result = validateScenario(data, 'counterexample.json');
  if (!result.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

test('find a plan that breaks checkpoint-recovery, open it, and land where the outputs first differ', async ({ page }) => {
  const problems = watchForProblems(page);
  const file = join(REPO_ROOT, 'scenarios', 'checkpoint-recovery.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const cli = runCampaign(new Campaign(data, 'scenarios/checkpoint-recovery.json', { runs: 50, seed: 3, maxFaults: 2 }));
  expect(cli.violated).toBe(true);

  await page.goto('/?scenario=checkpoint-recovery&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const panel = page.getByTestId('find-panel');
  await panel.locator('summary').click();
  await panel.getByTestId('find-runs').fill('50');
  await panel.getByTestId('find-seed').fill('3');
  await panel.getByTestId('find-max-faults').fill('2');
  await expect(panel).toContainText('npx weir check scenarios/checkpoint-recovery.json --runs 50 --seed 3 --max-faults 2');
  await panel.getByTestId('find-start').click();
  await expect(panel.getByTestId('find-violated')).toBeVisible({ timeout: 120_000 });
  await expect(panel.getByTestId('find-violated')).toContainText(`${cli.duplicated} written twice`);
  await expect(panel.getByTestId('find-fault')).toHaveCount(cli.violation!.shrunk.length);
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: join(SCREENSHOTS, 'find-violated.png') });

  await panel.getByTestId('find-open').click();
  const cx = run(cli.counterexample as JsonValue);
  await expect(page.getByTestId('trace-hash')).toHaveText(cx.report.traceHash, { timeout: 60_000 });
  const reference = run({ ...(cli.counterexample as object), faults: [] });
  const t = firstExtraRecordMs(reference.report, cx.events);
  expect(t).not.toBeNull();
  await expect(page.getByTestId('virtual-time')).toHaveText(String(t));
  await expect(page.getByTestId('jump-difference')).toContainText(t!.toLocaleString('en-US'));
  // The description is the counterexample's own (its plan, what broke), not the lesson's.
  const description = page.getByTestId('scenario-description');
  await expect(description).toContainText('A counterexample Find found for scenarios/checkpoint-recovery.json');
  await expect(description).toContainText(`${cli.duplicated} record${cli.duplicated === 1 ? '' : 's'} written twice`);
  for (const f of cli.violation!.shrunk) await expect(description).toContainText(`${String(f['type'])}`);
  await expect(page.getByTestId('narration')).toContainText(/Here sink \S+ writes .* (a second time|never writes)/);
  await page.screenshot({ path: join(SCREENSHOTS, 'find-counterexample.png') });
  expect(problems).toEqual([]);
});

test('a search that holds says so, and Stop ends a long one early', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&run=end');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const panel = page.getByTestId('find-panel');
  await panel.locator('summary').click();
  await panel.getByTestId('find-runs').fill('100000');
  await panel.getByTestId('find-max-faults').fill('0');
  await panel.getByTestId('find-start').click();
  await expect(panel.getByTestId('find-progress')).toBeVisible();
  await panel.getByTestId('find-stop').click();
  await expect(panel.getByTestId('find-held')).toContainText('before you stopped it', { timeout: 60_000 });
  expect(problems).toEqual([]);
});
