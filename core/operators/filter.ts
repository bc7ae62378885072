/**
 * `filter`: keeps the records for which an expression is truthy (false, null, 0 and ""
 * are not), passing the same record object on unchanged.
 *
 * @example {"id": "odd", "type": "filter", "input": "numbers", "expr": "v % 2 == 1"}
 */
import { isTruthy } from '../expr/index.ts';
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';
import type { RecordFunction } from './user-function.ts';

export class FilterOperator implements StreamOperator {
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
    if (isTruthy(this.#fn(record.value, record.timestamp))) this.#out.collect(record);
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
