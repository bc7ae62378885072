/**
 * When the CheckpointCoordinator triggers, after Flink's CheckpointCoordinatorTriggeringTest
 * (testPeriodicTriggering, testMinTimeBetweenCheckpointsInterval), CheckpointCoordinatorTest
 * (testMaxConcurrentAttempts*, testMaxConcurrentAttempsWithSubsumption,
 * testPeriodicSchedulingWithInactiveTasks) and CheckpointRequestDeciderTest (too many
 * pending: the request waits; min pause: it waits for the pause). The periodic trigger runs
 * on the kernel's virtual clock, so where Flink fires its timer by hand we run the clock.
 */
import { describe, expect, it } from 'vitest';
import { ackAll, plan, setup, SOURCE, TWO_TASKS } from './helpers.ts';

describe('periodic triggering', () => {
  it('triggers every interval at the plan\'s trigger tasks, ids and timestamps increasing', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 10 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(550);
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint, t.timestampMs, t.task])).toEqual([
      [100, 1, 100, 'src#0'],
      [200, 2, 200, 'src#0'],
      [300, 3, 300, 'src#0'],
      [400, 4, 400, 'src#0'],
      [500, 5, 500, 'src#0'],
    ]);
    expect(s.coordinator.pendingCount).toBe(5);
  });

  it('the first checkpoint comes one interval after start (Weir differs: Flink waits a random initial delay between minPause and the interval)', () => {
    const s = setup({ spec: { intervalMs: 250, minPauseMs: 50 } });
    s.kernel.runUntil(1000);
    s.coordinator.startScheduler();
    s.kernel.runUntil(1249);
    expect(s.gateway.triggers).toEqual([]);
    s.kernel.runUntil(1250);
    expect(s.gateway.triggeredIds).toEqual([1]);
  });

  it('stops when the scheduler stops, and a restart continues the ids (they never repeat)', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 100 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(500);
    s.coordinator.stopScheduler();
    s.kernel.runUntil(2000);
    expect(s.gateway.triggeredIds).toEqual([1, 2, 3, 4, 5]);
    s.coordinator.startScheduler();
    s.kernel.runUntil(2500);
    expect(s.gateway.triggers.slice(5).map((t) => [t.atMs, t.checkpoint])).toEqual([
      [2100, 6],
      [2200, 7],
      [2300, 8],
      [2400, 9],
      [2500, 10],
    ]);
    s.coordinator.stopScheduler();
    s.kernel.runUntil(5000);
    expect(s.gateway.triggers).toHaveLength(10);
  });

  it('ids are strictly increasing over failures, completions, savepoints and restarts', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 3, tolerableFailures: 100 } });
    s.coordinator.startScheduler();
    const ids: number[] = [];
    for (let round = 0; round < 6; round++) {
      s.kernel.runUntil(s.kernel.clock.nowMs + 100);
      const id = s.gateway.triggers.at(-1)!.checkpoint;
      if (round % 3 === 0) ackAll(s, id);
      if (round % 3 === 1) s.coordinator.receiveDecline(SOURCE, id, 'CHECKPOINT_DECLINED: test');
      if (round === 3) {
        s.coordinator.abortPending('FAILED', 'TASK_FAILURE', 'restart');
        s.coordinator.stopScheduler();
        s.coordinator.startScheduler();
      }
      ids.push(s.coordinator.triggerCheckpoint(true)!);
    }
    const all = s.gateway.triggers.map((t) => t.checkpoint);
    for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!);
    expect(new Set(all).size).toBe(all.length);
    expect(ids.every((id) => all.includes(id))).toBe(true);
  });

  it('does not trigger, nor use an id, while not every subtask runs; tries again an interval later (as testPeriodicSchedulingWithInactiveTasks)', () => {
    const s = setup({ plan: null, spec: { intervalMs: 100, maxConcurrent: 2 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(150);
    expect(s.gateway.triggers).toEqual([]);
    expect(s.coordinator.pendingCount).toBe(0);
    expect(s.coordinator.stats).toEqual([]);
    s.gateway.plan = TWO_TASKS;
    s.kernel.runUntil(199);
    expect(s.gateway.triggers).toEqual([]);
    s.kernel.runUntil(200);
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint])).toEqual([[200, 1]]);
  });

  it('a plan with no trigger task triggers nothing', () => {
    const s = setup({ plan: plan([], [SOURCE]) });
    expect(s.coordinator.triggerCheckpoint(false)).toBeNull();
    expect(s.gateway.triggers).toEqual([]);
  });
});

