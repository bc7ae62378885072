// A simulation's point is plain data, and a run restored at that point goes on exactly as
// the uninterrupted run: same trace hash at the end, for every shipped scenario, at random
// points, with its faults and actions.
import { test as fcTest, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSimulation, restoreSimulation, type SimulationOptions } from '../../core/index.ts';
import { shippedScenarios } from './shipped.ts';

const shipped = shippedScenarios();

describe('restore + run gives the uninterrupted run', () => {
  fcTest.prop([fc.integer({ min: 0, max: shipped.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 })], { numRuns: 30 })(
    'shipped scenario, random point, random seed (seed printed on failure)',
    (which, fraction, seed) => {
      const options: SimulationOptions = { scenario: shipped[which]!.scenario, seed, traceLevel: 'full' };
      const whole = createSimulation(options);
      whole.run();
      const atStep = Math.floor(whole.kernel.steps * fraction);
      const first = createSimulation(options);
      while (first.kernel.steps < atStep && first.step()) {
        /* to the point */
      }
      const point = first.snapshot();
      expect(JSON.parse(JSON.stringify(point))).toEqual(point);
      const restored = restoreSimulation(options, point);
      restored.run();
      expect(restored.report().traceHash).toBe(whole.report().traceHash);
      expect(restored.report()).toEqual(whole.report());
    },
  );

  it('refuses a point from another scenario, saying why', () => {
    const a = createSimulation({ scenario: shipped[0]!.scenario });
    for (let i = 0; i < 50; i++) a.step();
    expect(() => restoreSimulation({ scenario: shipped[1]!.scenario, seed: a.seed }, a.snapshot())).toThrow(/does not belong/);
  });
});
