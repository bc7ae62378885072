// Each rule of the report's folds on a few hand-written events: what a checkpoint's entry
// takes from which event, and which restart decision a redeployment carries out.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../core/index.ts';
import { foldCheckpoints, foldRestarts } from '../../core/check/index.ts';

const triggered = (timeMs: number, checkpoint: number, savepoint = false): TraceEvent => ({ tag: 'checkpoint.triggered', timeMs, checkpoint, savepoint, tasks: 2 });
const aligned = (timeMs: number, checkpoint: number, task: string, alignmentMs: number): TraceEvent => ({ tag: 'barrier.aligned', timeMs, task, attempt: 1, checkpoint, alignmentMs, unaligned: false });
const completed = (timeMs: number, checkpoint: number, stateSize = 100): TraceEvent => ({ tag: 'checkpoint.completed', timeMs, checkpoint, savepoint: false, stateSize, checkpointedSize: stateSize, durationMs: 0 });
const failed = (timeMs: number, checkpoint: number, status: 'FAILED' | 'ABORTED', reason: string, cause: string | null = null): TraceEvent => ({ tag: 'checkpoint.failed', timeMs, checkpoint, status, reason, cause, counted: false });
const restarting = (timeMs: number, attempt: number, delayMs: number, tasks: string[]): TraceEvent => ({ tag: 'job.restarting', timeMs, attempt, delayMs, cause: `failure ${attempt}`, tasks });
const restored = (timeMs: number, checkpoint: number | null, tasks: string[], savepoint = false): TraceEvent => ({ tag: 'job.restored', timeMs, checkpoint, savepoint, tasks });
const created = (timeMs: number): TraceEvent => ({ tag: 'job.status', timeMs, job: 'job-2', status: 'CREATED', cause: null });

describe('checkpoints', () => {
  it('a completed checkpoint has its sizes, its completion time and the longest alignment of its subtasks', () => {
    const [c] = foldCheckpoints([triggered(1000, 1), aligned(1003, 1, 'b#0', 7), aligned(1004, 1, 'b#1', 2), completed(1006, 1, 879)]);
    expect(c).toStrictEqual({ id: 1, status: 'COMPLETED', triggeredAt: 1000, stateSize: 879, checkpointedSize: 879, alignmentMs: 7, completedAt: 1006 });
  });

  it('one that failed shows no sizes and no alignment, and the short reason', () => {
    const [c] = foldCheckpoints([triggered(1000, 1), aligned(1003, 1, 'b#0', 7), failed(1500, 1, 'FAILED', 'CHECKPOINT_EXPIRED', 'not acknowledged by b#1')]);
    expect(c).toStrictEqual({ id: 1, status: 'FAILED', triggeredAt: 1000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: 'EXPIRED', failureCause: 'not acknowledged by b#1' });
  });

  it('an alignment after the checkpoint ended changes nothing', () => {
    const [c] = foldCheckpoints([triggered(1000, 1), aligned(1001, 1, 'b#0', 1), completed(1002, 1), aligned(1003, 1, 'b#1', 50)]);
    expect(c!.alignmentMs).toBe(1);
  });

  it('groups the reasons as the report does (SUBSUMED, DECLINED) and keeps the others', () => {
    const reasons = foldCheckpoints([
      triggered(1, 1), failed(2, 1, 'ABORTED', 'CHECKPOINT_SUBSUMED'),
      triggered(3, 2), failed(4, 2, 'FAILED', 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM'),
      triggered(5, 3), failed(6, 3, 'FAILED', 'CHECKPOINT_ASYNC_EXCEPTION'),
      triggered(7, 4), failed(8, 4, 'FAILED', 'TASK_FAILURE'),
    ]).map((c) => [c.status, c.failureReason]);
    expect(reasons).toEqual([['ABORTED', 'SUBSUMED'], ['FAILED', 'DECLINED'], ['FAILED', 'DECLINED'], ['FAILED', 'TASK_FAILURE']]);
  });

  it('a failure never triggered is a savepoint asked for while not every subtask ran', () => {
    const [c] = foldCheckpoints([failed(2500, 3, 'FAILED', 'NOT_ALL_REQUIRED_TASKS_RUNNING', 'not all required tasks are currently running')]);
    expect(c).toMatchObject({ id: 3, status: 'FAILED', triggeredAt: 2500, savepoint: true, failureReason: 'NOT_ALL_REQUIRED_TASKS_RUNNING' });
  });

  it('one not ended yet is IN_PROGRESS, with nothing of its alignment so far', () => {
    const [c] = foldCheckpoints([triggered(1000, 1, true), aligned(1003, 1, 'b#0', 7)]);
    expect(c).toStrictEqual({ id: 1, status: 'IN_PROGRESS', triggeredAt: 1000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, savepoint: true });
  });
});

describe('restarts', () => {
  it('a redeployment restores the decision whose subtasks it redeploys', () => {
    expect(foldRestarts([restarting(2500, 1, 500, ['a#0', 'b#0']), restored(3000, 2, ['a#0', 'b#0'])])).toEqual([
      { at: 2500, cause: 'failure 1', attempt: 1, delay: 500, tasks: ['a#0', 'b#0'], restoredFrom: 2 },
    ]);
  });

  it('two regions restart each after its own backoff, each from what was latest then', () => {
    const r = foldRestarts([restarting(100, 1, 500, ['a#0']), restarting(200, 2, 500, ['a#1']), restored(600, 1, ['a#0']), restored(700, 2, ['a#1'])]);
    expect(r.map((x) => x.restoredFrom)).toEqual([1, 2]);
  });

  it('a newer decision that takes over every subtask of an older one carries it out: the older restores nothing', () => {
    const r = foldRestarts([restarting(100, 1, 500, ['a#0']), restarting(200, 2, 500, ['a#0', 'b#0']), restored(700, 3, ['a#0', 'b#0'])]);
    expect(r.map((x) => x.restoredFrom)).toEqual([null, 3]);
  });

  it('a decision partly taken over is restored with the rest of its subtasks', () => {
    const r = foldRestarts([restarting(100, 1, 500, ['a#0', 'b#0']), restarting(200, 2, 500, ['b#0']), restored(600, 1, ['a#0']), restored(700, 2, ['b#0'])]);
    expect(r.map((x) => x.restoredFrom)).toEqual([1, 2]);
  });

  it('redeployed from nothing: restoredFrom stays null; not redeployed yet: null too', () => {
    expect(foldRestarts([restarting(100, 1, 500, ['a#0']), restored(600, null, ['a#0'])])[0]!.restoredFrom).toBeNull();
    expect(foldRestarts([restarting(100, 1, 500, ['a#0'])])[0]!.restoredFrom).toBeNull();
  });

  it("a resumed job's restore from its savepoint is no restart, and leaves an older decision as it was", () => {
    const r = foldRestarts([restarting(100, 1, 500, ['a#0']), created(900), restored(900, 4, ['a#0', 'b#0'], true)]);
    expect(r.map((x) => x.restoredFrom)).toEqual([null]);
  });

  it('the entries are copies: changing one changes nothing in the next fold', () => {
    const events = [restarting(100, 1, 500, ['a#0'])];
    const first = foldRestarts(events);
    first[0]!.tasks.push('x');
    expect(foldRestarts(events)[0]!.tasks).toEqual(['a#0']);
  });
});
