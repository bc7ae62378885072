/**
 * A pending checkpoint's life in the CheckpointCoordinator, after Flink's
 * CheckpointCoordinatorTest: testTriggerAndDeclineCheckpointSimple / Complex,
 * testTriggerAndConfirmSimpleCheckpoint, testMultipleConcurrentCheckpoints,
 * testSuccessfulCheckpointSubsumesUnsuccessful, testCheckpointTimeoutIsolated,
 * testHandleMessagesForNonExistingCheckpoints, testStateCleanupForLateOrUnknownMessages,
 * testSavepointsAreNotSubsumed; and the store's num-retained (CompletedCheckpointStoreTest).
 */
import { describe, expect, it } from 'vitest';
import { ackAll, plan, ref, setup, SINK, snapshot, SOURCE, statsOf, traced, trigger } from './helpers.ts';

describe('acknowledgements', () => {
  it('completes when every subtask of the plan acknowledged; a duplicate changes nothing; then every acknowledger hears of it', () => {
    const s = setup();
    const id = trigger(s);
    expect(s.gateway.triggers).toMatchObject([{ task: 'src#0', attempt: 1, checkpoint: id, savepoint: false }]);
    expect(statsOf(s, id).status).toBe('IN_PROGRESS');
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0', { 3: 1 }), 7);
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0', { 3: 99 }), 9);
    expect(s.coordinator.pendingCount).toBe(1);
    expect(s.coordinator.latestCompleted()).toBeNull();
    s.kernel.runUntil(40);
    s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 2);
    expect(s.coordinator.pendingCount).toBe(0);
    const done = s.coordinator.latestCompleted()!;
    expect(done).toMatchObject({ id, savepoint: false, triggeredAtMs: 0, completedAtMs: 40 });
    // The first acknowledgement is the one kept.
    expect(done.tasks.get('sink#0')).toEqual(snapshot('sink#0', { 3: 1 }));
    expect([...done.tasks.keys()]).toEqual(['sink#0', 'src#0']);
    expect(statsOf(s, id)).toMatchObject({ status: 'COMPLETED', completedAt: 40, alignmentMs: 7, failureReason: null });
    expect(s.gateway.completed).toEqual([{ checkpoint: id, refs: [SINK, SOURCE] }]);
    expect(s.gateway.aborted).toEqual([]);
    expect(traced(s, 'checkpoint.completed')).toMatchObject([{ checkpoint: id, durationMs: 40 }]);
  });

  it('ignores acknowledgements for unknown checkpoints and from subtasks the checkpoint does not wait for', () => {
    const s = setup();
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(SOURCE, id + 7, snapshot('src#0'), 0);
    s.coordinator.receiveAcknowledge(ref('other#0'), id, snapshot('other#0'), 0);
    s.coordinator.receiveDecline(ref('other#0'), id, 'CHECKPOINT_DECLINED: not mine');
    s.coordinator.receiveDecline(SOURCE, id + 7, 'CHECKPOINT_DECLINED: unknown');
    expect(s.coordinator.pendingCount).toBe(1);
    ackAll(s, id);
    expect(s.coordinator.latestCompleted()!.tasks.size).toBe(2);
  });

  it('ignores an acknowledgement from a stale attempt of a subtask; the current attempt completes it', () => {
    const s = setup({ plan: plan([ref('src#0', 2)], [ref('src#0', 2), ref('sink#0', 3)]) });
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(ref('src#0', 1), id, snapshot('src#0', { 0: 'old' }), 0);
    s.coordinator.receiveAcknowledge(ref('sink#0', 2), id, snapshot('sink#0'), 0);
    expect(s.coordinator.pendingCount).toBe(1);
    s.coordinator.receiveAcknowledge(ref('src#0', 2), id, snapshot('src#0', { 0: 'new' }), 0);
    expect(s.coordinator.pendingCount).toBe(1);
    s.coordinator.receiveAcknowledge(ref('sink#0', 3), id, snapshot('sink#0'), 0);
    expect(s.coordinator.latestCompleted()!.tasks.get('src#0')).toEqual(snapshot('src#0', { 0: 'new' }));
    expect(s.gateway.completed[0]!.refs).toEqual([ref('src#0', 2), ref('sink#0', 3)]);
  });

  it('a subtask that finished acknowledges what waits for it with a finished, empty snapshot', () => {
    const s = setup();
    const id = trigger(s);
    s.coordinator.taskFinished(SOURCE, null);
    ackAll(s, id, plan([], [SINK]));
    expect(s.coordinator.latestCompleted()!.tasks.get('src#0')).toEqual({ task: 'src#0', vertex: 'src', subtaskIndex: 0, operators: [], channelState: [], finished: true, stateSize: 0 });
  });

  it('a subtask that finished with a last snapshot acknowledges with that snapshot, marked finished', () => {
    const s = setup();
    const id = trigger(s);
    s.coordinator.taskFinished(SOURCE, snapshot('src#0', { 2: 'offset-9' }));
    s.coordinator.taskFinished(SOURCE, snapshot('src#0', { 2: 'ignored: already acknowledged' }));
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0'), 0);
    expect(s.coordinator.latestCompleted()!.tasks.get('src#0')).toEqual({ ...snapshot('src#0', { 2: 'offset-9' }), finished: true });
  });

  it('subtasks finished before the trigger are in the checkpoint with their last snapshot (FLIP-147)', () => {
    const s = setup({ plan: { trigger: [SINK], acknowledge: [SINK], finished: [{ attempt: 1, snapshot: snapshot('src#0', { 1: 'final' }) }] } });
    ackAll(s, trigger(s));
    const done = s.coordinator.latestCompleted()!;
    expect([...done.tasks.keys()]).toEqual(['sink#0', 'src#0']);
    expect(done.tasks.get('src#0')).toEqual({ ...snapshot('src#0', { 1: 'final' }), finished: true });
    expect(s.gateway.completed[0]!.refs).toEqual([SINK]);
  });

  it('concurrent checkpoints complete in any order of acknowledgements (as testMultipleConcurrentCheckpoints)', () => {
    const s = setup({ spec: { maxConcurrent: 2, retained: 2 } });
    const a = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, a, snapshot('sink#0'), 0);
    const b = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, b, snapshot('sink#0'), 0);
    s.coordinator.receiveAcknowledge(SOURCE, a, snapshot('src#0'), 0);
    expect(s.coordinator.pendingCount).toBe(1);
    expect(s.gateway.completed.map((c) => c.checkpoint)).toEqual([a]);
    s.coordinator.receiveAcknowledge(SOURCE, b, snapshot('src#0'), 0);
    expect(s.gateway.completed.map((c) => c.checkpoint)).toEqual([a, b]);
    expect(s.coordinator.retained.map((c) => c.id)).toEqual([a, b]);
  });
});

