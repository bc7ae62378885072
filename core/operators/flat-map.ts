/**
 * `flatMap`: one record in, any number out. The expression returns a list; each element
 * becomes a record with the input's timestamp. A result that is not a list fails the
 * task, as a Flink FlatMapFunction that throws would.
 *
 * @example {"id": "words", "type": "flatMap", "input": "lines", "expr": "split(text, ' ')"}
 */

import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';
import { UserFunctionError, type RecordFunction } from './user-function.ts';

export class FlatMapOperator implements StreamOperator {
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
    const result = this.#fn(record.value, record.timestamp);
    if (!Array.isArray(result)) {
      throw new UserFunctionError('flatMap', new TypeError(`a flatMap function must return a list, it returned ${result === null ? 'null' : typeof result}`));
    }
    for (const value of result) this.#out.collect({ value, timestamp: record.timestamp });
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
