// Ride cleansing: the shipped scenario keeps exactly the rides that start and end in NYC,
// with the cases of the course's RideCleansingIntegrationTest and unit tests (our own
// rides, from their documented expectations) and the generated rides of the file itself.
import { describe, expect, test } from 'vitest';
import { createSimulation, rideFacts, type TaxiRide } from '../../core/index.ts';
import { outValues, PENN_STATION, roundRobin, runWith, scenarioJson, testRide, t, validated } from './harness.ts';

const NORTH_POLE = { lon: 0, lat: 90 };
const ride = (id: number, from: { lon: number; lat: number }, to: { lon: number; lat: number }): TaxiRide =>
  testRide(id, true, t(id), { startLon: from.lon, startLat: from.lat, endLon: to.lon, endLat: to.lat });

describe('ride cleansing on the course test cases', () => {
  test('a mixture of locations: only the ride that starts and ends at Penn Station is kept, unchanged, with its event time', () => {
    const toThePole = ride(1, PENN_STATION, NORTH_POLE);
    const fromThePole = ride(2, NORTH_POLE, PENN_STATION);
    const atPennStation = ride(3, PENN_STATION, PENN_STATION);
    const atNorthPole = ride(4, NORTH_POLE, NORTH_POLE);
    const report = runWith('ride-cleansing', 'rides', roundRobin([toThePole, fromThePole, atPennStation, atNorthPole]));
    expect(report.status).toBe('FINISHED');
    expect(report.sinks['out']!.committed).toEqual([{ value: atPennStation, timestamp: atPennStation.eventTime }]);
  });

  test('START and END events alike: an END event in NYC is kept', () => {
    const end = testRide(9, false, t(30));
    expect(outValues(runWith('ride-cleansing', 'rides', roundRobin([end])))).toEqual([end]);
  });

  test("the box's edges belong to NYC, a step beyond them does not", () => {
    const edges = [
      ride(1, { lon: -74.05, lat: 40.5 }, { lon: -73.7, lat: 41.0 }),
      ride(2, { lon: -74.0501, lat: 40.75 }, PENN_STATION),
      ride(3, PENN_STATION, { lon: -73.6999, lat: 40.75 }),
      ride(4, { lon: -73.9, lat: 40.4999 }, PENN_STATION),
      ride(5, PENN_STATION, { lon: -73.9, lat: 41.0001 }),
    ];
    expect(outValues(runWith('ride-cleansing', 'rides', roundRobin(edges))).map((r) => (r as TaxiRide).rideId)).toEqual([1]);
  });
});

describe('ride cleansing on the generated rides', () => {
  test('the shipped run keeps every event of the rides in NYC and none of the others', () => {
    const scenario = validated(scenarioJson('ride-cleansing'), 'scenarios/training/ride-cleansing.json');
    const sim = createSimulation({ scenario });
    sim.run();
    const kept = outValues(sim.report()) as TaxiRide[];
    const inNyc = (lon: number, lat: number) => lon >= -74.05 && lon <= -73.7 && lat >= 40.5 && lat <= 41.0;
    const count = (scenario.topics['rides']!.generator as { count: number }).count;
    const expected: number[] = [];
    for (let id = 1; id <= count; id++) {
      const f = rideFacts(id, 0);
      if (inNyc(f.startLon, f.startLat) && inNyc(f.endLon, f.endLat)) expected.push(id, id);
    }
    expect(expected.length).toBeLessThan(2 * count); // the lesson needs rides to drop
    expect(kept.map((r) => r.rideId).sort((a, b) => a - b)).toEqual(expected);
  });
});
