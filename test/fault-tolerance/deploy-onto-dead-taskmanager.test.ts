// A TaskManager that died silently keeps its slots registered until its heartbeat times
// out: Flink's scheduler knows no better and deploys onto it, the submitTask RPC fails,
// and that failed deployment is one more failure for the restart strategy. Only after the
// heartbeat timeout are the slots gone, and a restart waits for a replacement.
// The job is scenarios/lost-taskmanager.json (one region; subtask 0 on tm-1, 1 on tm-2),
// with a kill-task at t=1000 whose restart (delay 200) is due while tm-2 is dead but not
// yet declared lost (it dies at 1100, its heartbeat times out at 1400).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RunReport, TraceEvent } from '../../core/index.ts';
import { ofTag, runVariant } from './variants.ts';

interface Setup {
  readonly killTaskAt: number;
  readonly tmDiesAt: number;
  readonly delay?: number;
  readonly attempts?: number;
}

function run({ killTaskAt, tmDiesAt, delay = 200, attempts = 3 }: Setup): { report: RunReport; events: readonly TraceEvent[] } {
  return runVariant('lost-taskmanager', (json) => {
    json.cluster = { taskManagers: 2, slotsPerTaskManager: 1, heartbeatTimeout: 300, replacementDelay: 200 };
    json.config.restartStrategy = { type: 'fixed-delay', attempts, delay };
    json.faults = [
      { type: 'kill-task', operator: 'counts', subtask: 0, at: killTaskAt },
      { type: 'kill-taskmanager', taskManager: 'tm-2', at: tmDiesAt },
    ];
  });
}

const CAUSE = 'deployment to tm-2 failed: TaskManager lost';
const JOB_CAUSE = 'deployment of clicks#1 to tm-2 failed: TaskManager lost';
const failedDeployments = (events: readonly TraceEvent[]) =>
  ofTag(events, 'task.status')
    .filter((e) => e.status === 'FAILED' && e.cause === CAUSE)
    .map((e) => ({ at: e.timeMs, task: e.task, attempt: e.attempt }));
const restored = (events: readonly TraceEvent[]) => ofTag(events, 'job.restored').map((e) => e.timeMs);
const deployedOn = (events: readonly TraceEvent[], slotPrefix: string) =>
  ofTag(events, 'task.status').filter((e) => e.status === 'DEPLOYING' && 'slot' in e && String(e.slot).startsWith(slotPrefix)).map((e) => e.timeMs);

describe('a deployment onto a dead TaskManager whose heartbeat has not timed out', () => {
  it('the reviewer’s case: the restart at 1200 deploys onto tm-2, fails, and counts as a new failure', () => {
    const { report, events } = run({ killTaskAt: 1000, tmDiesAt: 1100 });
    expect(ofTag(events, 'taskmanager.status').map((e) => [e.timeMs, e.taskManager, e.status])).toEqual([
      [1100, 'tm-2', 'LOST'],
      [1400, 'tm-2', 'TIMED_OUT'],
      [1600, 'tm-3', 'REGISTERED'],
    ]);
    // Both subtasks of tm-2's slot go DEPLOYING, then FAILED: the TaskManager is not there to take them.
    expect(failedDeployments(events)).toEqual([
      { at: 1200, task: 'clicks#1', attempt: 2 },
      { at: 1200, task: 'counts#1', attempt: 2 },
    ]);
    expect(report.restarts.map(({ at, attempt, delay }) => ({ at, attempt, delay }))).toEqual([
      { at: 1000, attempt: 1, delay: 200 },
      // One decision for the failed deployment (its region is the whole job; the second subtask's failure is part of it).
      { at: 1200, attempt: 2, delay: 200 },
    ]);
    expect(report.restarts[1]!.cause).toBe(JOB_CAUSE);
    // The second restart comes after the heartbeat timeout: tm-2's slot is gone, and the job waits for tm-3.
    expect(restored(events)).toEqual([1200, 1600]);
    expect(deployedOn(events, 'tm-3/')).toEqual([1600, 1600]);
    expect(report.status).toBe('FINISHED');
  });

  it('the failed deployment is told to the restart strategy: with one attempt it fails the job', () => {
    const { report } = run({ killTaskAt: 1000, tmDiesAt: 1100, attempts: 1 });
    expect(report.status).toBe('FAILED');
    expect(report.restarts).toHaveLength(1);
    expect(report.failureCause).toContain(JOB_CAUSE);
    expect(report.failureCause).toContain('recovery is suppressed');
  });

  it('after the heartbeat timeout the slots are gone: a restart due then waits for the replacement, no failed deployment', () => {
    const { report, events } = run({ killTaskAt: 1000, tmDiesAt: 1100, delay: 500 });
    expect(failedDeployments(events)).toEqual([]);
    expect(report.restarts).toHaveLength(1);
    expect(restored(events)).toEqual([1600]);
    expect(report.status).toBe('FINISHED');
  });

  it('property (seed 11): deployments onto tm-2 fail exactly when they fall between its death and its heartbeat timeout', () => {
    const arb = fc.record({ killTaskAt: fc.integer({ min: 1000, max: 2000 }), dieAfter: fc.integer({ min: -400, max: 600 }), delay: fc.integer({ min: 0, max: 700 }) });
    fc.assert(
      fc.property(arb, ({ killTaskAt, dieAfter, delay }) => {
        const tmDiesAt = killTaskAt + dieAfter;
        const { report, events } = run({ killTaskAt, tmDiesAt, delay });
        const deaths = ofTag(events, 'taskmanager.status').filter((e) => e.taskManager === 'tm-2');
        // A job that failed for good before tm-2's death or heartbeat timeout never sees it.
        const diedAt = deaths.find((e) => e.status === 'LOST')?.timeMs ?? Infinity;
        const timedOutAt = deaths.find((e) => e.status === 'TIMED_OUT')?.timeMs ?? Infinity;
        const onTm2 = ofTag(events, 'task.status').filter((e) => e.status === 'DEPLOYING' && 'slot' in e && e.slot === 'tm-2/slot-0');
        for (const d of onTm2) {
          const fails = failedDeployments(events).some((f) => f.task === d.task && f.attempt === d.attempt);
          expect(fails).toBe(d.timeMs >= diedAt);
          expect(d.timeMs < timedOutAt || d.timeMs < diedAt).toBe(true);
        }
        // Every failed deployment is followed by a restart decision at its instant (or the job failed for good).
        for (const f of failedDeployments(events)) {
          expect(report.restarts.some((r) => r.at === f.at) || report.status === 'FAILED').toBe(true);
        }
      }),
      { seed: 11, numRuns: 20 },
    );
  });
});
