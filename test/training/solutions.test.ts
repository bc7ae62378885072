// The TypeScript solutions in examples/training/ give what the scenario files give: the
// same records with the same timestamps (as multisets: parallel sinks may interleave), on
// the shipped generated data and on a course test case.
import { describe, expect, test } from 'vitest';
import { ArrayPartition, canonicalJson, createSimulation, generateTaxiTopic, type JsonValue, type RunReport, type Scenario, type StreamGraph, type Topic } from '../../core/index.ts';
import { hourlyTips } from '../../examples/training/hourly-tips.ts';
import { longRideAlerts } from '../../examples/training/long-ride-alerts.ts';
import { rideCleansing } from '../../examples/training/ride-cleansing.ts';
import { roundRobin, scenarioJson, t, testFare, testRide, validated, type Exercise, type TestRecord } from './harness.ts';

const SOLUTIONS: Record<Exclude<Exercise, 'rides-and-fares'>, { topic: 'rides' | 'fares'; job: (topic: Topic) => StreamGraph }> = {
  'ride-cleansing': { topic: 'rides', job: rideCleansing },
  'hourly-tips': { topic: 'fares', job: hourlyTips },
  'long-ride-alerts': { topic: 'rides', job: longRideAlerts },
};

/** The topic a scenario's source reads, made as the scenario makes it. */
function topicOf(scenario: Scenario, name: string): Topic {
  const spec = scenario.topics[name]!;
  if (spec.generator?.type !== undefined) return generateTaxiTopic(name, spec.partitions, spec.generator, scenario.seed);
  return { name, partitions: spec.records.map((records) => new ArrayPartition(records)) };
}

const multiset = (records: { value: JsonValue; timestamp: number | null }[]): string[] => records.map((r) => canonicalJson({ value: r.value, timestamp: r.timestamp })).sort();

function both(exercise: Exclude<Exercise, 'rides-and-fares'>, records?: TestRecord[]): { scenario: RunReport; solution: RunReport } {
  const { topic, job } = SOLUTIONS[exercise];
  const json = scenarioJson(exercise);
  if (records !== undefined) {
    (json['topics'] as Record<string, unknown>)[topic] = { partitions: 2, records };
    delete json['expect'];
  }
  const scenario = validated(json, `scenarios/training/${exercise}.json`);
  const fromFile = createSimulation({ scenario });
  fromFile.run();
  const fromCode = createSimulation({ streamGraph: job(topicOf(scenario, topic)), seed: scenario.seed });
  fromCode.run();
  return { scenario: fromFile.report(), solution: fromCode.report() };
}

describe('the TypeScript solutions match the scenario files', () => {
  test.each(['ride-cleansing', 'hourly-tips', 'long-ride-alerts'] as const)('%s on the shipped generated data', (exercise) => {
    const { scenario, solution } = both(exercise);
    expect(solution.status).toBe('FINISHED');
    const [sink] = Object.values(solution.sinks);
    expect(scenario.sinks['out']!.committed.length).toBeGreaterThan(0);
    expect(multiset(sink!.committed)).toEqual(multiset(scenario.sinks['out']!.committed));
  });

  test('on course test cases', () => {
    const fares = roundRobin([testFare(1, t(0), 1), testFare(1, t(15), 5), testFare(2, t(90), 20), testFare(3, t(70), 0), testFare(1, t(90), 10)]);
    const rides = roundRobin([testRide(1, true, t(0)), testRide(2, true, t(0)), testRide(3, true, t(1)), testRide(2, false, t(30)), testRide(3, false, t(180)), testRide(4, true, t(10), { endLon: 0, endLat: 90 })]);
    for (const [exercise, records] of [['hourly-tips', fares], ['long-ride-alerts', rides], ['ride-cleansing', rides]] as const) {
      const { scenario, solution } = both(exercise, records);
      expect(multiset(Object.values(solution.sinks)[0]!.committed), exercise).toEqual(multiset(scenario.sinks['out']!.committed));
      expect(scenario.sinks['out']!.committed.length, exercise).toBeGreaterThan(0);
    }
  });
});
