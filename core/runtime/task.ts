/**
 * A subtask: one parallel instance of a JobVertex, running its operator chain. Like a
 * Flink StreamTask it is a mailbox actor: it never runs on its own, only when the kernel
 * hands it a `task.run` event, and then it does a bounded amount of work (a batch from its
 * source, or a batch of elements from its input buffers) before yielding, so that no task
 * can starve the others and every interleaving is decided by the kernel's agenda.
 *
 * Input watermarks are tracked per channel; the task's watermark is the minimum over the
 * channels that have not ended, and the chain only hears of it when it advances.
 */
import { ExprRuntimeError } from '../expr/index.ts';
import type { JobVertex } from '../graph/index.ts';
import { assert } from '../kernel/index.ts';
import { MIN_WATERMARK, type StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, SourceOperator, StreamOperator } from '../operators/index.ts';
import type { ExecutionState } from '../trace/index.ts';
import type { Channel } from './channel.ts';
import { WatermarkElement, type NetworkElement } from './elements.ts';
import { BroadcastingOutput, ChainedOutput, NO_OUTPUT, RecordWriterOutput, TracingOutput } from './outputs.ts';
import type { TaskHost } from './task-host.ts';

/** Elements a task handles per mailbox step before it yields to others. */
export const TASK_BATCH = 512;

interface ArrivedBuffer {
  readonly input: number;
  readonly elements: NetworkElement[];
  pos: number;
}

/** Per-subtask counters that the report shows. */
export interface TaskMetrics {
  recordsIn: number;
  recordsOut: number;
}

export class StreamTask {
  readonly id: string;
  status: ExecutionState = 'CREATED';
  /** Whether a `task.run` event for this task is on the agenda. */
  runScheduled = false;
  watermark = MIN_WATERMARK;
  readonly metrics: TaskMetrics = { recordsIn: 0, recordsOut: 0 };
  /** Outgoing channels, flushed after each step. */
  readonly outputChannels: Channel[] = [];
  readonly writers: RecordWriterOutput[] = [];

  #source: SourceOperator | null = null;
  #head: StreamOperator | null = null;
  #operators: StreamOperator[] = [];
  readonly #inputWatermarks: number[] = [];
  readonly #inputEnded: boolean[] = [];
  #inputsOpen = 0;
  readonly #arrived: ArrivedBuffer[] = [];

  constructor(
    readonly vertex: JobVertex,
    readonly index: number,
    private readonly host: TaskHost,
  ) {
    this.id = `${vertex.id}#${index}`;
  }

