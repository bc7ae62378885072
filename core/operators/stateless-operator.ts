/**
 * What map, filter and flatMap have in common: one user function applied per record, no
 * state, watermarks passed straight on (a stateless operator never holds event time back),
 * nothing to flush at the end of input. Flink's AbstractUdfStreamOperator plays this part.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';
import type { RecordFunction } from './user-function.ts';

export abstract class StatelessOperator<R = JsonValue> implements StreamOperator {
  protected readonly fn: RecordFunction<R>;
  protected out!: Output;
  /** This operator's id, for failures that are its own (a flatMap result that is not a list). */
  protected operatorId = '';

  /** `fn` is the user function: a compiled expression or an API function. */
  constructor(fn: RecordFunction<R>) {
    this.fn = fn;
  }

  open(ctx: OperatorContext, output: Output): void {
    this.out = output;
    this.operatorId = ctx.operatorId;
  }

  abstract processElement(record: StreamRecord): void;

  processWatermark(watermark: number): void {
    this.out.emitWatermark(watermark);
  }

  endInput(): void {}
}
