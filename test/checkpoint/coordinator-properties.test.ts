/**
 * The coordinator under random sequences of acknowledgements, declines, task failures and
 * passing time: the rules the example tests pin down, checked from outside on every run.
 * fast-check prints the seed and path of a failing run, which replays it.
 */
import { describe, expect } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { ackAll, setup, SOURCE } from './helpers.ts';

type Command = { kind: 'wait'; ms: number } | { kind: 'ack' | 'decline'; which: number } | { kind: 'task-failure' };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('ack' as const), which: fc.nat(3) }),
  fc.record({ kind: fc.constant('decline' as const), which: fc.nat(3) }),
  fc.constant({ kind: 'task-failure' as const }),
);

const config = fc.record({
  intervalMs: fc.integer({ min: 10, max: 200 }),
  timeoutMs: fc.integer({ min: 50, max: 1000 }),
  minPauseMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 300 })),
  maxConcurrent: fc.integer({ min: 1, max: 4 }),
  tolerableFailures: fc.integer({ min: 0, max: 3 }),
  retained: fc.integer({ min: 1, max: 3 }),
});

describe('CheckpointCoordinator invariants', () => {
  fcTest.prop([config, fc.array(command, { maxLength: 60 })], { numRuns: 200 })('ids, concurrency, pauses, retention and the failure count hold', (spec, commands) => {
    const s = setup({ spec });
    s.coordinator.startScheduler();
    const triggeredSoFar = () => s.trace.events.filter((e) => e.tag === 'checkpoint.triggered').length;
    /** Each start of the scheduler: when, and how many checkpoints were triggered before it. */
    const starts = [{ atMs: 0, before: 0 }];
    const pendingIds = () => s.coordinator.stats.filter((x) => x.status === 'IN_PROGRESS').map((x) => x.id);
    let failJobsSeen = 0;
    for (const c of commands) {
      if (c.kind === 'wait') s.kernel.runUntil(s.kernel.clock.nowMs + c.ms);
      else if (c.kind === 'task-failure') s.coordinator.abortPending('FAILED', 'TASK_FAILURE', 'a task failed');
      else {
        const ids = pendingIds();
        const id = ids[c.which % Math.max(1, ids.length)];
        if (id === undefined) continue;
        if (c.kind === 'ack') ackAll(s, id);
        else s.coordinator.receiveDecline(SOURCE, id, 'CHECKPOINT_DECLINED: random');
      }
      // A failed job is restarted by the JobManager, which starts the scheduler again.
      if (s.gateway.failJobCalls.length > failJobsSeen) {
        failJobsSeen = s.gateway.failJobCalls.length;
        starts.push({ atMs: s.kernel.clock.nowMs, before: triggeredSoFar() });
        s.coordinator.startScheduler();
      }
      expect(s.coordinator.pendingCount).toBeLessThanOrEqual(s.coordinator.maxConcurrent);
      expect(s.coordinator.pendingCount).toBe(pendingIds().length);
    }

    // Ids strictly increase, each triggered once.
    const triggered = s.gateway.triggers.map((t) => t.checkpoint);
    for (let i = 1; i < triggered.length; i++) expect(triggered[i]!).toBeGreaterThan(triggered[i - 1]!);
    expect(s.coordinator.stats.map((x) => x.id)).toEqual(triggered);

    // The fixed rate is a ceiling: the k-th trigger since a start of the scheduler comes no
    // sooner than k intervals after it (a request may wait, or be dropped for minPause, never
    // come early), and none within minPause of a completion.
    let lastCompletionMs: number | null = null;
    let n = 0;
    for (const e of s.trace.events) {
      if (e.tag === 'checkpoint.completed') lastCompletionMs = e.timeMs;
      if (e.tag !== 'checkpoint.triggered') continue;
      n++;
      const start = [...starts].reverse().find((x) => x.before < n)!;
      expect(e.timeMs).toBeGreaterThanOrEqual(start.atMs + (n - start.before) * spec.intervalMs);
      if (spec.minPauseMs > 0 && lastCompletionMs !== null) expect(e.timeMs - lastCompletionMs).toBeGreaterThanOrEqual(spec.minPauseMs);
    }

    // Retention: the newest completed ones, at most `retained`, latest = the newest.
    const completedIds = s.coordinator.stats.filter((x) => x.status === 'COMPLETED').map((x) => x.id);
    expect(s.coordinator.retained.map((c) => c.id)).toEqual(completedIds.slice(-spec.retained));
    expect(s.coordinator.latestCompleted()?.id ?? null).toBe(completedIds.at(-1) ?? null);

    // The failure count, modelled from the trace: counted reasons, reset on success and on failJob.
    let count = 0;
    let lastSucceeded = 0;
    let failJobs = 0;
    for (const e of s.trace.events) {
      if (e.tag === 'checkpoint.completed') [count, lastSucceeded] = [0, Math.max(lastSucceeded, e.checkpoint)];
      if (e.tag !== 'checkpoint.failed') continue;
      const counts = e.status === 'FAILED' && (e.reason === 'CHECKPOINT_DECLINED' || e.reason === 'CHECKPOINT_EXPIRED') && e.checkpoint > lastSucceeded;
      expect(e.counted).toBe(counts);
      if (counts && ++count > spec.tolerableFailures) [count, failJobs] = [0, failJobs + 1];
    }
    expect(s.gateway.failJobCalls).toHaveLength(failJobs);
  });
});
