// The trace fold a view stands on: at any time MS of a finished run, the records the sinks
// have committed by then, computed from the trace alone, equal those of a run stopped at MS
// (`weir run --until MS`), for every shipped scenario and for the sinks' transactions,
// fencing and timeouts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { committedBy } from '../../core/check/index.ts';
import { createSimulation } from '../../core/index.ts';
import { shippedScenarios } from '../scenarios/shipped.ts';

const committedUntil = (scenario: Parameters<typeof createSimulation>[0]['scenario'], untilMs: number): number => {
  const sim = createSimulation({ scenario, untilMs });
  sim.run();
  return Object.values(sim.report().sinks).reduce((n, s) => n + s.committed.length, 0);
};

describe('committedBy', () => {
  for (const { name, scenario } of shippedScenarios()) {
    it(`${name}: equals the committed records of a run stopped at the same time`, () => {
      const full = createSimulation({ scenario });
      full.run();
      const end = full.kernel.clock.nowMs;
      const events = full.trace.events;
      expect(committedBy(events, end)).toBe(Object.values(full.report().sinks).reduce((n, s) => n + s.committed.length, 0));
      // Any time, and the times at which something happened (a commit, a fence, a timeout), where a fold would go wrong first.
      const moments = [...new Set(events.filter((e) => e.tag === 'log.transaction' || e.tag === 'sink.commit').map((e) => e.timeMs))];
      const times = moments.length > 0 ? fc.oneof(fc.integer({ min: 0, max: end }), fc.constantFrom(...moments)) : fc.integer({ min: 0, max: end });
      fc.assert(
        fc.property(times, (t) => committedBy(events, t) === committedUntil(scenario, t)),
        { numRuns: 8 },
      );
    });
  }
});
