// The summary's line about the run's fault plan. A fault that fired shows in the timeline
// (its failure, the restart); one that never fired leaves no trace there at all, so a
// reader would think it was tested. The line says how many fired and names the others,
// with what they waited for and when the run ended.
import type { FaultSpec, RunReport } from '../core/index.ts';

/** What a fault waits for, as a reader of its file would say it: `at t=1500`, `after 40 records`, `at commit of checkpoint 3`. */
function trigger(spec: FaultSpec): string {
  if (spec.type === 'crash-at') return `at ${spec.point}${spec.checkpoint === null ? '' : ` of checkpoint ${spec.checkpoint}`}`;
  if (spec.type === 'fail-checkpoint') return `of checkpoint ${spec.checkpoint}`;
  return spec.afterRecords !== null ? `after ${spec.afterRecords} records` : `at t=${spec.atMs}`;
}

/**
 * `faults       1 of 2 fired; $.faults[1] kill-task at t=1000000000000 never fired (the run ended at t=1000)`,
 * or nothing for a run without faults. `specs` are the scenario's faults (found by their path).
 */
export function faultLines(report: RunReport, specs: readonly FaultSpec[]): string[] {
  const faults = report.faults;
  if (faults.length === 0) return [];
  const fired = faults.filter((f) => f.fired).length;
  const never = faults.flatMap((f) => {
    if (f.fired) return [];
    const spec = specs.find((s) => s.path === f.path);
    return [`${f.path} ${f.type}${spec === undefined ? '' : ` ${trigger(spec)}`} never fired`];
  });
  const tail = never.length === 0 ? '' : `; ${never.join('; ')} (the run ended at t=${report.virtualTime})`;
  return [`faults       ${fired} of ${faults.length} fired${tail}`];
}
