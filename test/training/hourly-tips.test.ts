// Hourly tips: the cases of the course's HourlyTipsTest (our own fares, from its documented
// expectations), run through the shipped scenario at parallelism 2 with a windowAll at 1,
// and the shipped run against a plain computation over the generated fares.
import { describe, expect, test } from 'vitest';
import { createSimulation, taxiFare } from '../../core/index.ts';
import { roundRobin, runWith, scenarioJson, t, testFare, validated } from './harness.ts';

const HOUR = 3_600_000;

describe('hourly tips on the course test cases', () => {
  test('one driver, one tip: one result at the end of its hour, timestamped end - 1', () => {
    const report = runWith('hourly-tips', 'fares', roundRobin([testFare(1, t(0), 1.0)]));
    expect(report.status).toBe('FINISHED');
    expect(report.sinks['out']!.committed).toEqual([{ value: { windowEnd: t(60), driverId: 1, sumOfTips: 1.0 }, timestamp: t(60) - 1 }]);
  });

  test('tips are summed by hour', () => {
    const fares = [testFare(1, t(0), 1.0), testFare(1, t(15), 5.0), testFare(1, t(90), 10.0)];
    const values = runWith('hourly-tips', 'fares', roundRobin(fares)).sinks['out']!.committed;
    expect(values).toHaveLength(2);
    expect(values).toEqual(
      expect.arrayContaining([
        { value: { windowEnd: t(60), driverId: 1, sumOfTips: 6.0 }, timestamp: t(60) - 1 },
        { value: { windowEnd: t(120), driverId: 1, sumOfTips: 10.0 }, timestamp: t(120) - 1 },
      ]),
    );
  });

  test('the max across drivers, per hour', () => {
    const fares = [
      testFare(1, t(0), 1.0),
      testFare(1, t(15), 5.0),
      testFare(1, t(90), 10.0),
      testFare(2, t(90), 20.0),
      testFare(3, t(70), 0.0),
      testFare(4, t(70), 0.0),
      testFare(4, t(80), 1.0),
      testFare(5, t(100), 10.0),
    ];
    const values = runWith('hourly-tips', 'fares', roundRobin(fares)).sinks['out']!.committed.map((r) => r.value);
    expect(values).toHaveLength(2);
    expect(values).toEqual(expect.arrayContaining([{ windowEnd: t(60), driverId: 1, sumOfTips: 6.0 }, { windowEnd: t(120), driverId: 2, sumOfTips: 20.0 }]));
  });

  test('the windowAll runs at parallelism 1 while the rest of the job runs at 2', () => {
    const json = scenarioJson('hourly-tips');
    const sim = createSimulation({ scenario: validated(json, 'hourly-tips.json') });
    sim.run();
    const vertices = sim.report().jobGraph.vertices;
    const byName = (part: string) => vertices.find((v) => v.operators.includes(part));
    expect(byName('hourly-max')?.parallelism).toBe(1);
    expect(byName('tips-per-driver')?.parallelism).toBe(2);
  });
});

describe('hourly tips on the generated fares', () => {
  test("each hour's result is a driver with that hour's highest sum of tips", () => {
    const scenario = validated(scenarioJson('hourly-tips'), 'scenarios/training/hourly-tips.json');
    const sim = createSimulation({ scenario });
    sim.run();
    const results = sim.report().sinks['out']!.committed;
    const count = (scenario.topics['fares']!.generator as { count: number }).count;
    const sums = new Map<number, Map<number, number>>();
    for (let id = 1; id <= count; id++) {
      const fare = taxiFare(id, 0);
      const end = Math.floor(fare.startTime / HOUR) * HOUR + HOUR;
      const hour = sums.get(end) ?? new Map<number, number>();
      hour.set(fare.driverId, (hour.get(fare.driverId) ?? 0) + fare.tip);
      sums.set(end, hour);
    }
    expect(results.map((r) => (r.value as { windowEnd: number }).windowEnd).sort()).toEqual([...sums.keys()].sort());
    for (const { value, timestamp } of results) {
      const v = value as { windowEnd: number; driverId: number; sumOfTips: number };
      const hour = sums.get(v.windowEnd)!;
      expect(timestamp).toBe(v.windowEnd - 1);
      expect(v.sumOfTips).toBe(Math.max(...hour.values()));
      expect(hour.get(v.driverId)).toBe(v.sumOfTips);
    }
  });
});
