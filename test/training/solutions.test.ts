// The TypeScript solutions in examples/training/ give what the scenario files give: the
// same records with the same timestamps (as multisets: parallel sinks may interleave), on
// the shipped generated data and on a course test case.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { canonicalJson, createSimulation, type JsonValue, type RunReport, type StreamGraph, type Topic } from '../../core/index.ts';
import { hourlyTips } from '../../examples/training/hourly-tips.ts';
import { longRideAlerts } from '../../examples/training/long-ride-alerts.ts';
import { rideCleansing } from '../../examples/training/ride-cleansing.ts';
import { ridesAndFares } from '../../examples/training/rides-and-fares.ts';
import { topicOf } from '../../examples/training/run-example.ts';
import { roundRobin, scenarioJson, t, testFare, testRide, validated, type Exercise, type TestRecord } from './harness.ts';

const SOLUTIONS: Record<Exercise, { topics: readonly ('rides' | 'fares')[]; job: (topic: (name: string) => Topic) => StreamGraph }> = {
  'ride-cleansing': { topics: ['rides'], job: (topic) => rideCleansing(topic('rides')) },
  'hourly-tips': { topics: ['fares'], job: (topic) => hourlyTips(topic('fares')) },
  'long-ride-alerts': { topics: ['rides'], job: (topic) => longRideAlerts(topic('rides')) },
  'rides-and-fares': { topics: ['rides', 'fares'], job: (topic) => ridesAndFares(topic('rides'), topic('fares')) },
};

const multiset = (records: { value: JsonValue; timestamp: number | null }[]): string[] => records.map((r) => canonicalJson({ value: r.value, timestamp: r.timestamp })).sort();

function both(exercise: Exercise, records?: Partial<Record<'rides' | 'fares', TestRecord[]>>): { scenario: RunReport; solution: RunReport } {
  const { job } = SOLUTIONS[exercise];
  const json = scenarioJson(exercise);
  if (records !== undefined) {
    for (const [topic, list] of Object.entries(records)) (json['topics'] as Record<string, unknown>)[topic] = { partitions: 2, records: list };
    delete json['expect'];
  }
  const scenario = validated(json, `scenarios/training/${exercise}.json`);
  const fromFile = createSimulation({ scenario });
  fromFile.run();
  const fromCode = createSimulation({ streamGraph: job((name) => topicOf(scenario, name)), seed: scenario.seed });
  fromCode.run();
  return { scenario: fromFile.report(), solution: fromCode.report() };
}

describe('the TypeScript solutions match the scenario files', () => {
  test.each(['ride-cleansing', 'hourly-tips', 'long-ride-alerts', 'rides-and-fares'] as const)('%s on the shipped generated data', (exercise) => {
    const { scenario, solution } = both(exercise);
    expect(solution.status).toBe('FINISHED');
    const [sink] = Object.values(solution.sinks);
    expect(scenario.sinks['out']!.committed.length).toBeGreaterThan(0);
    expect(multiset(sink!.committed)).toEqual(multiset(scenario.sinks['out']!.committed));
  });

  test('on course test cases', () => {
    const fares = roundRobin([testFare(1, t(0), 1), testFare(1, t(15), 5), testFare(2, t(90), 20), testFare(3, t(70), 0), testFare(1, t(90), 10)]);
    const rides = roundRobin([testRide(1, true, t(0)), testRide(2, true, t(0)), testRide(3, true, t(1)), testRide(2, false, t(30)), testRide(3, false, t(180)), testRide(4, true, t(10), { endLon: 0, endLat: 90 })]);
    // Rides 1 and 2 meet their fares (in whichever order the partitions hand them); ride 4 and the fare of ride 3 never meet a partner.
    const ridesFirst = roundRobin([testRide(1, true, t(0)), testRide(2, true, t(1)), testRide(2, false, t(9)), testRide(4, true, t(2))]);
    const faresLater = roundRobin([{ ...testFare(7, t(0), 1), rideId: 2 }, { ...testFare(7, t(0), 2), rideId: 1 }, { ...testFare(7, t(0), 3), rideId: 3 }]);
    const cases = [['hourly-tips', { fares }], ['long-ride-alerts', { rides }], ['ride-cleansing', { rides }], ['rides-and-fares', { rides: ridesFirst, fares: faresLater }]] as const;
    for (const [exercise, records] of cases) {
      const { scenario, solution } = both(exercise, records);
      expect(multiset(Object.values(solution.sinks)[0]!.committed), exercise).toEqual(multiset(scenario.sinks['out']!.committed));
      expect(scenario.sinks['out']!.committed.length, exercise).toBeGreaterThan(0);
    }
  });
});

test('a solution run as a script prints what its sink wrote, then how the run ended', () => {
  const lines = execFileSync(process.execPath, ['--import', 'tsx', 'examples/training/hourly-tips.ts'], { encoding: 'utf8' }).trim().split('\n');
  const expected = both('hourly-tips').solution.sinks;
  const records = Object.values(expected)[0]!.committed;
  expect(lines.slice(0, -1)).toEqual(records.map((r) => `${canonicalJson(r.value)} @ ${r.timestamp}`));
  expect(lines.at(-1)).toMatch(new RegExp(`^hourly-tips: FINISHED at t = \\d+ ms, ${records.length} records written$`));
});
