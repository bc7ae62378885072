/**
 * A fault plan checked on its own, against a scenario that already validated: the same
 * rules as the `faults` section of a file (read-faults.ts), without reading the rest of the
 * file again. `weir check` draws hundreds of plans for one scenario; each goes through this
 * validator, so a drawn plan is always one a teacher could have written in the file.
 */
import { readFaults } from './read-faults.ts';
import { Reader } from './reader.ts';
import type { FaultSpec, Scenario, ValidationIssue } from './types.ts';

export type FaultPlanResult = { ok: true; faults: FaultSpec[] } | { ok: false; issues: ValidationIssue[] };

/**
 * Validates `faults` (JSON, the value a file would have at `$.faults`) for `scenario`.
 * @example
 * const plan = validateFaultPlan([{ type: 'kill-task', operator: 'count', subtask: 0, at: 1500 }], scenario);
 * if (plan.ok) createSimulation({ scenario, faults: plan.faults });
 */
export function validateFaultPlan(faults: unknown, scenario: Scenario): FaultPlanResult {
  const r = new Reader(scenario.file);
  const operators = scenario.job.operators;
  const result = readFaults(r, faults, {
    operators,
    fileIds: new Set(operators.map((o) => o.id)),
    parallelism: scenario.config.parallelism,
    clientParallelism: null,
    taskManagers: scenario.cluster.taskManagers,
    takesCheckpoints: scenario.config.checkpointing !== null || scenario.actions.some((a) => a.type !== 'resume'),
    resumes: scenario.actions.filter((a) => a.type === 'resume'),
  });
  return r.issues.length > 0 ? { ok: false, issues: r.issues } : { ok: true, faults: result };
}