  /** Registers an input channel (before deployment). */
  addInput(channel: Channel): void {
    assert(channel.inputIndex === this.#inputWatermarks.length, `input channels of ${this.id} must be added in order`);
    this.#inputWatermarks.push(MIN_WATERMARK);
    this.#inputEnded.push(false);
    this.#inputsOpen++;
  }

  get inputCount(): number {
    return this.#inputWatermarks.length;
  }

  /**
   * Instantiates the chain's operators and wires their outputs: chained edges become
   * direct calls, JobEdges become the record writers given in `writersByOperator`.
   */
  deploy(writersByOperator: ReadonlyMap<string, RecordWriterOutput[]>): void {
    const host = this.host;
    const nodes = this.vertex.operators;
    const instances = new Map<string, StreamOperator | SourceOperator>();
    for (const node of nodes) instances.set(node.id, node.factory.create());
    const now = () => host.kernel.clock.nowMs;
    for (const node of nodes) {
      const targets: Output[] = [];
      for (const edge of this.vertex.chainedEdges) {
        if (edge.from === node.id) targets.push(new ChainedOutput(instances.get(edge.to) as StreamOperator));
      }
      for (const writer of writersByOperator.get(node.id) ?? []) targets.push(writer);
      let output: Output = targets.length === 0 ? NO_OUTPUT : targets.length === 1 ? targets[0]! : new BroadcastingOutput(targets);
      if (host.trace.full && !node.isSink) output = new TracingOutput(output, host.trace, this.id, node.id, now);
      const ctx: OperatorContext = {
        task: this.id,
        operatorId: node.id,
        subtaskIndex: this.index,
        parallelism: this.vertex.parallelism,
        maxParallelism: this.vertex.maxParallelism,
        trace: host.trace,
        nowMs: now,
        sinks: host.sinks,
      };
      const instance = instances.get(node.id)!;
      if (node.factory.kind === 'source') {
        this.#source = instance as SourceOperator;
        this.#source.open(ctx, new SourceWatermarkOutput(output, this));
      } else {
        const op = instance as StreamOperator;
        op.open(ctx, output);
        this.#operators.push(op);
      }
    }
    for (const list of writersByOperator.values()) this.writers.push(...list);
    const head = instances.get(nodes[0]!.id)!;
    this.#head = this.#source === null ? (head as StreamOperator) : null;
  }

  /** A buffer arrived on input channel `input`. */
  receive(input: number, elements: NetworkElement[]): void {
    this.#arrived.push({ input, elements, pos: 0 });
    this.host.scheduleRun(this);
  }

  /** One mailbox step. */
  run(): void {
    if (this.status !== 'RUNNING') return;
    try {
      if (this.#source !== null) this.#runSource();
      else this.#runInput();
    } catch (error) {
      if (error instanceof ExprRuntimeError) {
        this.host.taskFailed(this, `${error.name}: ${error.message}`);
        return;
      }
      throw error;
    }
    this.host.flush(this);
  }

  #runSource(): void {
    const status = this.#source!.emitBatch(TASK_BATCH);
    if (status.kind === 'more') this.host.scheduleRun(this);
    else if (status.kind === 'wait') this.host.scheduleRun(this, status.untilMs);
    else this.#finish();
  }

  #runInput(): void {
    const head = this.#head!;
    let budget = TASK_BATCH;
    const arrived = this.#arrived;
    while (budget > 0 && arrived.length > 0) {
      const buffer = arrived[0]!;
      const elements = buffer.elements;
      while (budget > 0 && buffer.pos < elements.length) {
        const element = elements[buffer.pos++]!;
        budget--;
        if (element instanceof WatermarkElement) {
          this.#onInputWatermark(buffer.input, element.timestamp);
        } else if ('end' in element) {
          this.#onInputEnded(buffer.input);
        } else {
          this.metrics.recordsIn++;
          head.processElement(element as StreamRecord);
        }
      }
      if (buffer.pos === elements.length) arrived.shift();
    }
    if (arrived.length > 0 && this.status === 'RUNNING') this.host.scheduleRun(this);
  }

  #onInputWatermark(input: number, watermark: number): void {
    if (watermark > this.#inputWatermarks[input]!) this.#inputWatermarks[input] = watermark;
    this.#advanceWatermark();
  }

  #onInputEnded(input: number): void {
    assert(!this.#inputEnded[input], `${this.id} got a second end of partition on input ${input}`);
    this.#inputEnded[input] = true;
    this.#inputsOpen--;
    if (this.#inputsOpen === 0) this.#finish();
    else this.#advanceWatermark();
  }

  /** The minimum over open inputs; the chain hears of it only when it moves forward. */
  #advanceWatermark(): void {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#inputWatermarks.length; i++) {
      if (!this.#inputEnded[i] && this.#inputWatermarks[i]! < min) min = this.#inputWatermarks[i]!;
    }
    if (min !== Number.POSITIVE_INFINITY && min > this.watermark) {
      this.noteWatermark(min);
      this.#head!.processWatermark(min);
    }
  }

  /** Records the task's new watermark in its state and the trace. */
  noteWatermark(watermark: number): void {
    assert(watermark > this.watermark, `watermark of ${this.id} cannot go back from ${this.watermark} to ${watermark}`);
    this.watermark = watermark;
    const trace = this.host.trace;
    trace.emit({ tag: 'watermark.advanced', timeMs: this.host.kernel.clock.nowMs, task: this.id, operator: this.vertex.operators[0]!.id, watermark });
  }

  /** All input consumed: let each operator flush, tell consumers, and finish. */
  #finish(): void {
    for (const op of this.#operators) op.endInput();
    for (const writer of this.writers) writer.endOfPartition();
    this.host.flush(this);
    this.host.taskFinished(this);
  }
}

/** A source's watermarks: only ones that advance go out (Flink's source output does this). */
class SourceWatermarkOutput implements Output {
  constructor(
    private readonly inner: Output,
    private readonly task: StreamTask,
  ) {}
  collect(record: StreamRecord): void {
    this.task.metrics.recordsIn++;
    this.inner.collect(record);
  }
  emitWatermark(watermark: number): void {
    if (watermark <= this.task.watermark) return;
    this.task.noteWatermark(watermark);
    this.inner.emitWatermark(watermark);
  }
}
