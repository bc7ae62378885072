// A checkpoint subtask by subtask, from real runs of shipped scenarios, checked against
// what the run report says of the same checkpoint on its own (trigger and completion
// times, the longest alignment, the state size).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { checkpointTimeline, timelineEndMs, triggeredCheckpoints } from '../../playground/src/lib/checkpoint-timeline.ts';

function runOf(name: string) {
  const file = `scenarios/${name}.json`;
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  sim.run();
  const report = sim.report();
  return { report, events: sim.trace.events, tasks: report.tasks.map((t) => t.id) };
}

describe('checkpointTimeline', () => {
  for (const name of ['checkpoint-recovery', 'checkpoints-aligned-under-backpressure', 'checkpoints-unaligned-under-backpressure']) {
    it(`${name}: every checkpoint agrees with the report, one row per subtask in the report's order`, () => {
      const { report, events, tasks } = runOf(name);
      expect(triggeredCheckpoints(events)).toEqual(report.checkpoints.map((c) => c.id));
      for (const c of report.checkpoints) {
        const timeline = checkpointTimeline(events, c.id, tasks)!;
        expect(timeline.triggeredMs).toBe(c.triggeredAt);
        expect(timeline.outcome).toBe(c.status);
        expect(timeline.rows.map((r) => r.task)).toEqual(tasks);
        if (c.status !== 'COMPLETED') continue;
        expect(timeline.endedMs).toBe(c.completedAt);
        const snapshots = timeline.rows.filter((r) => r.snapshotMs !== null);
        expect(snapshots).toHaveLength(timeline.tasks);
        expect(snapshots.reduce((n, r) => n + r.stateSize!, 0)).toBe(c.stateSize);
        expect(Math.max(...timeline.rows.map((r) => r.alignmentMs ?? 0))).toBe(c.alignmentMs);
        for (const r of timeline.rows) {
          // In the order Flink's details read: trigger, barriers, alignment, snapshot, completion.
          const steps = [timeline.triggeredMs, r.firstBarrierMs, r.alignmentStartMs, r.alignedMs, r.snapshotMs, timeline.endedMs].filter((t) => t !== null);
          expect(steps, `${r.task} in checkpoint ${c.id}`).toEqual([...steps].sort((a, b) => a - b));
          if (r.alignedMs !== null) expect(r.alignedMs - r.alignmentMs!).toBeGreaterThanOrEqual(r.firstBarrierMs!);
        }
      }
    });
  }

  it('aligned under backpressure: the sources snapshot at once, each enrich subtask gets both barriers, the last one late behind the backlog', () => {
    const { events, tasks } = runOf('checkpoints-aligned-under-backpressure');
    const t = checkpointTimeline(events, 1, tasks)!;
    const row = (task: string) => t.rows.find((r) => r.task === task)!;
    expect(row('readings#0')).toMatchObject({ firstBarrierMs: null, barriers: 0, snapshotMs: 501 });
    expect(row('enrich#0')).toMatchObject({ barriers: 2, alignmentStartMs: 502, alignedMs: 502, snapshotMs: 502, unaligned: false });
    expect(row('enrich#1')).toMatchObject({ barriers: 2, firstBarrierMs: 591, snapshotMs: 591 });
    expect(t).toMatchObject({ triggeredMs: 500, endedMs: 592, outcome: 'COMPLETED' });
    expect(timelineEndMs(t)).toBe(592);
  });

  it('an expired checkpoint keeps the subtask that never acknowledged as a row with nothing in it, and says why it failed', () => {
    const { report, events, tasks } = runOf('checkpoint-expires');
    const c = report.checkpoints.find((x) => x.status === 'FAILED')!;
    const t = checkpointTimeline(events, c.id, tasks)!;
    expect(t.outcome).toBe('FAILED');
    expect(t.reason).toContain(c.failureCause!);
    const silent = t.rows.filter((r) => r.snapshotMs === null);
    expect(silent.length).toBeGreaterThan(0);
    for (const r of silent) expect(c.failureCause).toContain(r.task);
  });

  it('is null for a checkpoint that was never triggered', () => {
    expect(checkpointTimeline([], 1, ['a#0'])).toBeNull();
  });
});
