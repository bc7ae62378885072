// Edges a review found: each checks what Flink does where a first version did otherwise.
import { describe, expect, it } from 'vitest';
import { createSimulation, type ActionSpec, type FaultSpec, type Scenario } from '../../core/index.ts';
import { shippedScenarios } from '../scenarios/shipped.ts';

const recovery = shippedScenarios().find((s) => s.name === 'checkpoint-recovery')!.scenario;
const rescale = shippedScenarios().find((s) => s.name === 'savepoint-and-rescale')!.scenario;

function run(scenario: Scenario, faults: FaultSpec[] = scenario.faults, actions: ActionSpec[] = scenario.actions) {
  const sim = createSimulation({ scenario: { ...scenario, faults, actions }, traceLevel: 'summary' });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

const fault = (f: Partial<FaultSpec> & { type: FaultSpec['type'] }): FaultSpec => ({ atMs: null, afterRecords: null, path: '$.faults[0]', ...f }) as FaultSpec;

describe('edges of failure and recovery', () => {
  it('crash-at after-ack: the acknowledgement reaches the coordinator before the failure, so the job restores from that very checkpoint', () => {
    const { report } = run(recovery, [fault({ type: 'crash-at', operator: 'counts', subtask: 1, point: 'after-ack', checkpoint: 2, atMs: 0 })]);
    expect(report.checkpoints.find((c) => c.id === 2)!.status).toBe('COMPLETED');
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]!.restoredFrom).toBe(2);
  });

  it('two subtasks of one region failing in the same ms are one failover: one restart attempt', () => {
    const s: Scenario = { ...recovery, config: { ...recovery.config, restartStrategy: { type: 'fixed-delay', attempts: 1, delayMs: 500 } } };
    const { report } = run(s, [fault({ type: 'kill-task', operator: 'counts', subtask: 0, atMs: 1500 }), fault({ type: 'kill-task', operator: 'counts', subtask: 1, atMs: 1500, path: '$.faults[1]' })]);
    expect(report.restarts).toHaveLength(1);
    expect(report.status).toBe('FINISHED');
  });

  it('a resume waits for the stop-with-savepoint before it to complete', () => {
    const [savepoint, stop, resume] = rescale.actions as [ActionSpec, ActionSpec, ActionSpec];
    const { report, events } = run(rescale, [], [savepoint, stop, { ...resume, atMs: stop.atMs }]);
    expect(events.some((e) => e.tag === 'action.skipped')).toBe(false);
    expect(report.metrics.recordsIn).toBe(200);
    expect(report.jobGraph.vertices.map((v) => v.parallelism)).toEqual([4, 4]);
  });

  it('a resume with no stop before it is skipped, and the trace says why', () => {
    const [savepoint, , resume] = rescale.actions as [ActionSpec, ActionSpec, ActionSpec];
    const { report, events } = run(rescale, [], [savepoint, { ...resume, atMs: 20_000 }]);
    const skipped = events.find((e) => e.tag === 'action.skipped') as { reason: string } | undefined;
    expect(skipped?.reason).toMatch(/without being stopped with a savepoint/);
    expect(report.metrics.recordsIn).toBe(200);
  });

  it('a rescale beyond maxParallelism is skipped with the reason, not an internal error', () => {
    const s: Scenario = { ...rescale, config: { ...rescale.config, maxParallelism: 4 } };
    const [savepoint, stop, resume] = s.actions as [ActionSpec, ActionSpec, ActionSpec];
    const { events } = run(s, [], [savepoint, stop, { ...resume, parallelism: 8 } as ActionSpec]);
    expect((events.find((e) => e.tag === 'action.skipped') as { reason: string }).reason).toMatch(/maxParallelism/);
  });

  it('a kill-task of a subtask that is not running says so instead of claiming a kill', () => {
    const { events } = run(recovery, [fault({ type: 'kill-task', operator: 'counts', subtask: 0, atMs: 2500 }), fault({ type: 'kill-task', operator: 'counts', subtask: 0, atMs: 2700, path: '$.faults[1]' })]);
    const injected = events.filter((e) => e.tag === 'fault.injected').map((e) => (e as { description: string }).description);
    expect(injected[1]).toMatch(/^no effect: counts#0 is not running/);
  });
});
