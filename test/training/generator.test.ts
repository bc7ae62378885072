// The taxi generators: the course's rules, checked against values a small Java program
// printed with java.util.Random and StrictMath (JDK 17) for the same rules; the course's
// order and pace; and, as properties, every field within the course's ranges and the same
// seed giving the same records.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { JavaRandom, strictLog, TAXI_LAT_RANGE, TAXI_LON_RANGE, taxiRecords } from '../../core/connectors/index.ts';
import { stableHash32 } from '../../core/expr/index.ts';
import { generateTaxiTopic, parseScenarioText, rideFacts, taxiFare, TAXI_BEGINNING_MS, type TaxiFare, type TaxiRide } from '../../core/index.ts';

describe('java.util.Random and StrictMath.log, as the JVM computes them', () => {
  test('nextInt, nextDouble and nextGaussian give the JVM’s numbers', () => {
    const r42 = new JavaRandom(42);
    expect([r42.nextGaussian(), r42.nextGaussian(), r42.nextGaussian()]).toEqual([1.1419053154730547, 0.9194079489827879, -0.9498666368908959]);
    expect(Array.from({ length: 5 }, () => new JavaRandom(42)).map((r) => r.nextInt(200))).toEqual([130, 130, 130, 130, 130]);
    const r42b = new JavaRandom(42);
    expect(Array.from({ length: 5 }, () => r42b.nextInt(200))).toEqual([130, 163, 48, 84, 170]);
    const r0 = new JavaRandom(0);
    expect(Array.from({ length: 5 }, () => r0.nextInt(200))).toEqual([160, 148, 29, 47, 115]);
    const r7 = new JavaRandom(7);
    expect([r7.nextDouble(), r7.nextInt(5), r7.nextInt(4)]).toEqual([0.7306990420600421, 0, 0]);
  });

  test('strictLog is StrictMath.log to the last bit', () => {
    expect([strictLog(0.1), strictLog(0.7071067811865476), strictLog(1e-300), strictLog(0.999999999)]).toEqual([-2.3025850929940455, -0.3465735902799726, -690.7755278982137, -9.999999722180686e-10]);
  });
});

describe("the course's rules, derived from the rideId", () => {
  test('rides 1 and 1539 and fares 1, 2, 10 and 1539 are what the course generates', () => {
    const f32 = Math.fround;
    expect(rideFacts(1, 0)).toMatchObject({ startTime: 1577880020000, startLon: f32(-73.76764), startLat: f32(40.88664), endLon: f32(-73.843834), endLat: f32(40.78967), passengerCnt: 3, driverId: 2013000185 });
    expect(rideFacts(1539, 0)).toMatchObject({ startTime: 1577910780000, endTime: 1577918160000, startLon: f32(-73.69795), startLat: f32(40.975327), endLon: f32(-73.827255), endLat: f32(40.810764), passengerCnt: 3, driverId: 2013000179 });
    expect(taxiFare(1, 0)).toEqual({ rideId: 1, taxiId: 2013000185, driverId: 2013000185, startTime: 1577880020000, paymentType: 'CASH', tip: 33, tolls: 0, totalFare: 118 });
    expect(taxiFare(2, 0)).toMatchObject({ driverId: 2013000108, paymentType: 'CARD', tip: 14, tolls: 0, totalFare: 48 });
    expect(taxiFare(10, 0)).toMatchObject({ driverId: 2013000113, paymentType: 'CARD', tip: 23, tolls: 3, totalFare: 84 });
    expect(taxiFare(1539, 0)).toMatchObject({ driverId: 2013000179, tip: 49, tolls: 0, totalFare: 175 });
  });

  test('the first records in the course’s order: batches of five STARTs, shuffled, 50 ms apart', () => {
    const first = taxiRecords({ type: 'taxi-rides', count: 20 }, 2, 0).slice(0, 12);
    expect(first.map((r) => [r.at, (r.value as TaxiRide).rideId, (r.value as TaxiRide).isStart])).toEqual([
      [0, 5, true], [0, 3, true], [0, 2, true], [0, 4, true], [0, 1, true],
      [50, 9, true], [50, 7, true], [50, 10, true], [50, 6, true], [50, 8, true],
      [100, 15, true], [100, 13, true],
    ]);
  });
});

