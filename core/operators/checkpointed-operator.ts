/**
 * An operator whose user function is a CheckpointedFunction (a map, flatMap, filter or
 * sink written as an object): the inner operator does the per-record work, this one adds
 * the function's operator state to the checkpoint and brings it back on restore. Keeping it
 * a wrapper leaves the stateless operators' per-record path as it is.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import { CheckpointedFunctionHost, type CheckpointedFunction } from './checkpointed-function.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';

export class CheckpointedOperator implements StreamOperator {
  readonly #inner: StreamOperator;
  readonly #host: CheckpointedFunctionHost;

  constructor(inner: StreamOperator, fn: CheckpointedFunction) {
    this.#inner = inner;
    this.#host = new CheckpointedFunctionHost(fn);
  }

  initializeState(restored: readonly JsonValue[] | null): void {
    this.#host.initialize(restored);
    this.#inner.initializeState?.(null);
  }

  open(ctx: OperatorContext, output: Output): void {
    this.#host.open(ctx);
    this.#inner.open(ctx, output);
  }

  processElement(record: StreamRecord): void {
    this.#inner.processElement(record);
  }

  processWatermark(watermark: number): void {
    this.#inner.processWatermark(watermark);
  }

  endInput(): void {
    this.#inner.endInput();
  }

  snapshotState(checkpointId: number): JsonValue {
    return this.#host.snapshot(checkpointId);
  }

  finish(): void {
    this.#inner.finish?.();
  }

  close(): void {
    this.#inner.close?.();
  }
}
