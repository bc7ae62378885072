// Pipelined regions restart independently, as in Flink's DefaultScheduler with the region
// failover strategy: every failure is reported to the restart strategy, and the tasks it
// picked are restarted after that failure's own backoff (restartTasksWithDelay). A second
// region failing while the first waits neither delays the first nor joins it. The job is
// scenarios/region-failover.json: two regions, `orders#0` and `orders#1`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../core/index.ts';
import { ofTag, runVariant, type ScenarioJson } from './variants.ts';

const run = (edit: (s: ScenarioJson) => void) => runVariant('region-failover', edit);

const kill = (subtask: number, at: number) => ({ type: 'kill-task', operator: 'toEuros', subtask, at });

const restored = (events: readonly TraceEvent[]) => ofTag(events, 'job.restored').map((e) => ({ at: e.timeMs, tasks: e.tasks }));

describe('each failure restarts its own regions after its own backoff', () => {
  it('fixed-delay: region 0 restarts 1000 ms after its failure although region 1 failed in between', () => {
    const { report, events } = run((s) => (s.faults = [kill(0, 1500), kill(1, 2000)]));
    expect(restored(events)).toEqual([
      { at: 2500, tasks: ['orders#0'] },
      { at: 3000, tasks: ['orders#1'] },
    ]);
    expect(report.restarts.map(({ at, attempt, delay, tasks }) => ({ at, attempt, delay, tasks }))).toEqual([
      { at: 1500, attempt: 1, delay: 1000, tasks: ['orders#0'] },
      { at: 2000, attempt: 2, delay: 1000, tasks: ['orders#1'] },
    ]);
    expect(report.restarts.map((r) => r.restoredFrom)).toEqual([1, 1]);
    // Region 0 runs again while region 1 still waits.
    expect(ofTag(events, 'sink.wrote').some((e) => e.task === 'orders#0' && e.timeMs > 2500 && e.timeMs < 3000)).toBe(true);
    expect(report.status).toBe('FINISHED');
  });

  it('fixed-delay: every failure counts, in whichever region: with 1 attempt the second region’s failure fails the job', () => {
    const { report } = run((s) => {
      s.config.restartStrategy.attempts = 1;
      s.faults = [kill(0, 1500), kill(1, 2000)];
    });
    expect(report.status).toBe('FAILED');
    expect(report.restarts).toHaveLength(1);
  });

  it('exponential-delay: a failure within the pending backoff is merged (no new attempt) and restarts at the same instant, as its own decision', () => {
    const { report, events } = run((s) => {
      s.config.restartStrategy = { type: 'exponential-delay', initialBackoff: 1000, multiplier: 2, maxBackoff: 60000, resetThreshold: 3600000, jitter: 0 };
      s.faults = [kill(0, 1500), kill(1, 1600), kill(0, 3500)];
    });
    expect(report.restarts.map(({ at, attempt, delay, tasks }) => ({ at, attempt, delay, tasks }))).toEqual([
      { at: 1500, attempt: 1, delay: 1000, tasks: ['orders#0'] },
      // The time left until the restart already scheduled.
      { at: 1600, attempt: 2, delay: 900, tasks: ['orders#1'] },
      // The strategy's second attempt: the merged failure did not count as one.
      { at: 3500, attempt: 3, delay: 2000, tasks: ['orders#0'] },
    ]);
    expect(restored(events)).toEqual([
      { at: 2500, tasks: ['orders#0'] },
      { at: 2500, tasks: ['orders#1'] },
      { at: 5500, tasks: ['orders#0'] },
    ]);
  });

  it('property (seed 6): every restart decision redeploys exactly its subtasks, exactly its delay later', () => {
    const arb = fc.record({ first: fc.integer({ min: 1100, max: 2500 }), gap: fc.integer({ min: 0, max: 1200 }), delay: fc.integer({ min: 0, max: 1500 }), order: fc.boolean() });
    fc.assert(
      fc.property(arb, ({ first, gap, delay, order }) => {
        const [a, b] = order ? [0, 1] : [1, 0];
        const { report, events } = run((s) => {
          s.config.restartStrategy.delay = delay;
          s.faults = [kill(a, first), kill(b, first + gap)];
        });
        const decisions = ofTag(events, 'job.restarting');
        expect(decisions).toHaveLength(2);
        const expected = decisions.map((d) => ({ at: d.timeMs + d.delayMs, tasks: d.tasks })).sort((x, y) => x.at - y.at);
        expect(restored(events).sort((x, y) => x.at - y.at)).toEqual(expected);
        expect(decisions.map((d) => d.tasks)).toEqual([[`orders#${a}`], [`orders#${b}`]]);
        expect(report.restarts).toHaveLength(2);
      }),
      { seed: 6, numRuns: 25 },
    );
  });
});