const rideRecords = fc.record({ count: fc.integer({ min: 1, max: 300 }), partitions: fc.integer({ min: 1, max: 4 }), seed: fc.integer({ min: -1000, max: 1000 }) });

describe('the generators, as properties', () => {
  test('every ride field is within the course’s ranges, each ride has one START and one END, and the topic is a valid log', () => {
    fc.assert(
      fc.property(rideRecords, ({ count, partitions, seed }) => {
        const records = taxiRecords({ type: 'taxi-rides', count }, partitions, seed);
        expect(records).toHaveLength(2 * count);
        const starts = new Map<number, TaxiRide>();
        const ends = new Map<number, TaxiRide>();
        let lastAt = -1;
        for (const r of records) {
          const ride = r.value as TaxiRide;
          expect(r.at).toBeGreaterThanOrEqual(lastAt);
          lastAt = r.at;
          expect(r.key).toBe(ride.rideId);
          expect(r.timestamp).toBe(ride.eventTime);
          expect(r.partition).toBe(stableHash32(ride.rideId) % partitions);
          expect(ride.rideId).toBeGreaterThanOrEqual(1);
          expect(ride.rideId).toBeLessThanOrEqual(count);
          for (const lat of [ride.startLat, ride.endLat]) expect(lat >= TAXI_LAT_RANGE.min && lat <= TAXI_LAT_RANGE.max && Math.fround(lat) === lat).toBe(true);
          for (const lon of [ride.startLon, ride.endLon]) expect(lon >= TAXI_LON_RANGE.min && lon <= TAXI_LON_RANGE.max && Math.fround(lon) === lon).toBe(true);
          expect(ride.passengerCnt >= 1 && ride.passengerCnt <= 4).toBe(true);
          expect(ride.driverId >= 2013000000 && ride.driverId < 2013000200 && ride.taxiId === ride.driverId).toBe(true);
          (ride.isStart ? starts : ends).set(ride.rideId, ride);
        }
        expect(starts.size).toBe(count);
        expect(ends.size).toBe(count);
        for (const [id, s] of starts) {
          const e = ends.get(id)!;
          expect(s.eventTime).toBe(TAXI_BEGINNING_MS + 20_000 * id);
          const minutes = (e.eventTime - s.eventTime) / 60_000;
          expect(Number.isInteger(minutes) && minutes >= 0 && minutes <= 600).toBe(true);
          expect({ ...e, isStart: true, eventTime: s.eventTime }).toEqual(s);
        }
      }),
      { numRuns: 40 },
    );
  });

  test('fares are in rideId order, 10 ms apart, agree with their rides, and keep the course’s ranges', () => {
    fc.assert(
      fc.property(rideRecords, ({ count, partitions, seed }) => {
        const fares = taxiRecords({ type: 'taxi-fares', count }, partitions, seed);
        const rides = taxiRecords({ type: 'taxi-rides', count }, partitions, seed);
        const startOf = new Map(rides.filter((r) => (r.value as TaxiRide).isStart).map((r) => [(r.value as TaxiRide).rideId, r.value as TaxiRide]));
        fares.forEach((r, i) => {
          const fare = r.value as TaxiFare;
          const ride = startOf.get(i + 1)!;
          expect([fare.rideId, r.at, r.timestamp, fare.startTime]).toEqual([i + 1, 10 * i, ride.eventTime, ride.eventTime]);
          expect([fare.driverId, fare.taxiId]).toEqual([ride.driverId, ride.taxiId]);
          expect(r.partition).toBe(stableHash32(fare.rideId) % partitions);
          expect(fare.paymentType).toBe(fare.rideId % 2 === 0 ? 'CARD' : 'CASH');
          expect(Number.isInteger(fare.tip) && fare.tip >= 0 && fare.tip <= 60).toBe(true);
          expect(fare.rideId % 10 === 0 ? fare.tolls >= 0 && fare.tolls <= 5 : fare.tolls === 0).toBe(true);
          expect(fare.totalFare - 3 - fare.tip - fare.tolls).toBeGreaterThanOrEqual(0);
          expect(fare.totalFare - 3 - fare.tip - fare.tolls).toBeLessThanOrEqual(600);
        });
      }),
      { numRuns: 40 },
    );
  });

  test('the same seed gives the same records; seed 0 gives the course’s own data, another seed other data', () => {
    fc.assert(
      fc.property(rideRecords, ({ count, partitions, seed }) => {
        for (const type of ['taxi-rides', 'taxi-fares'] as const) {
          expect(taxiRecords({ type, count }, partitions, seed)).toEqual(taxiRecords({ type, count }, partitions, seed));
        }
      }),
      { numRuns: 20 },
    );
    expect(taxiRecords({ type: 'taxi-fares', count: 3 }, 1, 0).map((r) => r.value)).toEqual([taxiFare(1, 0), taxiFare(2, 0), taxiFare(3, 0)]);
    expect(taxiRecords({ type: 'taxi-fares', count: 50 }, 1, 7)).not.toEqual(taxiRecords({ type: 'taxi-fares', count: 50 }, 1, 0));
  });

  test('after the last batch, the END events still queued come out as the course would release them, 100 s of event time per 50 ms', () => {
    const records = taxiRecords({ type: 'taxi-rides', count: 10 }, 1, 0);
    const lastStart = TAXI_BEGINNING_MS + 20_000 * 10;
    for (const r of records.filter((x) => x.at > 50)) {
      const ticks = (r.at - 50) / 50;
      expect((r.value as TaxiRide).isStart).toBe(false);
      expect(r.timestamp!).toBeLessThanOrEqual(lastStart + ticks * 100_000);
      expect(r.timestamp!).toBeGreaterThan(lastStart + (ticks - 1) * 100_000);
    }
    const topic = generateTaxiTopic('rides', 2, { type: 'taxi-rides', count: 10 }, 0);
    expect(topic.partitions.reduce((n, p) => n + p.length, 0)).toBe(20);
  });
});

