// A fault after a resume that rescales: the resumed job has more subtasks than the first,
// and a fault may name one of them. Validation checks a fault's subtask against the
// parallelism it can meet (core/api/scenario/fault-parallelism.ts): a kill-task or slow-task
// the one at its `at`, any other fault the largest from when it is armed on. A subtask that
// validation allowed but that does not exist when the fault comes (the resume waited for its
// stop) leaves the fault unfired, never a thrown error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultLines } from '../../cli/timeline-faults.ts';
import { createSimulation, formatIssue, validateFaultPlan, validateScenario, type JsonValue, type Scenario, type ValidationIssue } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const rescale = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'savepoint-and-rescale.json'), 'utf8')) as Record<string, JsonValue>;

/** savepoint-and-rescale with checkpoints (so a kill restarts the job): stopped at 3000, resumed at parallelism 4 at `resumeMs`. */
function scenario(faults: JsonValue[], resumeMs = 4000): Record<string, JsonValue> {
  const { expect: _, ...rest } = rescale;
  return {
    ...rest,
    config: { parallelism: 2, maxParallelism: 128, checkpointing: { interval: 500 } },
    actions: [
      { at: 3000, type: 'stop-with-savepoint' },
      { at: resumeMs, type: 'resume', parallelism: 4 },
    ],
    faults,
  };
}

function issuesOf(input: Record<string, JsonValue>): ValidationIssue[] {
  const result = validateScenario(input, 'f.json');
  return result.ok ? [] : result.issues;
}

function parsed(input: Record<string, JsonValue>): Scenario {
  const result = validateScenario(input, 'f.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

describe('validation of a subtask after a resume to parallelism 4', () => {
  it.each<[string, JsonValue]>([
    ['a kill-task on subtask 3 after the resume', { type: 'kill-task', operator: 'counts', subtask: 3, at: 6000 }],
    ['a slow-task on subtask 3 after the resume', { type: 'slow-task', operator: 'counts', subtask: 3, at: 4001, factor: 2, for: 100 }],
    ['a kill-task on subtask 3 after records', { type: 'kill-task', operator: 'counts', subtask: 3, afterRecords: 150 }],
    ['a throw-in-operator armed before the resume, firing after it', { type: 'throw-in-operator', operator: 'counts', subtask: 3, at: 1000 }],
    ['a crash-at on subtask 3', { type: 'crash-at', operator: 'counts', subtask: 3, point: 'after-ack' }],
  ])('%s is valid', (_, fault) => {
    expect(issuesOf(scenario([fault]))).toEqual([]);
  });

  it.each<[string, JsonValue, string]>([
    [
      'a kill-task on subtask 3 before the resume',
      { type: 'kill-task', operator: 'counts', subtask: 3, at: 1000 },
      "when this kill-task fires (it fires at t=1000, before any resume) operator 'counts' has parallelism 2 (config.parallelism), so its subtasks are 0 to 1; found subtask 3; the operator has a subtask 3 after the resume at t=4000 ($.actions[1]): give the fault a time there",
    ],
    [
      "a kill-task at the resume's own ms, which comes before the resume",
      { type: 'kill-task', operator: 'counts', subtask: 3, at: 4000 },
      "when this kill-task fires (it fires at t=4000, before any resume) operator 'counts' has parallelism 2",
    ],
    [
      'a kill-task on subtask 4 after the resume',
      { type: 'kill-task', operator: 'counts', subtask: 4, at: 6000 },
      "when this kill-task fires (it fires at t=6000, after the resume at t=4000 ($.actions[1])) operator 'counts' has parallelism 4 (the resume at $.actions[1]), so its subtasks are 0 to 3; found subtask 4",
    ],
    [
      'a kill-task on subtask 4 after records',
      { type: 'kill-task', operator: 'counts', subtask: 4, afterRecords: 150 },
      "a kill-task fault is checked against the largest parallelism operator 'counts' has while it can fire (it fires after 150 records, which the subtasks of every run count): 2 before any resume, 4 after the resume at t=4000 ($.actions[1]), so its subtasks are 0 to 3 at most; found subtask 4",
    ],
  ])('%s is an error', (_, fault, message) => {
    const issues = issuesOf(scenario([fault]));
    expect(issues.map((i) => i.path)).toEqual(['$.faults[0].subtask']);
    expect(issues[0]!.message).toContain(message);
  });

  it('a fault plan checked on its own (weir check) follows the same rule', () => {
    const s = parsed(scenario([]));
    expect(validateFaultPlan([{ type: 'kill-task', operator: 'counts', subtask: 3, at: 6000 }], s).ok).toBe(true);
    const bad = validateFaultPlan([{ type: 'kill-task', operator: 'counts', subtask: 3, at: 2000 }], s);
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['$.faults[0].subtask']);
  });
});

describe('running a fault on a subtask the resume adds', () => {
  it('a kill on subtask 3 after the resume to 4 fires, and the job restarts and finishes', () => {
    const sim = createSimulation({ scenario: parsed(scenario([{ type: 'kill-task', operator: 'counts', subtask: 3, at: 6000 }])) });
    sim.run();
    const report = sim.report();
    expect(report.faults).toEqual([{ type: 'kill-task', path: '$.faults[0]', fired: true, firedAt: 6000 }]);
    expect(report.restarts.map((r) => [r.at, r.cause])).toEqual([[6000, 'kill-task counts#3']]);
    expect(report.status).toBe('FINISHED');
    expect(report.sinks['out']!.committed).toHaveLength(30);
  });

  it('a subtask that does not exist yet when its fault comes (the resume waits for its stop) leaves the fault unfired', () => {
    // The resume is due at the stop's own ms, so it waits until the stop's savepoint completes: at 3001 the job still has 2 subtasks.
    const input = scenario(
      [
        { type: 'kill-task', operator: 'counts', subtask: 3, at: 3001 },
        { type: 'slow-task', operator: 'counts', subtask: 3, at: 3001, factor: 2, for: 10 },
      ],
      3000,
    );
    const s = parsed(input);
    const sim = createSimulation({ scenario: s });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FINISHED');
    expect(report.faults.map((f) => f.fired)).toEqual([false, false]);
    expect(faultLines(report, s.faults)).toEqual([
      `faults       0 of 2 fired; $.faults[0] kill-task at t=3001 never fired; $.faults[1] slow-task at t=3001 never fired (the run ended at t=${report.virtualTime})`,
    ]);
  });

  it('a subtask beyond the max parallelism, which no rescale reaches, is still an error at the start of the run', () => {
    const s = parsed(scenario([]));
    expect(() => createSimulation({ scenario: s, faults: [{ type: 'kill-task', operator: 'counts', subtask: 128, atMs: 6000, afterRecords: null, path: '$.faults[0]' }] })).toThrow(
      "operator 'counts' has at most 128 subtasks (its maxParallelism, which no rescale goes beyond), found subtask 128",
    );
  });

  it('without a resume, a subtask beyond the client-given parallelism is an error at the start of the run', () => {
    const { actions: _, ...noResume } = scenario([]);
    const s = parsed({ ...noResume, config: { maxParallelism: 128, checkpointing: { interval: 500 } } });
    expect(() =>
      createSimulation({ scenario: s, parallelism: 2, faults: [{ type: 'kill-task', operator: 'counts', subtask: 2, atMs: 1000, afterRecords: null, path: '$.faults[0]' }] }),
    ).toThrow("operator 'counts' has 2 subtask(s) (0..1), found subtask 2");
  });
});