describe('maxConcurrent (as testMaxConcurrentAttempts)', () => {
  it.each([1, 2, 5])('with maxConcurrent %i, that many are pending; one completing lets exactly one more start', (max) => {
    const s = setup({ spec: { intervalMs: 10, maxConcurrent: max }, plan: plan([SOURCE], [SOURCE]) });
    s.coordinator.startScheduler();
    s.kernel.runUntil(1000);
    expect(s.gateway.triggeredIds).toEqual(Array.from({ length: max }, (_, i) => i + 1));
    expect(s.coordinator.pendingCount).toBe(max);
    // The request that had to wait goes out as soon as a slot frees, not an interval later.
    ackAll(s, 1);
    s.kernel.runUntil(1000);
    expect(s.gateway.triggers.at(-1)).toMatchObject({ atMs: 1000, checkpoint: max + 1 });
    s.kernel.runUntil(5000);
    expect(s.gateway.triggers).toHaveLength(max + 1);
  });

  it('a completed checkpoint that subsumes an older one frees both slots (as testMaxConcurrentAttempsWithSubsumption)', () => {
    const s = setup({ spec: { intervalMs: 10, maxConcurrent: 2 }, plan: plan([SOURCE], [SOURCE]) });
    s.coordinator.startScheduler();
    s.kernel.runUntil(100);
    expect(s.gateway.triggeredIds).toEqual([1, 2]);
    ackAll(s, 2);
    s.kernel.runUntil(200);
    expect(s.gateway.triggeredIds).toEqual([1, 2, 3, 4]);
    expect(s.coordinator.pendingCount).toBe(2);
  });

  it('the next one after a slow checkpoint starts when it completes, and the fixed rate goes on: the request due at 300 waits for it', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 1 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(250);
    expect(s.gateway.triggeredIds).toEqual([1]);
    ackAll(s, 1);
    s.kernel.runUntil(349);
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint])).toEqual([
      [100, 1],
      [250, 2],
    ]);
    ackAll(s, 2);
    s.kernel.runUntil(349);
    expect(s.gateway.triggers.at(-1)).toMatchObject({ atMs: 349, checkpoint: 3 });
    // The request due at 400 waits for checkpoint 3 in turn.
    s.kernel.runUntil(450);
    expect(s.gateway.triggeredIds).toEqual([1, 2, 3]);
  });
});

describe('minPause (as testMinTimeBetweenCheckpointsInterval)', () => {
  it('forces one concurrent checkpoint, whatever maxConcurrent says', () => {
    const s = setup({ spec: { intervalMs: 10, minPauseMs: 1, maxConcurrent: 5 } });
    expect(s.coordinator.maxConcurrent).toBe(1);
    s.coordinator.startScheduler();
    s.kernel.runUntil(1000);
    expect(s.gateway.triggeredIds).toEqual([1]);
    expect(setup({ spec: { minPauseMs: 0, maxConcurrent: 5 } }).coordinator.maxConcurrent).toBe(5);
  });

  it('the next trigger waits minPause after the completion, even when the interval has passed', () => {
    const s = setup({ spec: { intervalMs: 12, minPauseMs: 50 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(20);
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint])).toEqual([[12, 1]]);
    ackAll(s, 1); // completes at 20
    s.kernel.runUntil(69);
    expect(s.gateway.triggeredIds).toEqual([1]);
    s.kernel.runUntil(70);
    expect(s.gateway.triggers.at(-1)).toMatchObject({ atMs: 70, checkpoint: 2 });
  });

  it('does not shorten the interval when the checkpoint completes quickly', () => {
    const s = setup({ spec: { intervalMs: 300, minPauseMs: 50 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(320);
    ackAll(s, 1); // completes at 320, pause ends at 370, interval at 600
    s.kernel.runUntil(599);
    expect(s.gateway.triggeredIds).toEqual([1]);
    s.kernel.runUntil(600);
    expect(s.gateway.triggers.at(-1)).toMatchObject({ atMs: 600, checkpoint: 2 });
  });

  it('a failed checkpoint starts no pause: the next trigger is due by the interval alone', () => {
    const s = setup({ spec: { intervalMs: 100, minPauseMs: 500, tolerableFailures: 10 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(150);
    s.coordinator.receiveDecline(SOURCE, 1, 'CHECKPOINT_DECLINED: test');
    s.kernel.runUntil(200);
    expect(s.gateway.triggers.map((t) => [t.atMs, t.checkpoint])).toEqual([
      [100, 1],
      [200, 2],
    ]);
  });
});
