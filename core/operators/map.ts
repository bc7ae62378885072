/**
 * `map`: one record in, one record out, the value computed by an expression over the
 * record. The timestamp is kept, as Flink's StreamMap keeps it.
 *
 * @example {"id": "triple", "type": "map", "input": "numbers", "expr": "{key: key, v: value * 3 + 1}"}
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';
import type { RecordFunction } from './user-function.ts';

export class MapOperator implements StreamOperator {
  readonly #fn: RecordFunction<JsonValue>;
  #out!: Output;

  /** `fn` is the user function: a compiled expression or an API function. */
  constructor(fn: RecordFunction<JsonValue>) {
    this.#fn = fn;
  }

  open(_ctx: OperatorContext, output: Output): void {
    this.#out = output;
  }

  processElement(record: StreamRecord): void {
    this.#out.collect({ value: this.#fn(record.value, record.timestamp), timestamp: record.timestamp });
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
