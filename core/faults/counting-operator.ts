/**
 * A fault that fires "after n records" needs to see the records of one operator in one
 * subtask. The injector wraps just that operator in a counting shell at deployment; every
 * other operator runs unwrapped, so a fault plan costs nothing where it does not aim.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, OperatorLifecycle, Output, SourceOperator, SourceStatus, StreamOperator, TwoInputStreamOperator } from '../operators/index.ts';

/** Called before each record the operator receives (or a source emits); may throw to fail the task. */
export type RecordHook = () => void;

/** Hands every lifecycle step to the wrapped operator unchanged. */
abstract class Delegating<T extends OperatorLifecycle> implements OperatorLifecycle {
  constructor(
    protected readonly inner: T,
    protected readonly onRecord: RecordHook,
  ) {}
  initializeState(restored: readonly JsonValue[] | null): void {
    this.inner.initializeState?.(restored);
  }
  prepareSnapshotPreBarrier(id: number): void {
    this.inner.prepareSnapshotPreBarrier?.(id);
  }
  snapshotState(id: number): JsonValue {
    return this.inner.snapshotState?.(id) ?? null;
  }
  notifyCheckpointComplete(id: number): void {
    this.inner.notifyCheckpointComplete?.(id);
  }
  notifyCheckpointAborted(id: number): void {
    this.inner.notifyCheckpointAborted?.(id);
  }
  finish(): void {
    this.inner.finish?.();
  }
  close(): void {
    this.inner.close?.();
  }
}

export class CountingOperator extends Delegating<StreamOperator> implements StreamOperator {
  open(ctx: OperatorContext, output: Output): void {
    this.inner.open(ctx, output);
  }
  processElement(record: StreamRecord): void {
    this.onRecord();
    this.inner.processElement(record);
  }
  processWatermark(watermark: number): void {
    this.inner.processWatermark(watermark);
  }
  endInput(): void {
    this.inner.endInput();
  }
  onProcessingTime(nowMs: number): void {
    this.inner.onProcessingTime?.(nowMs);
  }
}

/** A two-input operator: records of both inputs count. */
export class CountingTwoInputOperator extends Delegating<TwoInputStreamOperator> implements TwoInputStreamOperator {
  open(ctx: OperatorContext, output: Output): void {
    this.inner.open(ctx, output);
  }
  processElement1(record: StreamRecord): void {
    this.onRecord();
    this.inner.processElement1(record);
  }
  processElement2(record: StreamRecord): void {
    this.onRecord();
    this.inner.processElement2(record);
  }
  processWatermark1(watermark: number): void {
    this.inner.processWatermark1(watermark);
  }
  processWatermark2(watermark: number): void {
    this.inner.processWatermark2(watermark);
  }
  processWatermarkStatus1(idle: boolean): void {
    this.inner.processWatermarkStatus1(idle);
  }
  processWatermarkStatus2(idle: boolean): void {
    this.inner.processWatermarkStatus2(idle);
  }
  endInput(): void {
    this.inner.endInput();
  }
  onProcessingTime(nowMs: number): void {
    this.inner.onProcessingTime?.(nowMs);
  }
}

export class CountingSource extends Delegating<SourceOperator> implements SourceOperator {
  open(ctx: OperatorContext, output: Output): void {
    const onRecord = this.onRecord;
    this.inner.open(ctx, {
      collect(record) {
        onRecord();
        output.collect(record);
      },
      emitWatermark: (w) => output.emitWatermark(w),
    });
  }
  emitBatch(budget: number): SourceStatus {
    return this.inner.emitBatch(budget);
  }
  onProcessingTime(nowMs: number): void {
    this.inner.onProcessingTime?.(nowMs);
  }
}