describe('decline', () => {
  it('a decline fails the checkpoint: FAILED, DECLINED, its acknowledgers told; later messages for it are ignored', () => {
    const s = setup({ spec: { tolerableFailures: 5 } });
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0'), 0);
    s.coordinator.receiveDecline(SOURCE, id, 'CHECKPOINT_DECLINED: the task is not ready');
    expect(s.coordinator.pendingCount).toBe(0);
    expect(statsOf(s, id)).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED', failureCause: 'src#0: CHECKPOINT_DECLINED: the task is not ready', completedAt: null });
    expect(s.gateway.aborted).toEqual([{ checkpoint: id, refs: [SINK] }]);
    s.coordinator.receiveDecline(SOURCE, id, 'CHECKPOINT_DECLINED: again');
    s.coordinator.receiveDecline(SINK, id, 'CHECKPOINT_DECLINED: again');
    s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 0);
    expect(s.coordinator.latestCompleted()).toBeNull();
    expect(traced(s, 'checkpoint.failed')).toHaveLength(1);
    expect(s.gateway.completed).toEqual([]);
  });

  it('declining one of two pending checkpoints leaves the other (as testTriggerAndDeclineCheckpointComplex)', () => {
    const s = setup({ spec: { maxConcurrent: 2, tolerableFailures: 5 } });
    const a = trigger(s);
    const b = trigger(s);
    s.coordinator.receiveDecline(SOURCE, a, 'CHECKPOINT_DECLINED: test');
    expect(s.coordinator.pendingCount).toBe(1);
    ackAll(s, b);
    expect(s.coordinator.latestCompleted()!.id).toBe(b);
    expect(statsOf(s, a).status).toBe('FAILED');
  });

  it('a decline from a subtask that already acknowledged, or from a stale attempt, is ignored (Weir differs: Flink aborts on any decline carrying the id)', () => {
    const s = setup();
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0'), 0);
    s.coordinator.receiveDecline(SINK, id, 'CHECKPOINT_DECLINED: after the ack');
    s.coordinator.receiveDecline(ref('src#0', 0), id, 'CHECKPOINT_DECLINED: stale attempt');
    expect(s.coordinator.pendingCount).toBe(1);
    s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 0);
    expect(statsOf(s, id).status).toBe('COMPLETED');
  });

  it('the reason code is what comes before the colon', () => {
    const s = setup({ spec: { tolerableFailures: 5, maxConcurrent: 3 } });
    const a = trigger(s);
    const b = trigger(s);
    s.coordinator.receiveDecline(SOURCE, a, 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM');
    s.coordinator.receiveDecline(SOURCE, b, 'CHECKPOINT_ASYNC_EXCEPTION: fail-checkpoint fault');
    expect(traced(s, 'checkpoint.failed').map((e) => [e.checkpoint, e.reason, e.counted])).toEqual([
      [a, 'CHECKPOINT_DECLINED_INPUT_END_OF_STREAM', false],
      [b, 'CHECKPOINT_ASYNC_EXCEPTION', true],
    ]);
  });
});

