/**
 * execution.checkpointing.tolerable-failed-checkpoints, after Flink's
 * CheckpointFailureManagerTest (testContinuousFailure, testBreakContinuousFailure,
 * testIgnoreOneCheckpointRepeatedlyCountMultiTimes, testIgnoresPastCheckpoints, and which
 * reasons count, as in testTotalCountValue) and CheckpointCoordinatorTest's
 * testTriggerAndDeclineCheckpointThenFailureManagerThrowsException (the coordinator fails
 * the job through its callback): first on the manager alone, then through the coordinator.
 */
import { describe, expect, it } from 'vitest';
import { CheckpointFailureManager, isCountedFailure } from '../../core/checkpoint/index.ts';
import { ackAll, setup, SOURCE, statsOf, traced, trigger } from './helpers.ts';

const exceededAfter = (m: CheckpointFailureManager, failures: [number, string][]) => failures.map(([id, reason]) => m.onFailure(id, reason).exceeded);

describe('CheckpointFailureManager', () => {
  it('counts consecutive failures; exceeded exactly when the count goes above the tolerance (as testContinuousFailure)', () => {
    const m = new CheckpointFailureManager(2);
    expect(
      exceededAfter(m, [
        [1, 'CHECKPOINT_DECLINED'],
        [2, 'CHECKPOINT_DECLINED'],
        [3, 'TASK_FAILURE'], // not counted
        [4, 'CHECKPOINT_DECLINED'],
      ]),
    ).toEqual([false, false, false, true]);
  });

  it('a completed checkpoint resets the count (as testBreakContinuousFailure)', () => {
    const m = new CheckpointFailureManager(2);
    exceededAfter(m, [
      [1, 'IO_EXCEPTION'],
      [2, 'CHECKPOINT_DECLINED'],
    ]);
    expect(m.continuousFailures).toBe(2);
    m.onSuccess(4);
    expect(m.continuousFailures).toBe(0);
    expect(exceededAfter(m, [[5, 'CHECKPOINT_EXPIRED'], [6, 'CHECKPOINT_EXPIRED']])).toEqual([false, false]);
    expect(m.onFailure(7, 'CHECKPOINT_EXPIRED').exceeded).toBe(true);
  });

  it('one checkpoint counts once, however often it is reported (as testIgnoreOneCheckpointRepeatedlyCountMultiTimes)', () => {
    const m = new CheckpointFailureManager(2);
    expect(
      exceededAfter(m, [
        [1, 'CHECKPOINT_DECLINED'],
        [2, 'CHECKPOINT_DECLINED'],
        [2, 'CHECKPOINT_DECLINED'],
        [2, 'CHECKPOINT_EXPIRED'],
      ]),
    ).toEqual([false, false, false, false]);
    expect(m.continuousFailures).toBe(2);
  });

  it('a failure of a checkpoint no newer than the last completed one is not counted (as testIgnoresPastCheckpoints)', () => {
    const m = new CheckpointFailureManager(2);
    exceededAfter(m, [
      [1, 'CHECKPOINT_EXPIRED'],
      [2, 'CHECKPOINT_EXPIRED'],
    ]);
    m.onSuccess(2);
    expect(m.onFailure(1, 'CHECKPOINT_EXPIRED')).toEqual({ counted: false, exceeded: false });
    expect(m.onFailure(2, 'CHECKPOINT_EXPIRED')).toEqual({ counted: false, exceeded: false });
    expect(exceededAfter(m, [[3, 'CHECKPOINT_EXPIRED'], [4, 'CHECKPOINT_EXPIRED']])).toEqual([false, false]);
    // An older success does not reset what newer failures counted.
    m.onSuccess(1);
    expect(m.continuousFailures).toBe(2);
  });

  it('after the count is exceeded it starts again from zero, as Flink\'s clearCount()', () => {
    const m = new CheckpointFailureManager(1);
    expect(exceededAfter(m, [[1, 'CHECKPOINT_EXPIRED'], [2, 'CHECKPOINT_EXPIRED']])).toEqual([false, true]);
    expect(m.continuousFailures).toBe(0);
    expect(exceededAfter(m, [[3, 'CHECKPOINT_EXPIRED'], [4, 'CHECKPOINT_EXPIRED']])).toEqual([false, true]);
  });

  it('with no tolerance the first counted failure exceeds it', () => {
    expect(new CheckpointFailureManager(0).onFailure(1, 'CHECKPOINT_ASYNC_EXCEPTION')).toEqual({ counted: true, exceeded: true });
  });

  it('counts IO_EXCEPTION, CHECKPOINT_ASYNC_EXCEPTION, CHECKPOINT_DECLINED, CHECKPOINT_EXPIRED, and no other reason', () => {
    const counted = ['IO_EXCEPTION', 'CHECKPOINT_ASYNC_EXCEPTION', 'CHECKPOINT_DECLINED', 'CHECKPOINT_EXPIRED'];
    const ignored = [
      'CHECKPOINT_SUBSUMED',
      'CHECKPOINT_DECLINED_SUBSUMED',
      'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM',
      'CHECKPOINT_DECLINED_TASK_NOT_READY',
      'CHECKPOINT_DECLINED_ON_CANCELLATION_BARRIER',
      'TASK_FAILURE',
      'TASK_CHECKPOINT_FAILURE',
      'JOB_FAILOVER_REGION',
      'JOB_FAILED',
      'JOB_ENDED',
      'NOT_ALL_REQUIRED_TASKS_RUNNING',
    ];
    expect(counted.filter(isCountedFailure)).toEqual(counted);
    expect(ignored.filter(isCountedFailure)).toEqual([]);
    const m = new CheckpointFailureManager(0);
    expect(ignored.map((reason, i) => m.onFailure(i + 1, reason).counted)).toEqual(ignored.map(() => false));
  });
});

