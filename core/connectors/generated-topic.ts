/**
 * A generated topic: records made from the run's seed rather than listed in the scenario,
 * so a lesson can have ten thousand records in a few lines, and a property check can ask
 * for "the same traffic, other data" by changing the seed. Record i is appended at
 * i x interval; its key is one of k0..k(n-1); its event time lags its append time by a
 * seeded amount up to `outOfOrderness`; its value comes from an expression that sees
 * `i`, `key`, `at` and `r`, a seeded draw in [0, 2^31). Keys go to partitions as Kafka's
 * default partitioner sends them: by a stable hash of the key.
 */
import { compileExpression, stableHash32 } from '../expr/index.ts';
import type { RandomStream } from '../kernel/index.ts';
import { ArrayPartition, type Topic, type TopicRecord } from './topic.ts';

export interface TopicGenerator {
  readonly count: number;
  readonly intervalMs: number;
  readonly keys: number;
  readonly outOfOrdernessMs: number;
  readonly value: string;
}

const TWO_POW_31 = 2147483648;

/** Generates a topic's records in full from `random` (a stream of the run's seed). */
export function generateTopic(name: string, partitions: number, generator: TopicGenerator, random: RandomStream): Topic {
  const value = compileExpression(generator.value, { bindings: ['i', 'key', 'r', 'at'] });
  const logs: (TopicRecord & { at: number })[][] = Array.from({ length: partitions }, () => []);
  for (let i = 0; i < generator.count; i++) {
    const key = `k${random.below(generator.keys)}`;
    const at = i * generator.intervalMs;
    const lag = generator.outOfOrdernessMs === 0 ? 0 : random.int(0, generator.outOfOrdernessMs);
    const r = random.below(TWO_POW_31);
    const record = { key, value: value.evaluate(null, at - lag, { i, key, r, at }), timestamp: at - lag, at };
    logs[stableHash32(key) % partitions]!.push(record);
  }
  return { name, partitions: logs.map((records) => new ArrayPartition(records)) };
}
