import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { createSimulation, validateScenario, type JsonValue, type Scenario } from '../../core/index.ts';
import { shippedScenarios } from './shipped.ts';

const hashOf = (scenario: Scenario, seed: number, parallelism: number | null = null) => {
  const sim = createSimulation({ scenario, seed, parallelism });
  sim.run();
  return sim.report().traceHash;
};

describe('determinism of the shipped scenarios', () => {
  for (const { name, scenario } of shippedScenarios()) {
    it(`${name}: the same seed twice gives the same trace hash`, () => {
      for (const seed of [0, 1, 42]) {
        const first = createSimulation({ scenario, seed });
        first.run();
        const second = createSimulation({ scenario, seed });
        second.run();
        expect(second.report()).toEqual(first.report());
        expect(second.trace.events.length).toBeGreaterThan(0);
      }
    });
  }
});

/** A scenario around random sequence items: records, watermarks and pauses. */
const item = fc.oneof(
  { weight: 6, arbitrary: fc.record({ value: fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd'), v: fc.integer({ min: -100, max: 100 }) }), timestamp: fc.integer({ min: -50, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ watermark: fc.integer({ min: -50, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ advanceProcessingTime: fc.integer({ min: 0, max: 50 }) }) },
);

function scenarioOf(items: unknown[], parallelism: number): Scenario {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'random items',
      job: {
        name: 'random',
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'double', type: 'map', input: 'src', expr: '{k: k, v: v * 2}' },
          { id: 'pos', type: 'filter', input: 'double', expr: 'v >= 0' },
          { id: 'byK', type: 'keyBy', input: 'pos', key: 'k' },
          { id: 'tag', type: 'map', input: 'byK', parallelism, expr: '{k: k, v: v, at: $timestamp}' },
          { id: 'out', type: 'sink', input: 'tag', parallelism, sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    '<generated>',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

describe('the trace hash is a function of (scenario, seed) only', () => {
  fcTest.prop([fc.array(item, { maxLength: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer(), fc.integer()], { numRuns: 60 })(
    'same inputs give the same hash, whatever ran in between',
    (items, parallelism, seed, otherSeed) => {
      const scenario = scenarioOf(items, parallelism);
      const first = hashOf(scenario, seed);
      hashOf(scenarioOf([...items].reverse(), parallelism), otherSeed); // unrelated work in between
      expect(hashOf(scenarioOf(items, parallelism), seed)).toBe(first);
    },
  );

  fcTest.prop([fc.array(item, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 4 })], { numRuns: 40 })(
    'the records a keyed job writes do not depend on its parallelism (as a multiset)',
    (items, parallelism) => {
      const run = (p: number) => {
        const sim = createSimulation({ scenario: scenarioOf(items, p), seed: 1 });
        sim.run();
        return sim
          .report()
          .sinks['out']!.committed.map((r) => JSON.stringify(r))
          .sort();
      };
      expect(run(parallelism)).toEqual(run(1));
    },
  );
});
