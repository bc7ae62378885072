/**
 * A Kafka-like topic: a named log split into partitions, each an append-only sequence of
 * records with consecutive offsets. A record is appended at a virtual time (`at`), so a
 * scenario can describe traffic that arrives over time and in peaks; a reader only sees
 * records whose append time has come. Offsets are what a source checkpoints.
 *
 * A partition is an interface so that a large generated input (the benchmarks' million
 * events) can be produced on demand instead of held as a million objects.
 */
import type { JsonValue } from '../model/index.ts';

export interface TopicRecord {
  readonly key: JsonValue;
  readonly value: JsonValue;
  /** Event time carried by the record (Kafka's record timestamp), or null. */
  readonly timestamp: number | null;
}

export interface PartitionLog {
  /** Number of records (the next offset to be written). */
  readonly length: number;
  /** Virtual time at which the record at `offset` is appended. Non-decreasing by offset. */
  appendTime(offset: number): number;
  read(offset: number): TopicRecord;
}

export interface Topic {
  readonly name: string;
  readonly partitions: readonly PartitionLog[];
}

/** A partition held in memory, as a scenario file describes it. */
export class ArrayPartition implements PartitionLog {
  constructor(private readonly records: readonly (TopicRecord & { readonly at: number })[]) {}
  get length(): number {
    return this.records.length;
  }
  appendTime(offset: number): number {
    return this.records[offset]!.at;
  }
  read(offset: number): TopicRecord {
    return this.records[offset]!;
  }
}
