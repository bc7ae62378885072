// The lessons of the checkpointing scenarios, checked on their runs: what the description
// says a learner will see is what the run shows.
import { describe, expect, it } from 'vitest';
import { createSimulation, type RunReport, type TraceEvent } from '../../core/index.ts';
import { shippedScenarios } from './shipped.ts';

function run(name: string): { report: RunReport; events: readonly TraceEvent[] } {
  const shipped = shippedScenarios().find((s) => s.name === name);
  if (shipped === undefined) throw new Error(`no shipped scenario ${name}`);
  const sim = createSimulation({ scenario: shipped.scenario, traceLevel: 'summary' });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

const duration = (c: RunReport['checkpoints'][number]) => c.completedAt! - c.triggeredAt;
const max = (xs: number[]) => Math.max(...xs);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('aligned vs unaligned checkpoints under backpressure', () => {
  const aligned = run('checkpoints-aligned-under-backpressure');
  const unaligned = run('checkpoints-unaligned-under-backpressure');
  // The last checkpoint comes after the backlog is gone; the lesson is in the ones before.
  const underLoad = (r: RunReport) => r.checkpoints.filter((c) => c.status === 'COMPLETED').slice(0, -1);

  it('both give the same output', () => {
    const values = (r: RunReport) => r.sinks['out']!.committed.map((x) => JSON.stringify(x)).sort();
    expect(values(unaligned.report)).toEqual(values(aligned.report));
  });

  it('aligned checkpoints take around 90 ms end to end: their barriers wait behind the backlog', () => {
    // The buffers in front of a barrier at one enrich subtask: 2 channels x 2 buffers x 16 records, at 1 record per ms.
    expect(Math.min(...underLoad(aligned.report).map(duration))).toBeGreaterThan(64);
  });

  it('unaligned ones complete in a few ms, well under half that time', () => {
    expect(max(underLoad(unaligned.report).map(duration)) * 2).toBeLessThan(Math.min(...underLoad(aligned.report).map(duration)));
    // The barrier overtakes within the ms its enrich subtask is busy with, plus the way there and back.
    expect(max(underLoad(unaligned.report).map(duration))).toBeLessThanOrEqual(5);
  });

  it('unaligned checkpoints are several times larger: they carry the in-flight records as channel state', () => {
    expect(mean(underLoad(unaligned.report).map((c) => c.stateSize))).toBeGreaterThan(3 * mean(underLoad(aligned.report).map((c) => c.stateSize)));
    const persisted = unaligned.events.filter((e) => e.tag === 'snapshot.taken').reduce((n, e) => n + (e as { channelStateRecords: number }).channelStateRecords, 0);
    expect(persisted).toBeGreaterThan(50);
    expect(aligned.events.filter((e) => e.tag === 'snapshot.taken').every((e) => (e as { channelStateRecords: number }).channelStateRecords === 0)).toBe(true);
  });
});

describe('a savepoint, and rescaling from 2 to 4', () => {
  const { report, events } = run('savepoint-and-rescale');

  it('takes two savepoints, stops, and resumes from the second with four subtasks per operator', () => {
    expect(report.checkpoints.map((c) => [c.id, c.status, c.savepoint])).toEqual([
      [1, 'COMPLETED', true],
      [2, 'COMPLETED', true],
    ]);
    const restored = events.find((e) => e.tag === 'job.restored') as { checkpoint: number; savepoint: boolean; tasks: readonly string[] };
    expect(restored).toMatchObject({ checkpoint: 2, savepoint: true });
    expect(restored.tasks).toHaveLength(8);
    expect(report.jobGraph.vertices.map((v) => v.parallelism)).toEqual([4, 4]);
    expect(report.restarts).toEqual([]);
  });

  it('the job was FINISHED in between, stopped by the savepoint, then ran again', () => {
    const statuses = events.filter((e) => e.tag === 'job.status').map((e) => (e as { status: string }).status);
    expect(statuses).toEqual(['CREATED', 'RUNNING', 'FINISHED', 'CREATED', 'RUNNING', 'FINISHED']);
  });

  it('every one of the 200 records is counted exactly once across the stop and the rescale', () => {
    const counts = new Map<string, number>();
    for (const r of report.sinks['out']!.committed) {
      const v = r.value as { key: string; window: { start: number }; value: number };
      const k = `${v.key}@${v.window.start}`;
      expect(counts.has(k)).toBe(false);
      counts.set(k, v.value);
    }
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(200);
    expect(report.metrics.recordsIn).toBe(200);
  });
});
