// Several restarts pending at once: each region restarts after its own failure's delay, so
// the moment at a time between two failures has two countdowns, each with its own time left.
// The playground's fold is held, at many times of real runs, to core's fold of the report's
// restarts (core/check/restarts-fold.ts) and to what the trace says of the subtasks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { RestartsFold } from '../../core/check/restarts-fold.ts';
import { createSimulation, formatIssue, parseScenarioText, type RunReport, type TraceEvent } from '../../core/index.ts';
import MomentView from '../../playground/src/components/MomentView.svelte';
import RestartTable from '../../playground/src/components/RestartTable.svelte';
import { MomentCursor, type Moment } from '../../playground/src/lib/moment.ts';
import { narrateCursor } from '../../playground/src/lib/narration.ts';
import { PendingRestartsFold, restartCountdown, restartOutcomes } from '../../playground/src/lib/pending-restarts.ts';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the scenario file as plain JSON, to edit variants
type ScenarioJson = any;

const BASE: ScenarioJson = JSON.parse(readFileSync(join(SCENARIO_DIR, 'region-failover.json'), 'utf8'));

function run(edit: (s: ScenarioJson) => void, slotRequestTimeoutMs?: number): { report: RunReport; events: readonly TraceEvent[] } {
  const json = structuredClone(BASE);
  delete json.expect;
  edit(json);
  const parsed = parseScenarioText(JSON.stringify(json), 'pending-restarts.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario, traceLevel: 'summary', ...(slotRequestTimeoutMs === undefined ? {} : { slotRequestTimeoutMs }) });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

const kill = (subtask: number, at: number) => ({ type: 'kill-task', operator: 'toEuros', subtask, at });
const countdowns = (m: Moment, strategy: string | null = 'fixed-delay') => m.pendingRestarts.map((p) => restartCountdown(p, m.timeMs, strategy, m.subtasks.length));

/** Subtasks whose latest status is one a pending restart leaves them in: failed or canceled, not redeployed. */
const down = (status: ReadonlyMap<string, string>): string[] =>
  [...status].filter(([, s]) => s === 'FAILED' || s === 'CANCELED').map(([id]) => id).sort();

/** The moment at each ms of the run, folded forward as play does. */
function momentsEveryMs(events: readonly TraceEvent[], endMs: number): Moment[] {
  const cursor = new MomentCursor(events);
  return Array.from({ length: endMs + 1 }, (_, t) => cursor.at(t));
}

/**
 * Folds the run at every `stepMs` and at each event's ms and the next, and checks each
 * moment: each decision so far is exactly one of carried out (as core's fold says), taken
 * over, or pending, and the pending ones restart exactly the subtasks the trace shows down,
 * due exactly their delay after the decision.
 */
function checkEveryMs(events: readonly TraceEvent[], report: RunReport, stepMs = 1): void {
  const cursor = new MomentCursor(events);
  const core = new RestartsFold();
  const fold = new PendingRestartsFold();
  const status = new Map<string, string>();
  let applied = 0;
  const eventTimes = new Set(events.flatMap((e) => [e.timeMs, e.timeMs + 1]));
  for (let t = 0; t <= report.virtualTime; t++) {
    if (t % stepMs !== 0 && !eventTimes.has(t)) continue;
    const m = cursor.at(t);
    for (; applied < m.events; applied++) {
      core.apply(events[applied]!);
      fold.apply(events[applied]!);
      const e = events[applied]!;
      if (e.tag === 'task.status') status.set(e.task, e.status);
    }
    const coreRestarts = core.restarts();
    const outcomes = fold.outcomes();
    expect(outcomes).toHaveLength(coreRestarts.length);
    const pending = new Set(m.pendingRestarts.map((p) => p.restart));
    const ended = m.jobStatus === 'FAILED' || m.jobStatus === 'CANCELED' || m.jobStatus === 'FINISHED';
    if (ended) expect(m.pendingRestarts).toEqual([]);
    coreRestarts.forEach((r, i) => {
      const o = outcomes[i]!;
      const carriedOut = o.redeployedAtMs !== null;
      // A job that failed for good (out of restarts) carries out none still pending.
      const ways = [carriedOut, o.takenOverBy !== null, pending.has(r.attempt)].filter(Boolean).length;
      expect(ways, `t=${t} restart ${r.attempt}`).toBeLessThanOrEqual(1);
      if (m.jobStatus !== 'FAILED') expect(ways, `t=${t} restart ${r.attempt}`).toBe(1);
      // These runs restore from a checkpoint every time, so core's fold says restoredFrom exactly when a redeploy carried it out.
      expect(r.restoredFrom !== null, `t=${t} restart ${r.attempt}`).toBe(carriedOut);
    });
    if (!ended) expect(m.pendingRestarts.flatMap((p) => p.tasks).sort(), `t=${t}`).toEqual(down(status));
    for (const p of m.pendingRestarts) {
      const decided = report.restarts.find((r) => r.attempt === p.restart)!;
      expect(p.dueMs).toBe(decided.at + decided.delay);
    }
  }
}

describe('two regions failing 500 ms apart (region-failover, toEuros#1 killed at 1500, toEuros#0 at 2000)', () => {
  const { report, events } = run((s) => (s.faults = [kill(1, 1500), kill(0, 2000)]));
  const moments = momentsEveryMs(events, report.virtualTime);

  it('at every ms, the pending restarts agree with core\'s fold of the report\'s restarts and with the subtasks the trace shows down', () => {
    checkEveryMs(events, report);
  });

  it('between the failures one countdown, between the second failure and the first redeploy two, each with its own time left', () => {
    expect(countdowns(moments[1800]!)).toEqual(['restarting orders#1 in 700 ms (restart 1, fixed-delay)']);
    expect(countdowns(moments[2200]!)).toEqual(['restarting orders#1 in 300 ms (restart 1, fixed-delay)', 'restarting orders#0 in 800 ms (restart 2, fixed-delay)']);
    // The first region's redeploy does not end the second's countdown.
    expect(countdowns(moments[2500]!)).toEqual(['restarting orders#0 in 500 ms (restart 2, fixed-delay)']);
    expect(countdowns(moments[2999]!)).toEqual(['restarting orders#0 in 1 ms (restart 2, fixed-delay)']);
    expect(moments[3000]!.pendingRestarts).toEqual([]);
    // Two pending restarts for exactly the ms from the second failure to the first redeploy.
    expect(moments.flatMap((m) => (m.pendingRestarts.length === 2 ? [m.timeMs] : []))).toEqual(Array.from({ length: 500 }, (_, i) => 2000 + i));
  });

  it('the narration counts down both, and leaves out the one decided at the cursor (its event is the one narrated)', () => {
    const m = moments[2200]!;
    expect(narrateCursor(m.last, null, m)).toMatch(/^Now t=2,200 ms, restarting orders#1 in 300 ms \(restart 1\); restarting orders#0 in 800 ms \(restart 2\)\. t=/);
    const onSecond = moments[2000]!;
    expect(narrateCursor(onSecond.last, null, onSecond)).toMatch(/^Now t=2,000 ms, restarting orders#1 in 500 ms \(restart 1\)\. t=2,000 ms: /);
  });

  it('the moment shows both countdowns', () => {
    const { body } = render(MomentView, { props: { moment: moments[2200]!, restartStrategy: 'fixed-delay' } });
    expect(body.split('data-testid="restart-countdown"').length - 1).toBe(2);
    expect(body).toContain('restarting orders#0 in 800 ms (restart 2, fixed-delay)');
  });

  it('the restart table says when each region came back, from the trace', () => {
    expect(restartOutcomes(events)).toEqual([
      { redeployedAtMs: 2500, takenOverBy: null },
      { redeployedAtMs: 3000, takenOverBy: null },
    ]);
    expect(report.restarts.map((r) => r.restoredFrom)).toEqual([1, 1]);
  });
});

describe('a restart taken over by a later one', () => {
  // Hand-made: region {a#0} fails, then a failure of the whole job takes a#0 over before a#0's backoff ends.
  const ev = (e: object) => e as TraceEvent;
  const events: TraceEvent[] = [
    ev({ tag: 'job.restarting', timeMs: 100, attempt: 1, delayMs: 1000, cause: 'kill-task a#0', tasks: ['a#0'] }),
    ev({ tag: 'job.restarting', timeMs: 300, attempt: 2, delayMs: 1000, cause: 'TaskManager tm-1 lost', tasks: ['a#0', 'b#0'] }),
    ev({ tag: 'job.restored', timeMs: 1300, checkpoint: 4, savepoint: false, tasks: ['a#0', 'b#0'] }),
  ];

  it('counts down only the later one, and the table says which restart redeployed its subtasks', () => {
    const m = new MomentCursor(events).at(500);
    expect(m.pendingRestarts.map((p) => [p.restart, p.tasks])).toEqual([[2, ['a#0', 'b#0']]]);
    expect(restartOutcomes(events)).toEqual([
      { redeployedAtMs: null, takenOverBy: 2 },
      { redeployedAtMs: 1300, takenOverBy: null },
    ]);
    const restarts = [
      { at: 100, cause: 'kill-task a#0', attempt: 1, delay: 1000, tasks: ['a#0'], restoredFrom: null },
      { at: 300, cause: 'TaskManager tm-1 lost', attempt: 2, delay: 1000, tasks: ['a#0', 'b#0'], restoredFrom: 4 },
    ];
    const { body } = render(RestartTable, {
      props: { restarts, events, checkpoints: [], subtasks: 2, restartStrategy: null, checkpointingOn: true, status: 'FINISHED' },
    });
    expect(body).toContain('with restart 2');
    expect(body).toContain('took its subtasks over');
    expect(body).not.toContain('1,100 ms');
  });
});

describe('property (seed 17): at every ms of random fault plans, the pending restarts agree with core and the trace', () => {
  const fault = fc.oneof(
    fc.record({ subtask: fc.integer({ min: 0, max: 1 }), at: fc.integer({ min: 1100, max: 3800 }) }).map(({ subtask, at }) => kill(subtask, at)),
    fc.record({ tm: fc.constantFrom('tm-1', 'tm-2'), at: fc.integer({ min: 1100, max: 3800 }) }).map(({ tm, at }) => ({ type: 'kill-taskmanager', taskManager: tm, at })),
  );
  const strategy = fc.oneof(
    fc.integer({ min: 0, max: 1200 }).map((delay) => ({ type: 'fixed-delay', attempts: 6, delay })),
    fc.constant({ type: 'exponential-delay', initialBackoff: 300, multiplier: 2, maxBackoff: 5000, resetThreshold: 3600000, jitter: 0 }),
  );
  const plan = fc.record({
    faults: fc.array(fault, { minLength: 1, maxLength: 3 }),
    restartStrategy: strategy,
    failoverStrategy: fc.constantFrom('region', 'full'),
    // A replacement slower than the slot request timeout: restarts wait for slots, give up and decide again.
    // (Always one: exponential-delay restarts for ever, and without a TaskManager to come it would never end.)
    replacementDelay: fc.integer({ min: 200, max: 1500 }),
    slotRequestTimeoutMs: fc.integer({ min: 100, max: 2000 }),
  });

  it('holds', () => {
    fc.assert(
      fc.property(plan, (p) => {
        const { report, events } = run((s) => {
          s.faults = p.faults;
          s.config.restartStrategy = p.restartStrategy;
          s.config.failoverStrategy = p.failoverStrategy;
          s.cluster = { ...s.cluster, heartbeatTimeout: 300, replacementDelay: p.replacementDelay };
        }, p.slotRequestTimeoutMs);
        checkEveryMs(events, report, 10);
      }),
      { seed: 17, numRuns: 30 },
    );
  });
});
