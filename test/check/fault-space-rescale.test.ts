// After a `resume` that rescales, `weir check` aims faults at the resumed job's subtasks too:
// savepoint-and-rescale runs at parallelism 2 until its stop-with-savepoint at 5100 and at 4
// after its resume at 6000, so subtasks 2 and 3 exist only after the resume. A fault at a
// time must come while its subtask exists (a kill-task or slow-task meets the stretch of the
// run it fires in), and every drawn plan is a valid scenario, as the space promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Campaign, validateFaultPlan, validateScenario, type JsonValue } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const rescale = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'savepoint-and-rescale.json'), 'utf8')) as Record<string, JsonValue>;
const { expect: _, ...input } = rescale;
const RESUME_AT = 6000;

describe('the fault space of a job that a resume rescales from 2 to 4', () => {
  const campaign = new Campaign(input, 'rescale.json', { runs: 60, seed: 3, maxFaults: 3 });
  const scenario = (() => {
    const r = validateScenario(input, 'rescale.json');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.scenario;
  })();

  it('has the subtasks of both runs as targets', () => {
    const counts = campaign.space.subtasks.filter((t) => t.operator === 'counts').map((t) => t.subtask);
    expect(counts).toEqual([0, 1, 2, 3]);
    expect(campaign.space.fits).not.toBeNull();
  });

  it('draws only valid plans, and a timed kill-task or slow-task on subtask 2 or 3 comes after the resume', () => {
    let later = 0;
    for (let i = 0; i < 300; i++) {
      const plan = campaign.planOf(i);
      expect(validateFaultPlan(plan, scenario).ok, JSON.stringify(plan)).toBe(true);
      for (const f of plan) {
        if (typeof f['subtask'] !== 'number' || f['subtask'] < 2) continue;
        later++;
        if ((f['type'] === 'kill-task' || f['type'] === 'slow-task') && typeof f['at'] === 'number') expect(f['at']).toBeGreaterThan(RESUME_AT);
      }
    }
    expect(later).toBeGreaterThan(0);
  });

  it('such a fault fires in the resumed job, which has no restart strategy, so the campaign finds it failed', () => {
    const kill = { type: 'kill-task', operator: 'counts', subtask: 3, at: RESUME_AT + 500 };
    expect(campaign.space.fits!(kill)).toBe(true);
    expect(campaign.space.fits!({ ...kill, at: RESUME_AT - 500 })).toBe(false);
    const run = campaign.runPlan([kill]);
    expect(run.faults).toEqual([{ type: 'kill-task', point: null, fired: true }]);
    expect(run.report.status).toBe('FAILED');
    expect(run.verdict.holds).toBe(false);
  });

  it('a job that no resume rescales keeps its space unfiltered: no target exists only at some times', () => {
    const { actions: __, ...plain } = input;
    expect(new Campaign(plain, 'plain.json', { runs: 1, seed: 0, maxFaults: 1 }).space.fits).toBeNull();
  });
});

describe('a job rescaled 4 -> 2 -> 4: subtasks 2 and 3 exist at the start and the end, not in between', () => {
  const fourTwoFour = {
    ...input,
    config: { ...(input['config'] as Record<string, JsonValue>), parallelism: 4 },
    actions: [
      { at: 2000, type: 'stop-with-savepoint' },
      { at: 2500, type: 'resume', parallelism: 2 },
      { at: 4000, type: 'stop-with-savepoint' },
      { at: 4500, type: 'resume', parallelism: 4 },
    ],
  } as Record<string, JsonValue>;
  const scenario = (() => {
    const r = validateScenario(fourTwoFour, '424.json');
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.scenario;
  })();
  const campaign = new Campaign(fourTwoFour, '424.json', { runs: 60, seed: 3, maxFaults: 3 });

  it('draws only valid plans: a timed kill-task or slow-task on subtask 2 or 3 is never in the middle stretch', () => {
    for (let i = 0; i < 400; i++) {
      const plan = campaign.planOf(i);
      expect(validateFaultPlan(plan, scenario).ok, JSON.stringify(plan)).toBe(true);
    }
    // Only a fault that waits for its target's next record may be timed there (it meets the last stretch too).
    expect(campaign.space.fits!({ type: 'kill-task', operator: 'counts', subtask: 3, at: 3000 })).toBe(false);
    expect(campaign.space.fits!({ type: 'throw-in-operator', operator: 'counts', subtask: 3, at: 3000 })).toBe(true);
  });
});
