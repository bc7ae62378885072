/**
 * Sinks for `DataStream.sinkTo`, with the names a Flink user knows: `KafkaSink` with its
 * delivery guarantee (EXACTLY_ONCE is the two-phase-commit sink, AT_LEAST_ONCE plain
 * writes flushed on checkpoint), `GenericWriteAheadSink` (records held in state until
 * their checkpoint completes), and `UpsertSink` (idempotent upserts into a table by key,
 * as a JDBC sink in upsert mode). Each describes where the output goes; the operator is
 * made per subtask when the job runs, so a restart gets a new one and the log stays.
 */
import { AtLeastOnceSink, IdempotentSink, TwoPhaseCommitSink, WriteAheadLogSink } from '../../connectors/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { guarded, type OperatorFactory, type RecordFunction } from '../../operators/index.ts';
import { DEFAULT_TRANSACTION_TIMEOUT_MS } from '../../world/index.ts';

/** Flink's DeliveryGuarantee. NONE is not offered: a simulated write never sits in a buffer that a crash could lose. */
export const DeliveryGuarantee = { EXACTLY_ONCE: 'exactly-once', AT_LEAST_ONCE: 'at-least-once' } as const;
export type DeliveryGuarantee = (typeof DeliveryGuarantee)[keyof typeof DeliveryGuarantee];

/** What `sinkTo` takes: a description that makes one sink operator per subtask. */
export interface Sink {
  readonly kind: 'two-phase-commit' | 'at-least-once' | 'write-ahead-log' | 'idempotent';
  factory(sinkId: string): OperatorFactory;
}

/**
 * @example
 * stream.sinkTo(KafkaSink.builder().setTopic('results').setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionTimeout(60_000).build(), 'out');
 */
export class KafkaSink {
  static builder(): KafkaSinkBuilder {
    return new KafkaSinkBuilder();
  }
}

export class KafkaSinkBuilder {
  #topic: string | null = null;
  #partitions: number | null = null;
  #guarantee: DeliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
  #timeoutMs = DEFAULT_TRANSACTION_TIMEOUT_MS;

  /** The topic written to (Flink's record serializer's topic). */
  setTopic(topic: string): this {
    if (topic.length === 0) throw new RangeError('KafkaSink: the topic needs a name');
    this.#topic = topic;
    return this;
  }

  /** The topic's partitions (default: one per sink subtask); subtask i writes partition i mod n, as Flink's fixed partitioner. */
  setPartitions(partitions: number): this {
    if (!Number.isSafeInteger(partitions) || partitions < 1) throw new RangeError(`KafkaSink: partitions must be a whole number >= 1, got ${partitions}`);
    this.#partitions = partitions;
    return this;
  }

  setDeliveryGuarantee(guarantee: DeliveryGuarantee): this {
    if (guarantee !== DeliveryGuarantee.EXACTLY_ONCE && guarantee !== DeliveryGuarantee.AT_LEAST_ONCE) throw new RangeError(`KafkaSink: unknown delivery guarantee ${String(guarantee)}`);
    this.#guarantee = guarantee;
    return this;
  }

  /** Kafka's `transaction.timeout.ms` for EXACTLY_ONCE (default 900000). */
  setTransactionTimeout(ms: number): this {
    if (!Number.isSafeInteger(ms) || ms < 1) throw new RangeError(`KafkaSink: the transaction timeout must be a whole number of ms >= 1, got ${ms}`);
    this.#timeoutMs = ms;
    return this;
  }

  build(): Sink {
    const topic = this.#topic;
    if (topic === null) throw new RangeError('KafkaSink: setTopic(...) before build()');
    const partitions = this.#partitions;
    if (this.#guarantee === DeliveryGuarantee.EXACTLY_ONCE) {
      const transactionTimeoutMs = this.#timeoutMs;
      return { kind: 'two-phase-commit', factory: (sinkId) => ({ kind: 'operator', create: () => new TwoPhaseCommitSink({ sinkId, topic, partitions, transactionTimeoutMs }) }) };
    }
    return { kind: 'at-least-once', factory: (sinkId) => ({ kind: 'operator', create: () => new AtLeastOnceSink({ sinkId, topic, partitions }) }) };
  }
}

/** Flink's GenericWriteAheadSink, writing the batches of completed checkpoints to a topic. Needs checkpointing. */
export const GenericWriteAheadSink = {
  forTopic(topic: string, partitions: number | null = null): Sink {
    return { kind: 'write-ahead-log', factory: (sinkId) => ({ kind: 'operator', create: () => new WriteAheadLogSink({ sinkId, topic, partitions }) }) };
  },
};

/** Idempotent upserts into the report's table `table`, the row key chosen by `key`. */
export const UpsertSink = {
  into(table: string, key: RecordFunction<JsonValue>): Sink {
    return {
      kind: 'idempotent',
      factory: (sinkId) => {
        const k = guarded(sinkId, key);
        return { kind: 'operator', create: () => new IdempotentSink({ sinkId, table, key: k }) };
      },
    };
  },
};
