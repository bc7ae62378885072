/**
 * A sink that hands each record to a user function, as Flink's `addSink(SinkFunction)`
 * does: for tests and benchmarks written with the DataStream API that want to look at the
 * output themselves (a checksum, a counter) rather than read it from the report.
 */
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';
import { guarded, type RecordFunction } from './user-function.ts';

export type SinkFunction = RecordFunction<void>;

export class CollectSink implements StreamOperator {
  readonly #fn: SinkFunction;

  constructor(operatorId: string, fn: SinkFunction) {
    this.#fn = guarded(operatorId, fn);
  }

  open(_ctx: OperatorContext, _output: Output): void {}

  processElement(record: StreamRecord): void {
    this.#fn(record.value, record.timestamp);
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}
}
