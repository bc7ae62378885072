/**
 * Topics of taxi rides and fares made as Flink's training course makes them (its
 * TaxiRideGenerator and TaxiFareGenerator), in the course's order and at its pace, as the
 * records of a Kafka-like topic.
 *
 * Rides come in batches of five rideIds (1-5, 6-10, ...), one batch every 50 ms of virtual
 * time (the course sleeps 10 ms per event of a batch of five). Each batch first releases
 * the queued END events whose time is at or before the batch's latest start time (so a few
 * END events precede their START), in time order, then its five START events in an order
 * shuffled by `java.util.Random(first id of the batch - 1)`. The course never stops; here
 * the starts stop after `count` rides and the remaining END events are released as the
 * course would have released them had it gone on: at each further 50 ms tick, those up to
 * 100 s (five rides) later than the tick before.
 *
 * Fares come in rideId order, one every 10 ms. Every record has the rideId as its key and
 * goes to partition hash(rideId) mod partitions (Kafka's default partitioner), so a ride's
 * START, END and fare share a partition when their topics have as many partitions. A
 * record's timestamp is the ride event's `eventTime`, the fare's `startTime`.
 */
import { stableHash32, type JsonValue } from '../../expr/index.ts';
import { RandomStreams } from '../../kernel/index.ts';
import { ArrayPartition, type Topic, type TopicRecord } from '../topic.ts';
import { EndEventQueue } from './end-event-queue.ts';
import { JavaRandom } from './java-random.ts';
import { javaSeed, rideFacts, taxiFare, taxiRide, type TaxiRide } from './taxi-data.ts';

/** A taxi generator as a scenario gives it: which kind of record and how many rides. */
export interface TaxiGenerator {
  readonly type: 'taxi-rides' | 'taxi-fares';
  /** Rides: each gives a START and an END event, or one fare. */
  readonly count: number;
}

/** One generated record before it goes into its partition. */
export interface TaxiRecord extends TopicRecord {
  readonly at: number;
  readonly partition: number;
}

const BATCH_SIZE = 5;
const BATCH_PACE_MS = 50;
const FARE_PACE_MS = 10;
/** How far the course's latest start time moves per batch: five rides, 20 s apart. */
const BATCH_SPAN_MS = 100_000;

/**
 * The offset Weir adds to every Java seed of the course's rules: 0 for the run seed 0 (the
 * default), so that a scenario shows the course's own data; a 48-bit draw of the seed's
 * stream `taxi-data` otherwise, the same for rides and fares so that they still agree.
 */
export function taxiSeedOffset(seed: number): number {
  if (seed === 0) return 0;
  const random = new RandomStreams(seed).stream('taxi-data');
  return random.below(0x1000000) * 0x1000000 + random.below(0x1000000);
}

/** The records of a taxi topic in the order the course emits them, each with its append time and partition. */
export function taxiRecords(generator: TaxiGenerator, partitions: number, seed: number): TaxiRecord[] {
  const offset = taxiSeedOffset(seed);
  const record = (value: TaxiRide | ReturnType<typeof taxiFare>, timestamp: number, at: number): TaxiRecord => ({
    key: value.rideId,
    value: value as JsonValue,
    timestamp,
    at,
    partition: stableHash32(value.rideId) % partitions,
  });
  if (generator.type === 'taxi-fares') {
    return Array.from({ length: generator.count }, (_, i) => {
      const fare = taxiFare(i + 1, offset);
      return record(fare, fare.startTime, i * FARE_PACE_MS);
    });
  }
  const out: TaxiRecord[] = [];
  const ends = new EndEventQueue<TaxiRide>((ride) => ride.eventTime);
  const release = (upTo: number, at: number): void => {
    for (let t = ends.peekTime(); t !== null && t <= upTo; t = ends.peekTime()) out.push(record(ends.poll()!, t, at));
  };
  let maxStartTime = 0;
  let batch = 0;
  for (let first = 1; first <= generator.count; first += BATCH_SIZE, batch++) {
    const starts: TaxiRide[] = [];
    for (let id = first; id < first + BATCH_SIZE && id <= generator.count; id++) {
      const facts = rideFacts(id, offset);
      starts.push(taxiRide(facts, true));
      ends.add(taxiRide(facts, false));
      maxStartTime = Math.max(maxStartTime, facts.startTime);
    }
    const at = batch * BATCH_PACE_MS;
    release(maxStartTime, at);
    for (const ride of shuffled(starts, javaSeed(first - 1, offset))) out.push(record(ride, ride.eventTime, at));
  }
  for (let tick = 1; ends.size > 0; tick++) release(maxStartTime + tick * BATCH_SPAN_MS, (batch - 1 + tick) * BATCH_PACE_MS);
  return out;
}

/** `Collections.shuffle(list, new Random(seed))`: swap each position from the end with a draw below it. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const random = new JavaRandom(seed);
  for (let i = out.length; i > 1; i--) {
    const j = random.nextInt(i);
    const tmp = out[i - 1]!;
    out[i - 1] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

/** A taxi topic: the generated records, each in its partition in emission order. */
export function generateTaxiTopic(name: string, partitions: number, generator: TaxiGenerator, seed: number): Topic {
  const logs: TaxiRecord[][] = Array.from({ length: partitions }, () => []);
  for (const r of taxiRecords(generator, partitions, seed)) logs[r.partition]!.push(r);
  return { name, partitions: logs.map((records) => new ArrayPartition(records)) };
}
