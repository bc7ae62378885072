// A stop-with-savepoint that does not end the job, as Flink's
// StopWithSavepointTerminationHandler decides: when the savepoint fails the job keeps
// running (its sources resume, periodic checkpoints start again, and the failure is not
// counted against tolerableFailures); when the savepoint completes but a task fails to
// finish, a global failover follows. Periodic checkpoints stop while the stop is under way.
import { describe, expect, it } from 'vitest';
import { renderTimeline } from '../../cli/timeline.ts';
import type { RunReport } from '../../core/index.ts';
import { ofTag, runVariant as run } from './variants.ts';

const committed = (r: RunReport) => r.sinks['out']!.committed.map((x) => JSON.stringify(x)).sort();

describe('the savepoint of a stop-with-savepoint fails: the job goes on', () => {
  // savepoint-and-rescale: savepoint 1 at t=3000, the stop's savepoint 2 at t=5100, a resume at t=6000.
  const failed = run('savepoint-and-rescale', (s) => (s.faults = [{ type: 'fail-checkpoint', checkpoint: 2 }]));

  it('savepoint 2 is FAILED, marked a savepoint in the trace and the timeline, and not counted', () => {
    const sp = failed.report.checkpoints.find((c) => c.id === 2)!;
    expect(sp).toMatchObject({ status: 'FAILED', savepoint: true, failureReason: 'DECLINED' });
    const event = ofTag(failed.events, 'checkpoint.failed').find((e) => e.checkpoint === 2)!;
    expect(event).toMatchObject({ savepoint: true, counted: false });
    expect(renderTimeline(failed.events, failed.report)).toMatch(/savepoint 2 FAILED: CHECKPOINT_ASYNC_EXCEPTION/);
  });

  it('the job is not stopped: it reads its input to the end and FINISHES by itself, the resume finds nothing to resume', () => {
    expect(failed.report.status).toBe('FINISHED');
    expect(failed.report.restarts).toEqual([]);
    expect(ofTag(failed.events, 'action.skipped').map((e) => e.action)).toEqual([expect.stringMatching(/^resume/)]);
    const never = run('savepoint-and-rescale', (s) => (s.actions = [s.actions[0]]));
    expect(committed(failed.report)).toEqual(committed(never.report));
  });

  it("the sources' periodic watermarks, held while the stop was under way, come again once it failed, as in the run without the stop", () => {
    // A watermark every ms, so that some come due while the stop is under way.
    const everyMs = (s: Parameters<Parameters<typeof run>[1]>[0]) => (s.config.autoWatermarkInterval = 1);
    const failed = run('savepoint-and-rescale', (s) => {
      everyMs(s);
      s.faults = [{ type: 'fail-checkpoint', checkpoint: 2 }];
    });
    const never = run('savepoint-and-rescale', (s) => {
      everyMs(s);
      s.actions = [s.actions[0]];
    });
    const failedAt = ofTag(failed.events, 'checkpoint.failed').find((e) => e.checkpoint === 2)!.timeMs;
    const sourceWatermarks = (events: typeof failed.events) => ofTag(events, 'watermark.advanced').filter((e) => e.task.startsWith('clicks#') && e.timeMs > failedAt + 300);
    expect(sourceWatermarks(failed.events).length).toBeGreaterThan(0);
    expect(sourceWatermarks(failed.events).map((e) => [e.task, e.timeMs, e.watermark])).toEqual(sourceWatermarks(never.events).map((e) => [e.task, e.timeMs, e.watermark]));
  });

  it('with periodic checkpoints and tolerableFailures 0: no failover, and checkpoints start again after the failed stop', () => {
    const { report, events } = run('savepoint-and-rescale', (s) => {
      s.config.checkpointing = { interval: 1000, tolerableFailures: 0 };
      s.actions = [{ type: 'stop-with-savepoint', at: 2500 }];
      // Checkpoints 1 and 2 at t=1000 and 2000; the stop's savepoint is 3.
      s.faults = [{ type: 'fail-checkpoint', checkpoint: 3 }];
    });
    expect(report.checkpoints.find((c) => c.id === 3)).toMatchObject({ status: 'FAILED', savepoint: true });
    expect(report.restarts).toEqual([]);
    expect(report.status).toBe('FINISHED');
    const after = ofTag(events, 'checkpoint.triggered').filter((e) => e.timeMs > 2500);
    // The scheduler starts again when the stop fails: the next checkpoint an interval later.
    expect(after[0]).toMatchObject({ checkpoint: 4, savepoint: false });
    expect(after[0]!.timeMs).toBeGreaterThan(3000);
  });
});

describe('stop-with-savepoint stops periodic checkpoints first', () => {
  it('a checkpoint still pending at the stop is aborted, and none is triggered until the stop ends', () => {
    const { report, events } = run('savepoint-and-rescale', (s) => {
      // A slow storage keeps checkpoint 2 (t=2000) pending at the stop, t=2500.
      s.config.checkpointing = { interval: 1000, storage: { type: 'filesystem', writeLatency: 700 } };
      s.actions = [{ type: 'stop-with-savepoint', at: 2500 }];
    });
    expect(report.checkpoints.find((c) => c.id === 2)).toMatchObject({ status: 'ABORTED' });
    const aborted = ofTag(events, 'checkpoint.failed').find((e) => e.checkpoint === 2)!;
    expect(aborted).toMatchObject({ timeMs: 2500, reason: 'CHECKPOINT_COORDINATOR_SUSPEND', counted: false });
    expect(ofTag(events, 'checkpoint.triggered').filter((e) => e.timeMs > 2500)).toEqual([]);
    expect(report.status).toBe('FINISHED');
  });
});

describe('the savepoint completes but a task does not finish: a global failover', () => {
  // two-phase-commit-lifecycle: checkpoints at t=1000 and 2000; the stop at 2500 takes savepoint 3, and its commit throws.
  const { report, events } = run('two-phase-commit-lifecycle', (s) => {
    s.faults = [{ type: 'fail-commit', operator: 'out', at: 2500 }];
    s.actions = [{ type: 'stop-with-savepoint', at: 2500 }];
  });

  it('savepoint 3 completes, then every subtask restarts from checkpoint 2 and the job runs on to its end', () => {
    expect(report.checkpoints.find((c) => c.id === 3)).toMatchObject({ status: 'COMPLETED', savepoint: true });
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]).toMatchObject({ restoredFrom: 2, tasks: ['clicks#0', 'clicks#1', 'counts#0', 'counts#1'] });
    expect(report.restarts[0]!.cause).toMatch(/^stop-with-savepoint: savepoint 3 completed, but counts#0 did not finish/);
    expect(ofTag(events, 'job.status').map((e) => e.status)).toEqual(['CREATED', 'RUNNING', 'RESTARTING', 'RUNNING', 'FINISHED']);
    expect(ofTag(events, 'job.status').at(-1)!.cause).toBeNull();
  });

  it('exactly once all the same: the committed output is that of a run without the stop', () => {
    const plain = run('two-phase-commit-lifecycle', (s) => (s.faults = []));
    expect(committed(report)).toEqual(committed(plain.report));
  });
});
