// A run seen up to some moment: the fold of its trace up to a time is what the report of
// the same run stopped there (`weir run --until`) says, and a checkpoint that has not ended
// by then is IN_PROGRESS, a restart whose backoff has not ended restored nothing yet.
import { test as fcTest, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSimulation, LimitExceededError, type ReportCheckpoint, type Scenario, type TraceEvent } from '../../core/index.ts';
import { foldCheckpoints, foldRestarts } from '../../core/check/index.ts';
import { checkpointed } from './shipped-runs.ts';

const scenarios = checkpointed();

/** The summary trace of a whole run, kept per scenario. */
const whole = new Map<string, readonly TraceEvent[]>();
function eventsOf(name: string, scenario: Scenario): readonly TraceEvent[] {
  let events = whole.get(name);
  if (events === undefined) {
    const sim = createSimulation({ scenario, traceLevel: 'summary' });
    sim.run();
    whole.set(name, (events = sim.trace.events));
  }
  return events;
}

const json = (x: unknown): string => JSON.stringify(x);

describe('the fold of a trace cut at a time is the report of the run stopped then', () => {
  const cut = fc.constantFrom(...scenarios).chain(({ name, scenario }) => {
    const events = eventsOf(name, scenario);
    return fc.integer({ min: 0, max: events.at(-1)!.timeMs }).map((untilMs) => ({ name, scenario, untilMs }));
  });
  fcTest.prop([cut], { numRuns: 60 })('checkpoints and restarts, IN_PROGRESS and not yet restored included', ({ name, scenario, untilMs }) => {
    const upTo = eventsOf(name, scenario).filter((e) => e.timeMs <= untilMs);
    const stopped = createSimulation({ scenario, untilMs, traceLevel: 'off' });
    try {
      stopped.run();
    } catch (e) {
      // A scenario whose own limits stop it before `untilMs` has a shorter whole trace too.
      if (!(e instanceof LimitExceededError)) throw e;
    }
    const report = stopped.report();
    expect(json(foldCheckpoints(upTo)), `${name} until ${untilMs}`).toBe(json(report.checkpoints));
    expect(json(foldRestarts(upTo)), `${name} until ${untilMs}`).toBe(json(report.restarts));
  });
});

describe('a checkpoint the prefix has not seen end is IN_PROGRESS', () => {
  const ended = (events: readonly TraceEvent[], id: number): boolean => events.some((e) => (e.tag === 'checkpoint.completed' || e.tag === 'checkpoint.failed') && e.checkpoint === id);
  const pending = (c: ReportCheckpoint): ReportCheckpoint => ({ id: c.id, status: 'IN_PROGRESS', triggeredAt: c.triggeredAt, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, ...(c.savepoint ? { savepoint: true as const } : {}) });

  for (const { name, scenario } of scenarios) {
    it(`${name}: at every event, each entry is its final one if it ended by then, else IN_PROGRESS`, () => {
      const events = eventsOf(name, scenario);
      const final = new Map(foldCheckpoints(events).map((c) => [c.id, c]));
      let inProgress = 0;
      // Every cut where the fold can change: after each event of a checkpoint, and the empty prefix.
      const cuts = [0, ...events.flatMap((e, i) => ('checkpoint' in e && e.tag !== 'sink.commit' ? [i + 1] : []))];
      for (const n of cuts) {
        const prefix = events.slice(0, n);
        const folded = foldCheckpoints(prefix);
        const expected = [...final.values()]
          .filter((c) => prefix.some((e) => (e.tag === 'checkpoint.triggered' || e.tag === 'checkpoint.failed') && e.checkpoint === c.id))
          .map((c) => (ended(prefix, c.id) ? c : pending(c)));
        expect(json(folded), `${name}, first ${n} events`).toBe(json(expected));
        inProgress += folded.filter((c) => c.status === 'IN_PROGRESS').length;
      }
      if (final.size > 0) expect(inProgress, 'some cut falls inside a checkpoint').toBeGreaterThan(0);
    });
  }
});