describe('timeout (as testCheckpointTimeoutIsolated)', () => {
  it('a checkpoint still pending after the timeout is FAILED with EXPIRED, counted, and no one hears it completed', () => {
    const s = setup({ spec: { timeoutMs: 500, tolerableFailures: 5 } });
    s.kernel.runUntil(100);
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, id, snapshot('sink#0'), 0);
    s.kernel.runUntil(599);
    expect(s.coordinator.pendingCount).toBe(1);
    s.kernel.runUntil(600);
    expect(s.coordinator.pendingCount).toBe(0);
    expect(statsOf(s, id)).toMatchObject({ status: 'FAILED', failureReason: 'EXPIRED' });
    expect(statsOf(s, id).failureCause).toContain('src#0');
    expect(traced(s, 'checkpoint.failed')).toMatchObject([{ timeMs: 600, checkpoint: id, status: 'FAILED', reason: 'CHECKPOINT_EXPIRED', counted: true }]);
    expect(s.gateway.aborted).toEqual([{ checkpoint: id, refs: [SINK] }]);
    s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 0);
    expect(s.gateway.completed).toEqual([]);
    expect(s.gateway.failJobCalls).toEqual([]);
  });

  it('a checkpoint that completed in time does not expire later', () => {
    const s = setup({ spec: { timeoutMs: 500, tolerableFailures: 0 } });
    const id = trigger(s);
    ackAll(s, id);
    s.kernel.runUntil(10_000);
    expect(statsOf(s, id).status).toBe('COMPLETED');
    expect(traced(s, 'checkpoint.failed')).toEqual([]);
  });
});

describe('subsumption (as testSuccessfulCheckpointSubsumesUnsuccessful)', () => {
  it('a completed checkpoint ABORTS every older pending one as SUBSUMED, uncounted; late acks for them are ignored', () => {
    const s = setup({ spec: { maxConcurrent: 3, retained: 10, tolerableFailures: 0 } });
    const a = trigger(s);
    s.coordinator.receiveAcknowledge(SINK, a, snapshot('sink#0'), 0);
    const b = trigger(s);
    const c = trigger(s);
    ackAll(s, b);
    expect(statsOf(s, a)).toMatchObject({ status: 'ABORTED', failureReason: 'SUBSUMED' });
    expect(statsOf(s, c).status).toBe('IN_PROGRESS');
    expect(traced(s, 'checkpoint.failed')).toMatchObject([{ checkpoint: a, status: 'ABORTED', reason: 'CHECKPOINT_SUBSUMED', counted: false }]);
    expect(s.gateway.aborted).toEqual([{ checkpoint: a, refs: [SINK] }]);
    expect(s.gateway.completed.map((x) => x.checkpoint)).toEqual([b]);
    expect(s.gateway.failJobCalls).toEqual([]);
    s.coordinator.receiveAcknowledge(SOURCE, a, snapshot('src#0'), 0);
    expect(s.coordinator.retained.map((x) => x.id)).toEqual([b]);
    expect(s.coordinator.pendingCount).toBe(1);
  });

  it('pending savepoints are not subsumed, and a completed running savepoint subsumes nothing (Flink 1.15+)', () => {
    const s = setup({ spec: { maxConcurrent: 10, retained: 10 } });
    const sp1 = trigger(s, true);
    const c2 = trigger(s);
    const c3 = trigger(s);
    ackAll(s, c3);
    expect(statsOf(s, c2).status).toBe('ABORTED');
    expect(statsOf(s, sp1).status).toBe('IN_PROGRESS');
    const c4 = trigger(s);
    const sp5 = trigger(s, true);
    ackAll(s, sp5);
    expect(statsOf(s, c4).status).toBe('IN_PROGRESS');
    expect(statsOf(s, sp1).status).toBe('IN_PROGRESS');
    ackAll(s, sp1);
    expect(statsOf(s, sp1).status).toBe('COMPLETED');
    expect(s.coordinator.retained.map((x) => x.id)).toEqual([c3]);
    // The older savepoint finished last, but the newest savepoint is the latest one; a failover restores checkpoints only.
    expect(s.coordinator.latestSavepoint()!.id).toBe(sp5);
    expect(s.coordinator.latestCompleted()!.id).toBe(c3);
  });
});

