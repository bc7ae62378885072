// Every deployment of a subtask is a new execution attempt, and nothing addressed to an
// earlier one reaches it: not a buffer or a credit still travelling on a channel that the
// failover tore down, not a processing-time timer, not a checkpoint trigger. These tests
// make sure such leftovers exist at the moment of a failure and then that they are dropped.
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type FaultSpec, type Scenario, type TraceEvent } from '../../core/index.ts';

function scenario(overrides: { checkpointing?: boolean; latency?: number } = {}): Scenario {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'attempts',
      seed: 9,
      cluster: { networkLatency: overrides.latency ?? 20, bufferSize: 4 },
      config: {
        parallelism: 2,
        ...(overrides.checkpointing === false ? {} : { checkpointing: { interval: 100 } }),
        restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 30 },
      },
      topics: { t: { partitions: 2, generator: { count: 200, interval: 2, keys: 5, outOfOrderness: 0, value: '{k: key}' } } },
      job: {
        name: 'processing-time counts',
        operators: [
          { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'none' } },
          { id: 'byKey', type: 'keyBy', input: 'src', key: 'k' },
          { id: 'win', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: 150, time: 'processing' }, aggregate: 'count' },
          { id: 'out', type: 'sink', input: 'win', sink: { type: 'print' } },
        ],
      },
    },
    'attempts.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

const kill = (atMs: number): FaultSpec => ({ type: 'kill-task', operator: 'win', subtask: 0, atMs, afterRecords: null, path: '$.faults[0]' });

function taskEvents(events: readonly TraceEvent[], task: string, attempt: number): TraceEvent[] {
  return events.filter((e) => 'task' in e && e.task === task && 'attempt' in e && e.attempt === attempt);
}

describe('execution attempts', () => {
  it('a restarted subtask runs as attempt 2, and attempt 1 does nothing after it failed', () => {
    const sim = createSimulation({ scenario: scenario(), faults: [kill(170)] });
    sim.run();
    const events = sim.trace.events;
    const failedAt = events.find((e) => e.tag === 'task.status' && e.task === 'win#0' && e.status === 'FAILED')!.timeMs;
    const late = taskEvents(events, 'win#0', 1).filter((e) => e.timeMs > failedAt);
    expect(late).toEqual([]);
    expect(sim.jobManager.task('win#0')!.attempt).toBe(2);
    expect(taskEvents(events, 'win#0', 2).some((e) => e.tag === 'window.fired')).toBe(true);
  });

  it('buffers and credits in flight on torn-down channels are dropped, never delivered to the new attempt', () => {
    // 20 ms of network latency: at the failure many buffers and credits are on the wire.
    const sim = createSimulation({ scenario: scenario({ latency: 20 }), faults: [kill(170)] });
    sim.run();
    const dropped = sim.jobManager.network.dropped;
    expect(dropped.buffers + dropped.credits).toBeGreaterThan(0);
    expect(sim.report().status).toBe('FINISHED');
    // Every live channel's credits are within its buffers (Channel.grant asserts it, and a stale credit would break it).
    for (const c of sim.jobManager.channels) expect(c.credits).toBeLessThanOrEqual(c.buffers);
  });

  it("attempt 1's processing-time timers and checkpoint messages are dropped after the restart", () => {
    const sim = createSimulation({ scenario: scenario(), faults: [kill(170)] });
    sim.run();
    expect(sim.jobManager.droppedTaskEvents).toBeGreaterThan(0);
    // A window of attempt 1 whose timer was pending fires for attempt 2 only if attempt 2 has the window again.
    const firedByOld = taskEvents(sim.trace.events, 'win#0', 1).filter((e) => e.tag === 'window.fired' && e.timeMs >= 170);
    expect(firedByOld).toEqual([]);
  });

  it('without a checkpoint the restarted region starts from nothing: sources read from offset 0 again', () => {
    const sim = createSimulation({ scenario: scenario({ checkpointing: false }), faults: [kill(50)] });
    sim.run();
    const report = sim.report();
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]!.restoredFrom).toBeNull();
    expect(sim.trace.events.find((e) => e.tag === 'job.restored')).toMatchObject({ checkpoint: null });
    // Every record before the failure is read a second time.
    expect(report.metrics.recordsIn).toBeGreaterThan(200);
    expect(report.status).toBe('FINISHED');
  });

  it("without checkpointing and without a restart strategy, Flink's default is no restart: the job fails", () => {
    const s = scenario({ checkpointing: false });
    s.config.restartStrategy = null;
    const sim = createSimulation({ scenario: s, faults: [kill(50)] });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toMatch(/kill-task win#0/);
    expect(report.restarts).toEqual([]);
  });
});
