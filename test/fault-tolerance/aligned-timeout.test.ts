// execution.checkpointing.aligned-checkpoint-timeout: a checkpoint starts aligned, and a
// subtask whose first barrier comes more than the timeout after the checkpoint started (or
// whose alignment outlasts it) takes the checkpoint unaligned: it stops blocking and
// persists what reaches it from the channels still missing their barrier. Announced and
// output-buffered barriers overtaking their queues: test/checkpoint/aligned-checkpoint-timeout.test.ts.
import { describe, expect, it } from 'vitest';
import { createSimulation, type RunReport, type Scenario, type TraceEvent } from '../../core/index.ts';
import { shippedScenarios } from '../scenarios/shipped.ts';

function run(timeoutMs: number | null): { report: RunReport; events: readonly TraceEvent[] } {
  const base = shippedScenarios().find((s) => s.name === 'checkpoints-aligned-under-backpressure')!.scenario;
  const checkpointing = { ...base.config.checkpointing!, unaligned: timeoutMs !== null, alignedCheckpointTimeoutMs: timeoutMs ?? 0 };
  const scenario: Scenario = { ...base, config: { ...base.config, checkpointing } };
  const sim = createSimulation({ scenario, traceLevel: 'summary' });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

const aligned = (events: readonly TraceEvent[]) => events.filter((e) => e.tag === 'barrier.aligned') as { unaligned: boolean; alignmentMs: number }[];

describe('aligned checkpoints with a timeout', () => {
  const plain = run(null);
  const switching = run(5);

  it('subtasks whose barrier comes later than the timeout after the checkpoint started take it unaligned', () => {
    const switched = aligned(switching.events).filter((e) => e.unaligned);
    expect(switched.length).toBeGreaterThan(0);
    expect(aligned(plain.events).every((e) => !e.unaligned)).toBe(true);
    expect(switching.report.checkpoints.every((c) => c.status === 'COMPLETED')).toBe(true);
  });

  it('the same output either way', () => {
    const values = (r: RunReport) => r.sinks['out']!.committed.map((x) => JSON.stringify(x)).sort();
    expect(values(switching.report)).toEqual(values(plain.report));
  });

  it('a timeout longer than any alignment changes nothing: every checkpoint stays aligned', () => {
    const patient = run(100_000);
    expect(aligned(patient.events).every((e) => !e.unaligned)).toBe(true);
    expect(patient.report.checkpoints.map((c) => c.completedAt)).toEqual(plain.report.checkpoints.map((c) => c.completedAt));
  });
});
