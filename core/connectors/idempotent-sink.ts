/**
 * The idempotent sink: upserts into a key/value table (a database table with a primary
 * key, as Flink's JDBC sink in upsert mode writes). A record replayed after a restore is
 * written again, but to the same row with the same value, so the table ends as if every
 * record had been written once: exactly-once in effect, with no transactions, provided
 * the key and the value are deterministic. What the table held in between can differ (a
 * row may go back to an older value while the replay catches up), which is the price.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, RecordFunction, StreamOperator } from '../operators/index.ts';
import { rowKey } from '../world/tables.ts';

export interface IdempotentSinkConfig {
  readonly sinkId: string;
  readonly table: string;
  /** The row key of a record. */
  readonly key: RecordFunction<JsonValue>;
}

export class IdempotentSink implements StreamOperator {
  readonly #config: IdempotentSinkConfig;
  #ctx!: OperatorContext;
  #traced = false;

  constructor(config: IdempotentSinkConfig) {
    this.#config = config;
  }

  open(ctx: OperatorContext, _output: Output): void {
    this.#ctx = ctx;
    ctx.world.declareSink(this.#config.sinkId, { kind: 'table', table: this.#config.table });
    this.#traced = ctx.trace.records('sink.wrote');
  }

  processElement(record: StreamRecord): void {
    const ctx = this.#ctx;
    const { sinkId, table, key } = this.#config;
    const row = key(record.value, record.timestamp);
    ctx.world.upsert(sinkId, table, row, { value: record.value, timestamp: record.timestamp });
    // The row it went to: a replayed upsert shows as a write to the same row, not a new record.
    if (this.#traced) ctx.trace.emit({ tag: 'sink.wrote', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, sink: sinkId, value: record.value, timestamp: record.timestamp, table, row: rowKey(row) });
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}
}
