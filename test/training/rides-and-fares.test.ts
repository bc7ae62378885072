// Rides and fares: the cases of the course's RidesAndFares tests (our own rides and fares,
// from their documented expectations: a ride and its fare are joined in either order, END
// events are not joined, unmatched events give nothing), through the shipped scenario's
// keyed connect; and the shipped run, where every ride meets its fare.
import { describe, expect, test } from 'vitest';
import { createSimulation, rideFacts, taxiFare, taxiRide, type TaxiFare, type TaxiRide } from '../../core/index.ts';
import { roundRobin, runWith, scenarioJson, t, testRide, validated } from './harness.ts';

const fare = (rideId: number, minute: number): TaxiFare => ({ rideId, taxiId: 0, driverId: 0, startTime: t(minute), paymentType: 'CARD', tip: 5, tolls: 0, totalFare: 20 });
const joined = (rides: TaxiRide[], fares: TaxiFare[]) => runWith('rides-and-fares', 'rides', roundRobin(rides), 2, { fares: roundRobin(fares) }).sinks['out']!.committed;

describe('rides and fares on the course test cases', () => {
  test('a ride and its fare are joined, ride first or fare first', () => {
    const ride1 = testRide(1, true, t(0));
    const ride2 = testRide(2, true, t(1));
    const out = joined([ride1, ride2], [fare(2, 1), fare(1, 0)]);
    expect(out.map((r) => r.value)).toEqual(expect.arrayContaining([{ ride: ride1, fare: fare(1, 0) }, { ride: ride2, fare: fare(2, 1) }]));
    expect(out).toHaveLength(2);
  });

  test('END events are not joined, and an event without its partner gives nothing', () => {
    const out = joined([testRide(1, false, t(30)), testRide(2, true, t(0))], [fare(1, 0), fare(3, 0)]);
    expect(out).toEqual([]);
  });
});

describe('rides and fares on the generated data', () => {
  test('every START meets its own fare, once', () => {
    const scenario = validated(scenarioJson('rides-and-fares'), 'scenarios/training/rides-and-fares.json');
    const sim = createSimulation({ scenario });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FINISHED');
    const pairs = report.sinks['out']!.committed.map((r) => r.value as { ride: TaxiRide; fare: TaxiFare });
    const count = (scenario.topics['rides']!.generator as { count: number }).count;
    expect(pairs.map((p) => p.ride.rideId).sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    for (const p of pairs) expect(p).toEqual({ ride: taxiRide(rideFacts(p.ride.rideId, 0), true), fare: taxiFare(p.ride.rideId, 0) });
  });
});
