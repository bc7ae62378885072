// A two-phase-commit sink in a job without periodic checkpoints commits once, at the end of
// its input, under checkpoint id 0, which is no checkpoint: a fault that kills it there is
// named after that commit, in the failure cause and in the timeline, never "checkpoint 0".
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario } from '../../core/index.ts';
import { renderTimeline } from '../../cli/timeline.ts';
import { smallJob, type Json } from '../check/jobs.ts';

/** The small check job without checkpoints, its sink at parallelism 1, with `faults` (as a scenario file writes them). */
function run(faults: Json[]) {
  const job = smallJob({ type: 'two-phase-commit', topic: 'results' }) as { config: Json; job: { operators: Json[] } };
  const { checkpointing: _, ...config } = job.config;
  const input = { ...job, config, faults, job: { ...job.job, operators: job.job.operators.map((o) => (o['id'] === 'out' ? { ...o, parallelism: 1 } : o)) } };
  const r = validateScenario(input, 'end.json');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const sim = createSimulation({ scenario: r.scenario, traceLevel: 'summary' });
  sim.run();
  const report = sim.report();
  return { report, timeline: renderTimeline(sim.trace.events, report, r.scenario.faults) };
}

describe('the end-of-input commit of a two-phase-commit sink is named as such', () => {
  it('crash-at commit', () => {
    const { report, timeline } = run([{ type: 'crash-at', operator: 'out', point: 'commit' }]);
    expect(report.restarts.map((r) => r.cause)).toEqual(['crash-at commit out#0 (the end-of-input commit)']);
    expect(timeline).toMatch(/out#0 commit the end-of-input transaction \(out-0-1\): \d+ record\(s\)/);
    expect(timeline).not.toMatch(/checkpoint 0/);
  });

  it('fail-commit', () => {
    const { report, timeline } = run([{ type: 'fail-commit', operator: 'out', at: 0 }]);
    expect(report.restarts.map((r) => r.cause)).toEqual(['fail-commit out#0: the end-of-input commit throws']);
    expect(timeline).not.toMatch(/checkpoint 0/);
  });
});
