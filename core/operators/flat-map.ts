/**
 * `flatMap`: one record in, any number out. The expression returns a list; each element
 * becomes a record with the input's timestamp. A result that is not a list fails the
 * task, as a Flink FlatMapFunction that throws would.
 *
 * @example {"id": "words", "type": "flatMap", "input": "lines", "expr": "split(text, ' ')"}
 */
import { compileExpression, ExprRuntimeError, type CompiledExpr } from '../expr/index.ts';
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';

export class FlatMapOperator implements StreamOperator {
  readonly #expr: CompiledExpr;
  #out!: Output;

  constructor(expr: string) {
    this.#expr = compileExpression(expr);
  }

  open(_ctx: OperatorContext, output: Output): void {
    this.#out = output;
  }

  processElement(record: StreamRecord): void {
    const result = this.#expr.evaluate(record.value, record.timestamp);
    if (!Array.isArray(result)) {
      throw new ExprRuntimeError(`flatMap expression must return a list, returned ${result === null ? 'null' : typeof result}`, this.#expr.source);
    }
    for (const value of result) this.#out.collect({ value, timestamp: record.timestamp });
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
