/**
 * A generated topic: records made from the run's seed rather than listed in the scenario,
 * so a lesson can have ten thousand records in a few lines, and a property check can ask
 * for "the same traffic, other data" by changing the seed. Record i is appended at
 * i x interval, and a peak appends its records all at once at its time; its key is one of k0..k(n-1); its event time lags its append time by a
 * seeded amount up to `outOfOrderness`; its value comes from an expression that sees
 * `i`, `key`, `at` and `r`, a seeded draw in [0, 2^31). Keys go to partitions as Kafka's
 * default partitioner sends them: by a stable hash of the key.
 */
import { compileExpression, stableHash32 } from '../expr/index.ts';
import type { RandomStream } from '../kernel/index.ts';
import type { JsonValue } from '../model/index.ts';
import { ArrayPartition, type Topic, type TopicRecord } from './topic.ts';

export interface TopicGenerator {
  readonly count: number;
  readonly intervalMs: number;
  readonly keys: number;
  readonly outOfOrdernessMs: number;
  readonly value: string;
  /** Traffic peaks: `count` more records appended all at once at `atMs`. */
  readonly peaks?: readonly { readonly atMs: number; readonly count: number }[];
}

const TWO_POW_31 = 2147483648;

/** Generates a topic's records in full from `random` (a stream of the run's seed). */
export function generateTopic(name: string, partitions: number, generator: TopicGenerator, random: RandomStream): Topic {
  const value = compileExpression(generator.value, { bindings: ['i', 'key', 'r', 'at'] });
  const logs: (TopicRecord & { at: number })[][] = Array.from({ length: partitions }, () => []);
  // Regular records first, then each peak's, in index order; a partition is then put in append-time order (stable).
  const times: number[] = [];
  for (let i = 0; i < generator.count; i++) times.push(i * generator.intervalMs);
  for (const peak of generator.peaks ?? []) for (let j = 0; j < peak.count; j++) times.push(peak.atMs);
  // One string per key, made once: records then share it, so every Map keyed by it (key
  // groups, state) finds its hash already computed, and its partition is hashed once.
  const keyNames = Array.from({ length: generator.keys }, (_, j) => `k${j}`);
  const keyPartitions = keyNames.map((k) => stableHash32(k) % partitions);
  // The bindings by position, in the order compileExpression was given them: one array for every record.
  const bindings: JsonValue[] = [0, '', 0, 0];
  for (let i = 0; i < times.length; i++) {
    const keyIndex = random.below(generator.keys);
    const key = keyNames[keyIndex]!;
    const at = times[i]!;
    const lag = generator.outOfOrdernessMs === 0 ? 0 : random.int(0, generator.outOfOrdernessMs);
    const r = random.below(TWO_POW_31);
    bindings[0] = i;
    bindings[1] = key;
    bindings[2] = r;
    bindings[3] = at;
    const record = { key, value: value.evaluateWith(null, at - lag, bindings), timestamp: at - lag, at };
    logs[keyPartitions[keyIndex]!]!.push(record);
  }
  if ((generator.peaks ?? []).length > 0) for (const log of logs) log.sort((a, b) => a.at - b.at);
  return { name, partitions: logs.map((records) => new ArrayPartition(records)) };
}
