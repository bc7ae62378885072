/**
 * `map`: one record in, one record out, the value computed by an expression over the
 * record. The timestamp is kept, as Flink's StreamMap keeps it.
 *
 * @example {"id": "triple", "type": "map", "input": "numbers", "expr": "{key: key, v: value * 3 + 1}"}
 */
import { compileExpression, type CompiledExpr } from '../expr/index.ts';
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';

export class MapOperator implements StreamOperator {
  readonly #expr: CompiledExpr;
  #out!: Output;

  constructor(expr: string) {
    this.#expr = compileExpression(expr);
  }

  open(_ctx: OperatorContext, output: Output): void {
    this.#out = output;
  }

  processElement(record: StreamRecord): void {
    this.#out.collect({ value: this.#expr.evaluate(record.value, record.timestamp), timestamp: record.timestamp });
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