describe('tolerableFailures through the coordinator', () => {
  const decline = (s: ReturnType<typeof setup>, id: number, reason = 'CHECKPOINT_DECLINED: test') => s.coordinator.receiveDecline(SOURCE, id, reason);

  it('fails the job exactly when consecutive counted failures exceed the tolerance', () => {
    const s = setup({ spec: { tolerableFailures: 2 } });
    decline(s, trigger(s));
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toEqual([]);
    const third = trigger(s);
    decline(s, third);
    expect(s.gateway.failJobCalls).toHaveLength(1);
    expect(s.gateway.failJobCalls[0]!.cause).toBe(`Exceeded checkpoint tolerable failure threshold (2): checkpoint ${third} failed with CHECKPOINT_DECLINED (src#0: CHECKPOINT_DECLINED: test)`);
    expect(traced(s, 'checkpoint.failed').map((e) => e.counted)).toEqual([true, true, true]);
  });

  it('a completed checkpoint in between resets the count', () => {
    const s = setup({ spec: { tolerableFailures: 2 } });
    decline(s, trigger(s));
    decline(s, trigger(s));
    ackAll(s, trigger(s));
    decline(s, trigger(s));
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toEqual([]);
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toHaveLength(1);
  });

  it('a completed savepoint resets the count, as any completed checkpoint does (CheckpointCoordinator reports both to the failure manager)', () => {
    const s = setup({ spec: { tolerableFailures: 1 } });
    decline(s, trigger(s));
    ackAll(s, trigger(s, true));
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toEqual([]);
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toHaveLength(1);
  });

  it('after a completed savepoint, a failure of an older checkpoint is old news and does not count', () => {
    const s = setup({ spec: { tolerableFailures: 0, maxConcurrent: 2 } });
    const older = trigger(s);
    ackAll(s, trigger(s, true));
    decline(s, older);
    expect(s.gateway.failJobCalls).toEqual([]);
  });

  it('failures that say nothing is wrong are not counted: subsumed, declined as subsumed or at end of input, task failure, savepoints', () => {
    const s = setup({ spec: { tolerableFailures: 0, maxConcurrent: 10 } });
    const older = trigger(s);
    ackAll(s, trigger(s)); // subsumes `older`
    decline(s, trigger(s), 'CHECKPOINT_DECLINED_SUBSUMED');
    decline(s, trigger(s), 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
    decline(s, trigger(s, true), 'CHECKPOINT_DECLINED: a savepoint');
    trigger(s);
    s.coordinator.abortPending('FAILED', 'TASK_FAILURE', 'map#0 failed');
    expect(statsOf(s, older).failureReason).toBe('SUBSUMED');
    expect(traced(s, 'checkpoint.failed').map((e) => [e.reason, e.counted])).toEqual([
      ['CHECKPOINT_SUBSUMED', false],
      ['CHECKPOINT_DECLINED_SUBSUMED', false],
      ['CHECKPOINT_DECLINED_INPUT_END_OF_STREAM', false],
      ['CHECKPOINT_DECLINED', false],
      ['TASK_FAILURE', false],
    ]);
    expect(s.gateway.failJobCalls).toEqual([]);
  });

  it('three periodic checkpoints expiring in a row fail the job at the third expiry (t = 550 ms)', () => {
    const s = setup({ spec: { intervalMs: 100, timeoutMs: 150, tolerableFailures: 2 } });
    s.coordinator.startScheduler();
    // Until the failover (the JobManager then stops the scheduler; this gateway does not).
    s.kernel.runUntil(550);
    // Each expiry frees the one slot, and the request that waited for it starts at once.
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint])).toEqual([
      [100, 1],
      [250, 2],
      [400, 3],
    ]);
    expect(s.coordinator.stats.map((x) => x.failureReason)).toEqual(['EXPIRED', 'EXPIRED', 'EXPIRED']);
    expect(s.gateway.failJobCalls.map((c) => c.atMs)).toEqual([550]);
  });

  it('after the failover the job gets its full tolerance again', () => {
    const s = setup({ spec: { tolerableFailures: 1 } });
    decline(s, trigger(s));
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toHaveLength(1);
    // The JobManager restarts the job; the coordinator lives on.
    s.coordinator.abortPending('FAILED', 'TASK_FAILURE', 'restart');
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toHaveLength(1);
    decline(s, trigger(s));
    expect(s.gateway.failJobCalls).toHaveLength(2);
  });
});