describe('the generator in a scenario file', () => {
  const scenario = (generator: unknown) => ({
    format: 'weir/scenario@1',
    name: 'g',
    topics: { rides: { partitions: 2, generator } },
    job: { name: 'j', operators: [{ id: 'src', type: 'source', topic: 'rides', watermarks: { strategy: 'none' } }, { id: 'out', type: 'sink', input: 'src', sink: { type: 'print' } }] },
  });
  const problems = (generator: unknown): string[] => {
    const result = parseScenarioText(JSON.stringify(scenario(generator)), 'g.json');
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };

  test('taxi-rides and taxi-fares with a count are accepted', () => {
    expect(problems({ type: 'taxi-rides', count: 10 })).toEqual([]);
    expect(problems({ type: 'taxi-fares', count: 100000 })).toEqual([]);
  });

  test('mistakes are named with their JSON path', () => {
    expect(problems({ type: 'taxi-trips', count: 10 })[0]).toBe('$.topics.rides.generator.type: unknown generator type "taxi-trips" (known: taxi-rides, taxi-fares; or no type for the generic generator)');
    expect(problems({ type: 'taxi-rides' })[0]).toBe("$.topics.rides.generator.count: missing required field 'count'");
    expect(problems({ type: 'taxi-rides', count: 100001 })[0]).toMatch(/^\$\.topics\.rides\.generator\.count: /);
    expect(problems({ type: 'taxi-rides', count: 0 })[0]).toMatch(/^\$\.topics\.rides\.generator\.count: /);
    expect(problems({ type: 'taxi-rides', count: 5, interval: 10 })[0]).toMatch(/^\$\.topics\.rides\.generator(\.interval)?: .*interval/);
  });

  test('a bad generator is one mistake: the source reading its topic is not also told the topic is missing', () => {
    for (const generator of [{ type: 'taxi-rides', count: 0 }, { type: 'taxi-trips', count: 10 }, { type: 'taxi-rides' }]) {
      const found = problems(generator);
      expect(found).toHaveLength(1);
      expect(found.join('\n')).not.toMatch(/not in \$\.topics/);
    }
  });

  test('the generic generator still works unchanged', () => {
    expect(problems({ count: 10, interval: 5, keys: 2 })).toEqual([]);
  });
});
