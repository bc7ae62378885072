/**
 * The at-least-once sink, as Flink's KafkaSink with DeliveryGuarantee.AT_LEAST_ONCE: plain
 * writes to a topic, no transactions; at a checkpoint the producer is flushed, so every
 * record before the barrier is in the log when the checkpoint completes (in the simulation
 * a write is acknowledged at once, so the flush has nothing left to wait for). Nothing is
 * lost, but what was written after the last completed checkpoint is written again when the
 * job replays from it: duplicates, which a `read_committed` reader sees like any record.
 */
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from '../operators/index.ts';

export interface AtLeastOnceSinkConfig {
  readonly sinkId: string;
  readonly topic: string;
  /** The topic's partitions when the scenario declares it; null: one per sink subtask. */
  readonly partitions: number | null;
}

export class AtLeastOnceSink implements StreamOperator {
  readonly #config: AtLeastOnceSinkConfig;
  #ctx!: OperatorContext;
  #partition = 0;
  #traced = false;

  constructor(config: AtLeastOnceSinkConfig) {
    this.#config = config;
  }

  open(ctx: OperatorContext, _output: Output): void {
    this.#ctx = ctx;
    const { sinkId, topic, partitions } = this.#config;
    ctx.world.log.ensureTopic(topic, partitions ?? ctx.parallelism);
    ctx.world.declareSink(sinkId, { kind: 'topic', topic });
    this.#partition = ctx.subtaskIndex % ctx.world.log.partitions(topic);
    this.#traced = ctx.trace.records('sink.wrote');
  }

  processElement(record: StreamRecord): void {
    const ctx = this.#ctx;
    ctx.world.log.send(this.#config.topic, this.#partition, { value: record.value, timestamp: record.timestamp }, this.#config.sinkId, null);
    if (this.#traced) {
      ctx.trace.emit({ tag: 'sink.wrote', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, sink: this.#config.sinkId, value: record.value, timestamp: record.timestamp, topic: this.#config.topic, partition: this.#partition });
    }
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}
}
