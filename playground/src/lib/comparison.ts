/**
 * A run with faults against the same scenario and seed without them: the question every
 * lesson on failures asks ("was anything lost, or written twice?"), answered by Weir's
 * exactly-once oracle, sink by sink, as a multiset (an idempotent sink by its table's rows).
 */
import { checkExactlyOnce, type ExactlyOnceVerdict, type RunReport, type Scenario } from '../../../core/index.ts';

export interface Comparison {
  /** Records the fault-free run committed, all sinks together. */
  readonly referenceRecords: number;
  readonly referenceStatus: string;
  readonly verdict: ExactlyOnceVerdict;
}

export function compareRuns(scenario: Scenario, reference: RunReport, run: RunReport): Comparison {
  const tableSinks = scenario.job.operators.flatMap((op) => (op.type === 'sink' && op.sink.type === 'idempotent' ? [op.id] : []));
  return {
    referenceRecords: Object.values(reference.sinks).reduce((n, s) => n + s.committed.length, 0),
    referenceStatus: reference.status,
    verdict: checkExactlyOnce(reference, run, { tableSinks }),
  };
}