describe('abortPending (a failover or the job\'s end)', () => {
  it('ends every pending checkpoint, oldest first; a task failure is not counted', () => {
    const s = setup({ spec: { maxConcurrent: 3, tolerableFailures: 0 } });
    const a = trigger(s);
    const b = trigger(s);
    s.coordinator.abortPending('FAILED', 'TASK_FAILURE', 'map#0 failed');
    expect(traced(s, 'checkpoint.failed').map((e) => [e.checkpoint, e.status, e.reason, e.counted])).toEqual([
      [a, 'FAILED', 'TASK_FAILURE', false],
      [b, 'FAILED', 'TASK_FAILURE', false],
    ]);
    expect(s.gateway.failJobCalls).toEqual([]);
    s.coordinator.abortPending('ABORTED', 'JOB_ENDED', 'the job finished');
    expect(s.coordinator.stats.map((x) => x.status)).toEqual(['FAILED', 'FAILED']);
  });
});

describe('JobManager checkpoint storage', () => {
  const big = snapshot('sink#0', { 0: 'x'.repeat(200) });

  it('a subtask state above maxStateSizeBytes fails the checkpoint (DECLINED, counted), naming the size', () => {
    const s = setup({ spec: { storage: { type: 'jobmanager', maxStateSizeBytes: 300 }, tolerableFailures: 5 } });
    const id = trigger(s);
    s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 0);
    s.coordinator.receiveAcknowledge(SINK, id, big, 0);
    expect(statsOf(s, id)).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED' });
    expect(statsOf(s, id).failureCause).toMatch(/^the state of sink#0 is \d+ bytes, larger than the JobManager checkpoint storage's maximum of 300 bytes/);
    expect(traced(s, 'checkpoint.failed')).toMatchObject([{ reason: 'CHECKPOINT_ASYNC_EXCEPTION', counted: true }]);
    expect(s.coordinator.latestCompleted()).toBeNull();
  });

  it('the same state fits a larger JobManager storage and any filesystem storage', () => {
    for (const storage of [
      { type: 'jobmanager', maxStateSizeBytes: 5 * 1024 * 1024 },
      { type: 'filesystem', writeLatencyMs: 10 },
    ] as const) {
      const s = setup({ spec: { storage } });
      expect(big.stateSize).toBeGreaterThan(300);
      const id = trigger(s);
      s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0'), 0);
      s.coordinator.receiveAcknowledge(SINK, id, big, 0);
      expect(statsOf(s, id).status).toBe('COMPLETED');
    }
  });
});

describe('retained checkpoints (state.checkpoints.num-retained)', () => {
  it('keeps the newest `retained`, oldest first; latestCompleted() is the newest', () => {
    const s = setup({ spec: { retained: 2 } });
    for (let i = 0; i < 4; i++) ackAll(s, trigger(s));
    expect(s.coordinator.retained.map((c) => c.id)).toEqual([3, 4]);
    expect(s.coordinator.latestCompleted()!.id).toBe(4);
  });

  it('with the default of one, each completion replaces the last', () => {
    const s = setup();
    ackAll(s, trigger(s));
    ackAll(s, trigger(s));
    expect(s.coordinator.retained.map((c) => c.id)).toEqual([2]);
  });

  it('savepoints are kept beside them and are not what a failover restores (as Flink 1.15+), unless the job was started from one', () => {
    const s = setup({ spec: { retained: 1 } });
    ackAll(s, trigger(s));
    const sp = trigger(s, true);
    ackAll(s, sp);
    expect(s.coordinator.retained.map((c) => c.id)).toEqual([1]);
    expect(s.coordinator.latestCompleted()!.id).toBe(1);
    s.coordinator.restoredFrom(s.coordinator.latestSavepoint()!);
    expect(s.coordinator.latestCompleted()!.id).toBe(sp);
    ackAll(s, trigger(s));
    expect(s.coordinator.latestCompleted()!.id).toBe(3);
    expect(s.coordinator.latestSavepoint()!.id).toBe(sp);
  });
});
