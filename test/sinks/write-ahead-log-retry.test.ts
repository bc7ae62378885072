// A write-ahead-log sink whose send fails, as Flink's GenericWriteAheadSink handles it: a
// `fail-commit` fault is sendValues returning false, so the batch is neither written nor
// marked, stays pending (in the next snapshot too) and is sent again when the next
// checkpoint completes. Nothing fails, nothing is lost or duplicated. Only at the final
// checkpoint, when no notification will come, is a failed send's batch lost: the job
// finishes without it, as Flink's does. The at-least-once corner stays where it was: a
// crash after a (retried) send and before the mark.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { multiset, run, scenario, steps, WAL, type CommitStep } from './clicks-job.ts';

const reference = multiset(run(scenario(WAL)).report.sinks['out']!.committed);

/** The commit steps of one subtask's batch of one checkpoint, in trace order: `sent@attempt`, ... */
function history(events: Parameters<typeof steps>[0], task: string, checkpoint: number): string[] {
  return events
    .filter((e): e is CommitStep => e.tag === 'sink.commit' && e.task === task && e.checkpoint === checkpoint)
    .map((e) => `${e.step}@${e.attempt} t=${e.timeMs}`);
}

describe('a failed send of a write-ahead log is retried, not failed', () => {
  it('at the next checkpoint: checkpoint 3\'s batch fails at 3005, is sent and marked at 4005, and the task never fails', () => {
    const { report, events } = run(scenario(WAL, [{ type: 'fail-commit', operator: 'out', at: 2500 }]));
    expect(report.status).toBe('FINISHED');
    expect(report.restarts).toEqual([]);
    expect(multiset(report.sinks['out']!.committed)).toEqual(reference);
    expect(history(events, 'counts#1', 3)).toEqual(['send-failed@1 t=3005', 'sent@1 t=4005', 'marked@1 t=4005']);
    const failed = steps(events, 'send-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.detail).toMatch(/stays pending and is sent again when the next checkpoint completes/);
    expect(events.filter((e) => e.tag === 'fault.injected').map((e) => (e as { description: string }).description)).toEqual(['the commit of checkpoint 3 in counts#1 fails']);
  });

  it('at the final checkpoint of the bounded job: checkpoint 7\'s batch is sent when checkpoint 8, the final one, completes', () => {
    const { report, events } = run(scenario(WAL, [{ type: 'fail-commit', operator: 'out', at: 6500 }]));
    expect(report.restarts).toEqual([]);
    expect(multiset(report.sinks['out']!.committed)).toEqual(reference);
    expect(history(events, 'counts#0', 7)).toEqual(['send-failed@1 t=7005', 'sent@1 t=8004', 'marked@1 t=8004']);
  });

  it('a send that fails at the final checkpoint is never retried: no notification follows, the job finishes and the batch is lost', () => {
    const { report, events } = run(scenario(WAL, [{ type: 'fail-commit', operator: 'out', at: 7500 }]));
    expect(report.status).toBe('FINISHED');
    expect(report.restarts).toEqual([]);
    expect(history(events, 'counts#0', 8)).toEqual(['send-failed@1 t=8004']);
    const lost = steps(events, 'send-failed')[0]!;
    expect(lost.detail).toMatch(/no notification follows the final checkpoint: the batch is never sent/);
    const got = multiset(report.sinks['out']!.committed);
    expect(got.length).toBe(reference.length - lost.records);
    expect(lost.records).toBeGreaterThan(0);
  });

  it('property: one failed send, at any time or record count, never fails the task, and loses records only when it is the final checkpoint\'s (t=8004)', () => {
    const trigger = fc.oneof(fc.integer({ min: 0, max: 8004 }).map((at) => ({ at })), fc.integer({ min: 1, max: 16 }).map((afterRecords) => ({ afterRecords })));
    fc.assert(
      fc.property(trigger, (t) => {
        const { report, events } = run(scenario(WAL, [{ type: 'fail-commit', operator: 'out', ...t }]));
        expect(report.status).toBe('FINISHED');
        expect(report.restarts).toEqual([]);
        const failedAtFinal = steps(events, 'send-failed').filter((e) => e.timeMs === 8004);
        const lost = failedAtFinal.reduce((n, e) => n + e.records, 0);
        if (lost === 0) expect(multiset(report.sinks['out']!.committed)).toEqual(reference);
        else expect(multiset(report.sinks['out']!.committed).length).toBe(reference.length - lost);
      }),
      { seed: 7, numRuns: 25 },
    );
  });
});

describe("the at-least-once corner of a retried batch (seed 1)", () => {
  it('a crash after the retry sent checkpoint 3\'s batch, before the mark: the restored subtask sends it a third time, three duplicates', () => {
    const faults = [
      { type: 'fail-commit', operator: 'out', at: 2500 },
      { type: 'crash-at', operator: 'out', subtask: 1, point: 'after-wal-send', checkpoint: 3 },
    ];
    const { report, events } = run(scenario(WAL, faults));
    expect(report.status).toBe('FINISHED');
    expect(report.restarts).toHaveLength(1);
    const got = multiset(report.sinks['out']!.committed);
    expect(new Set(got)).toEqual(new Set(reference));
    expect(got.length - reference.length).toBe(3);
    // Failed at 3005, sent at 4005 and killed before the mark, sent again by attempt 2 from checkpoint 4's state.
    expect(history(events, 'counts#1', 3).map((s) => s.split(' ')[0])).toEqual(['send-failed@1', 'sent@1', 'sent@2', 'marked@2']);
  });
});
