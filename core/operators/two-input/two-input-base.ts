/**
 * What every two-input operator shares: the combined event-time clock. Each input's
 * watermark and idleness come in separately (processWatermark1/2,
 * processWatermarkStatus1/2); the operator sees one watermark, the combination, through
 * `processWatermark`, as a Flink operator deriving from AbstractStreamOperator does.
 */
import type { StreamRecord } from '../../model/index.ts';
import type { OperatorContext, Output, TwoInputStreamOperator } from '../operator.ts';
import { CombinedWatermark } from './combined-watermark.ts';

export abstract class AbstractTwoInputOperator implements TwoInputStreamOperator {
  readonly #clock = new CombinedWatermark();
  protected ctx!: OperatorContext;
  protected out!: Output;

  open(ctx: OperatorContext, output: Output): void {
    this.ctx = ctx;
    this.out = output;
  }

  abstract processElement1(record: StreamRecord): void;
  abstract processElement2(record: StreamRecord): void;

  /** The combined watermark advanced: fire what it reaches, then forward it (the default only forwards). */
  protected processWatermark(watermark: number): void {
    this.out.emitWatermark(watermark);
  }

  processWatermark1(watermark: number): void {
    if (this.#clock.updateWatermark(0, watermark)) this.processWatermark(this.#clock.watermark);
  }

  processWatermark2(watermark: number): void {
    if (this.#clock.updateWatermark(1, watermark)) this.processWatermark(this.#clock.watermark);
  }

  processWatermarkStatus1(idle: boolean): void {
    if (this.#clock.updateStatus(0, idle)) this.processWatermark(this.#clock.watermark);
  }

  processWatermarkStatus2(idle: boolean): void {
    if (this.#clock.updateStatus(1, idle)) this.processWatermark(this.#clock.watermark);
  }

  endInput(): void {}
}
