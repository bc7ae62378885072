/**
 * The `print` sink: writes every record it receives, in arrival order, like Flink's
 * PrintSinkFunction. With parallelism above 1 each subtask writes its own lines, so the
 * order across subtasks is the order in which their records arrived in virtual time.
 * Nothing is transactional: what it wrote is what the report shows as committed.
 */
import type { StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from './operator.ts';

export class PrintSink implements StreamOperator {
  readonly #sinkId: string;
  #ctx!: OperatorContext;
  #traced = false;

  constructor(sinkId: string) {
    this.#sinkId = sinkId;
  }

  open(ctx: OperatorContext, _output: Output): void {
    this.#ctx = ctx;
    this.#traced = ctx.trace.records('sink.wrote');
    ctx.world.declareSink(this.#sinkId, { kind: 'print' });
  }

  processElement(record: StreamRecord): void {
    const ctx = this.#ctx;
    ctx.world.print(this.#sinkId, { value: record.value, timestamp: record.timestamp });
    if (this.#traced) {
      ctx.trace.emit({ tag: 'sink.wrote', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, sink: this.#sinkId, value: record.value, timestamp: record.timestamp });
    }
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}
}
