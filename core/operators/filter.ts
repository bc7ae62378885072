/**
 * `filter`: keeps the records for which an expression is truthy (false, null, 0 and ""
 * are not), passing the same record object on unchanged.
 *
 * @example {"id": "odd", "type": "filter", "input": "numbers", "expr": "v % 2 == 1"}
 */
import { compileExpression, isTruthy, type CompiledExpr } from '../expr/index.ts';
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';

export class FilterOperator implements StreamOperator {
  readonly #expr: CompiledExpr;
  #out!: Output;

  constructor(expr: string) {
    this.#expr = compileExpression(expr);
  }

  open(_ctx: OperatorContext, output: Output): void {
    this.#out = output;
  }

  processElement(record: StreamRecord): void {
    if (isTruthy(this.#expr.evaluate(record.value, record.timestamp))) this.#out.collect(record);
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
