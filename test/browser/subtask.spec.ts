// A subtask picked in the job graph: its keyed state and timers at the cursor (the same as
// Node reads by replaying the run to that time), a failed attempt's state shown as gone,
// and breaking from its panel, including its TaskManager: the fault joins the plan and the
// run is the one `weir run` gives for the file with that fault added.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { CORE_ENGINE } from '../../playground/src/lib/engine.ts';
import { Replayer } from '../../playground/src/lib/inspect.ts';
import { REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

const FILE = join(REPO_ROOT, 'scenarios', 'checkpoint-recovery.json');
const data = () => JSON.parse(readFileSync(FILE, 'utf8')) as { faults?: object[] };

function hashWith(extra: object[]): string {
  const d = data();
  d.faults = [...(d.faults ?? []), ...extra];
  const result = validateScenario(d as JsonValue, FILE);
  if (!result.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: result.scenario, seed: 1 });
  sim.run();
  return sim.report().traceHash;
}

test('pick a window subtask: its windows and timers at the cursor, as Node reads them; a failed attempt holds nothing', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  const node = page.locator('[data-testid=graph-subtask][data-task="counts#1"]');
  await node.focus();
  await page.keyboard.press('Enter');
  await expect(node).toHaveAttribute('aria-pressed', 'true');
  const panel = page.getByTestId('subtask-panel');
  await expect(panel).toContainText('counts#1 at t = 1,500 ms');
  const replayer = new Replayer(CORE_ENGINE);
  for (const t of [1500, 3999, 5200]) {
    await page.getByTestId('time-slider').fill(String(t));
    const inspected = replayer.inspect({ data: data(), file: FILE, seed: 1, timeMs: t, task: 'counts#1' });
    if (!inspected.ok || inspected.view === null) throw new Error('no view in Node');
    const [op] = inspected.view.operators;
    await expect(panel).toContainText(`t = ${t.toLocaleString('en-US')} ms`);
    await expect(panel.getByTestId('state-entry')).toHaveCount(op!.entries.length);
    await expect(panel.getByTestId('timer')).toHaveCount(op!.timers.length);
    for (const e of op!.entries) await expect(panel.getByTestId('state-entry').filter({ hasText: e.key })).not.toHaveCount(0);
  }
  await panel.scrollIntoViewIfNeeded();
  await page.getByTestId('graph-view').screenshot({ path: join(SCREENSHOTS, 'subtask-state.png') });
  // Killed at 2500, redeployed at 3000: in between its attempt failed and holds nothing.
  await page.locator('[data-testid=graph-subtask][data-task="counts#0"]').click();
  await page.getByTestId('time-slider').fill('2600');
  await expect(page.getByTestId('subtask-state-lost')).toBeVisible();
  // The panel follows the trace at the cursor: the attempt the graph shows, never an older read.
  await expect(page.getByTestId('subtask-attempt')).toHaveText('attempt 1');
  await page.getByTestId('time-slider').fill('3046');
  await expect(page.getByTestId('subtask-attempt')).toHaveText('attempt 2');
  await expect(page.getByTestId('subtask-status')).toHaveText('RUNNING');
  await expect(page.getByTestId('subtask-state-lost')).toHaveCount(0);
  await expect(page.getByTestId('subtask-panel')).not.toContainText('Showing t =');
  await page.getByTestId('time-slider').fill('2501');
  // Just killed: the failed-attempt text at once, from the trace, not "Reading its state".
  await expect(page.getByTestId('subtask-state-lost')).toContainText('Attempt 1 is');
  await page.getByRole('button', { name: "Close the subtask's panel" }).click();
  await expect(page.getByTestId('subtask-panel')).toHaveCount(0);
  expect(problems).toEqual([]);
});

test("kill a subtask's TaskManager from its panel: every subtask in its slots fails, and the run is weir run's with that fault", async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
  await expect(page.getByTestId('trace-hash')).not.toBeEmpty({ timeout: 60_000 });
  await page.locator('[data-testid=graph-subtask][data-task="counts#0"]').click();
  const kill = page.getByTestId('panel-break-kill-taskmanager');
  await expect(kill).toHaveText('✕ kill tm-1');
  await kill.click();
  await expect(page.getByTestId('added-fault')).toHaveText([/kill-taskmanager tm-1 at 1,500 ms/]);
  await expect(page.getByTestId('trace-hash')).toHaveText(hashWith([{ type: 'kill-taskmanager', taskManager: 'tm-1', at: 1500 }]), { timeout: 60_000 });
  await expect(page.getByTestId('virtual-time')).toHaveText('1500');
  // tm-1 held slot 0: clicks#0 and counts#0 are gone with it, though the JobManager only
  // fails them when tm-1's heartbeat times out; the others run on.
  for (const task of ['counts#0', 'clicks#0']) await expect(page.locator(`[data-testid=graph-subtask][data-task="${task}"]`)).toContainText('✕ tm-1 lost');
  for (const task of ['counts#1', 'clicks#1']) await expect(page.locator(`[data-testid=graph-subtask][data-task="${task}"]`)).not.toContainText('lost');
  await page.getByTestId('graph-view').screenshot({ path: join(SCREENSHOTS, 'subtask-kill-taskmanager.png') });
  expect(problems).toEqual([]);
});
