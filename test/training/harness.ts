// The training scenarios as CONTRACT section 6 lets a test use them: load the shipped file,
// replace a topic's generator with records (and maybe its partitions), drop `expect`, run,
// and read the committed values of the sink `out`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation, formatIssue, parseScenarioText, TAXI_BEGINNING_MS, type JsonValue, type RunReport, type Scenario, type TaxiFare, type TaxiRide } from '../../core/index.ts';

export const TRAINING_DIR = join(import.meta.dirname, '..', '..', 'scenarios', 'training');
export const EXERCISES = ['ride-cleansing', 'hourly-tips', 'long-ride-alerts', 'rides-and-fares'] as const;
export type Exercise = (typeof EXERCISES)[number];

type Json = Record<string, unknown>;

/** The shipped file as JSON, to be changed by a test. */
export function scenarioJson(name: Exercise): Json {
  return JSON.parse(readFileSync(join(TRAINING_DIR, `${name}.json`), 'utf8')) as Json;
}

export function validated(json: Json, file: string): Scenario {
  const result = parseScenarioText(JSON.stringify(json), file);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

/** A record of a test topic: the value, its Kafka timestamp and where it is appended. */
export interface TestRecord {
  value: JsonValue;
  partition: number;
  timestamp?: number;
  at?: number;
}

/**
 * The values spread over two partitions one after another, as the course's
 * ParallelTestSource hands its elements round-robin to its two subtasks; each record's
 * timestamp is its event time, as section 6 says.
 */
export function roundRobin(values: readonly (TaxiRide | TaxiFare)[], partitions = 2): TestRecord[] {
  return values.map((value, i) => ({ value, partition: i % partitions, timestamp: 'eventTime' in value ? (value as TaxiRide).eventTime : (value as TaxiFare).startTime }));
}

/** The exercise run on `records` in place of its topic's generator (or several topics' `more`), without `expect`. */
export function runWith(name: Exercise, topic: 'rides' | 'fares', records: readonly TestRecord[], partitions = 2, more: Record<string, readonly TestRecord[]> = {}): RunReport {
  const json = scenarioJson(name);
  const topics = json['topics'] as Record<string, Json>;
  for (const [name_, list] of [[topic, records], ...Object.entries(more)] as const) {
    if (!(name_ in topics)) throw new Error(`${name} has no topic ${name_}`);
    topics[name_] = { partitions, records: list };
  }
  delete json['expect'];
  const sim = createSimulation({ scenario: validated(json, `scenarios/training/${name}.json`) });
  sim.run();
  return sim.report();
}

/** What `out` committed, values only. */
export function outValues(report: RunReport): JsonValue[] {
  return report.sinks['out']!.committed.map((r) => r.value);
}

/** The course's tests build rides with these coordinates: Penn Station, in NYC. */
export const PENN_STATION = { lon: Math.fround(-73.9947), lat: Math.fround(40.750626) };

/** `minutes` after the course's BEGINNING (2020-01-01T12:00Z), in epoch ms. */
export const t = (minutes: number): number => TAXI_BEGINNING_MS + minutes * 60_000;

/** A ride event as the course's tests make them: everything but what the test is about set to something harmless. */
export function testRide(rideId: number, isStart: boolean, eventTime: number, where: Partial<Pick<TaxiRide, 'startLon' | 'startLat' | 'endLon' | 'endLat'>> = {}): TaxiRide {
  return {
    rideId,
    isStart,
    eventTime,
    startLon: where.startLon ?? PENN_STATION.lon,
    startLat: where.startLat ?? PENN_STATION.lat,
    endLon: where.endLon ?? PENN_STATION.lon,
    endLat: where.endLat ?? PENN_STATION.lat,
    passengerCnt: 1,
    taxiId: 0,
    driverId: 0,
  };
}

/** A fare as HourlyTipsTest makes them: only the driver, the start time and the tip matter. */
export function testFare(driverId: number, startTime: number, tip: number): TaxiFare {
  return { rideId: 0, taxiId: 0, driverId, startTime, paymentType: 'CASH', tip, tolls: 0, totalFare: 0 };
}
