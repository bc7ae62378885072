/**
 * A subtask: one parallel instance of a JobVertex, running its operator chain. Like a
 * Flink StreamTask it is a mailbox actor: it never runs on its own, only when the kernel
 * hands it a `task.run` event, and then it does a bounded amount of work (a batch from its
 * source, or a batch of elements from its input buffers) before yielding, so that no task
 * can starve the others and every interleaving is decided by the kernel's agenda.
 *
 * Input watermarks are tracked per channel (Flink's StatusWatermarkValve): the task's
 * watermark is the minimum over the channels that are neither finished nor idle, and the
 * chain only hears of it when it advances. When every input is idle, the task is idle too
 * and says so downstream.
 */
import { cachedKeyGroupOf, keyGroupRange, type JobVertex, type StreamNode } from '../graph/index.ts';
import { assert, type Kernel } from '../kernel/index.ts';
import { MIN_WATERMARK, type StreamRecord } from '../model/index.ts';
import {
  isUserError,
  type KeyedContext,
  type OperatorContext,
  type OperatorMetrics,
  type Output,
  type SinkRegistry,
  type SourceOperator,
  type SourceStatus,
  type StreamOperator,
} from '../operators/index.ts';
import { InternalTimerService, KeyedStateBackend } from '../state/index.ts';
import type { ExecutionState, TraceLog } from '../trace/index.ts';
import type { Channel } from './channel.ts';
import { WatermarkElement, WatermarkStatusElement, type NetworkElement } from './elements.ts';
import { BroadcastingOutput, ChainedOutput, NO_OUTPUT, RecordWriterOutput, TracingOutput } from './outputs.ts';

/** Elements a task handles per mailbox step before it yields to others. */
export const TASK_BATCH = 512;

const MORE: SourceStatus = { kind: 'more' };
const IDLE_STATUS: SourceStatus = { kind: 'idle' };

interface ArrivedBuffer {
  readonly channel: Channel;
  readonly input: number;
  readonly elements: NetworkElement[];
  pos: number;
}

/**
 * What a task needs from the runtime around it: the kernel, the trace, the sinks, and the
 * JobManager's and network's services. An interface, so that a harness can drive a task
 * without a whole cluster.
 */
export interface TaskHost {
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly sinks: SinkRegistry;
  /** Puts a `task.run` on the agenda (now, or at `atMs`), once. */
  scheduleRun(task: StreamTask, atMs?: number): void;
  /** Calls the task's `fireProcessingTime` when the clock reaches `atMs`. */
  scheduleTimer(task: StreamTask, atMs: number): void;
  /** Sends the task's pending output buffers into the network, as far as credit allows. */
  flush(task: StreamTask): void;
  /** The task has emptied a buffer of `channel`: its credit goes back to the producer. */
  returnCredit(channel: Channel): void;
  taskFinished(task: StreamTask): void;
  taskFailed(task: StreamTask, cause: string): void;
}

/** Per-subtask counters that the report shows. */
export interface TaskMetrics extends OperatorMetrics {
  recordsIn: number;
  /** Virtual ms spent processing (operators with a throughput limit take time). */
  busyMs: number;
  /** Virtual ms spent blocked on a full output buffer without credit. */
  backPressuredMs: number;
}

export class StreamTask {
  readonly id: string;
  status: ExecutionState = 'CREATED';
  /** Whether a `task.run` event for this task is on the agenda. */
  runScheduled = false;
  watermark = MIN_WATERMARK;
  /** Whether this task has told its consumers it is idle. */
  idle = false;
  readonly metrics: TaskMetrics = { recordsIn: 0, lateRecordsDropped: 0, lateRecordsToSideOutput: 0, busyMs: 0, backPressuredMs: 0 };
  /** Blocked on an output channel without credit (Flink: backpressured). */
  backPressured = false;
  #backPressuredSinceMs = 0;
  /** The task is processing until this time and takes no new work before it. */
  busyUntilMs = 0;
  /** Records per virtual ms this chain can process (its slowest operator), or Infinity. */
  readonly #throughput: number;
  /** Outgoing channels, flushed after each step. */
  readonly outputChannels: Channel[] = [];
  readonly writers: RecordWriterOutput[] = [];

  #source: SourceOperator | null = null;
  #head: StreamOperator | null = null;
  readonly #operators: StreamOperator[] = [];
  readonly #inputWatermarks: number[] = [];
  readonly #inputEnded: boolean[] = [];
  readonly #inputIdle: boolean[] = [];
  /** Whether an input's watermark counts for the minimum (see the valve, below). */
  readonly #inputAligned: boolean[] = [];
  #inputsOpen = 0;
  /** Processing times at which a `task.timer` is on the agenda. */
  readonly #wakeUps = new Set<number>();
  /** All inputs ended; the task finishes at its next step. */
  #finishing = false;
  readonly #arrived: ArrivedBuffer[] = [];

  constructor(
    readonly vertex: JobVertex,
    readonly index: number,
    private readonly host: TaskHost,
  ) {
    this.id = `${vertex.id}#${index}`;
    this.#throughput = Math.min(...vertex.operators.map((o) => o.throughput ?? Number.POSITIVE_INFINITY));
  }

  /** Registers an input channel (before deployment). */
  addInput(channel: Channel): void {
    assert(channel.inputIndex === this.#inputWatermarks.length, `input channels of ${this.id} must be added in order`);
    this.#inputWatermarks.push(MIN_WATERMARK);
    this.#inputEnded.push(false);
    this.#inputIdle.push(false);
    this.#inputAligned.push(true);
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
    const nodes = this.vertex.operators;
    const instances = new Map<string, StreamOperator | SourceOperator>();
    for (const node of nodes) instances.set(node.id, node.factory.create());
    for (const list of writersByOperator.values()) this.writers.push(...list);
    for (const node of nodes) {
      const targets: Output[] = [];
      for (const edge of this.vertex.chainedEdges) {
        if (edge.from === node.id) targets.push(new ChainedOutput(instances.get(edge.to) as StreamOperator));
      }
      for (const writer of writersByOperator.get(node.id) ?? []) targets.push(writer);
      let output: Output = targets.length === 0 ? NO_OUTPUT : targets.length === 1 ? targets[0]! : new BroadcastingOutput(targets);
      if (this.host.trace.full && !node.isSink) output = new TracingOutput(output, this.host.trace, this.id, node.id, () => this.host.kernel.clock.nowMs);
      const instance = instances.get(node.id)!;
      const ctx = this.#context(node);
      if (node.factory.kind === 'source') {
        this.#source = instance as SourceOperator;
        this.#source.open(ctx, new SourceOutput(output, this));
      } else {
        const op = instance as StreamOperator;
        op.open(ctx, output);
        this.#operators.push(op);
      }
    }
    if (this.#source === null) this.#head = instances.get(nodes[0]!.id) as StreamOperator;
  }

  #context(node: StreamNode): OperatorContext {
    const host = this.host;
    return {
      task: this.id,
      operatorId: node.id,
      subtaskIndex: this.index,
      parallelism: this.vertex.parallelism,
      maxParallelism: this.vertex.maxParallelism,
      trace: host.trace,
      nowMs: () => host.kernel.clock.nowMs,
      sinks: host.sinks,
      keyed: node.keySelector === null ? null : this.#keyedContext(node.keySelector.select),
      registerProcessingTimeCallback: (atMs) => this.#wakeUpAt(atMs),
      metrics: this.metrics,
      markIdle: (idle) => this.#setIdle(idle),
      isBackPressured: () => this.backPressured,
    };
  }

  #keyedContext(select: KeyedContext['selectKey']): KeyedContext {
    const maxParallelism = this.vertex.maxParallelism;
    const range = keyGroupRange(maxParallelism, this.vertex.parallelism, this.index);
    return {
      backend: new KeyedStateBackend(range, cachedKeyGroupOf(maxParallelism)),
      timers: new InternalTimerService(),
      selectKey: select,
    };
  }

  /** A buffer arrived on an input channel. */
  receive(channel: Channel, elements: NetworkElement[]): void {
    this.#arrived.push({ channel, input: channel.inputIndex, elements, pos: 0 });
    this.host.scheduleRun(this);
  }

  /** One mailbox step. */
  run(): void {
    if (this.status !== 'RUNNING' || this.backPressured) return;
    // Still processing what the last step took: come back when that is done.
    if (this.host.kernel.clock.nowMs < this.busyUntilMs) return this.host.scheduleRun(this, this.busyUntilMs);
    if (this.#finishing) {
      if (this.#guard(() => this.#finish())) this.host.flush(this);
      return;
    }
    const before = this.metrics.recordsIn;
    let next: SourceStatus | null = null;
    if (!this.#guard(() => (next = this.#source !== null ? this.#source.emitBatch(TASK_BATCH) : this.#runInput()))) return;
    this.#chargeProcessingTime(this.metrics.recordsIn - before);
    this.host.flush(this);
    this.#followUp(next!);
  }

  /** What to do after a step: run again (after any busy time), later, or finish. */
  #followUp(next: SourceStatus): void {
    if (next.kind === 'end') this.#finishing = true;
    if (this.backPressured) return; // credit coming back resumes the task
    if (this.#finishing || next.kind === 'more') this.host.scheduleRun(this);
    else if (next.kind === 'wait') this.host.scheduleRun(this, next.untilMs);
  }

  /** Whether a step would have something to do (when credit comes back, for instance). */
  #hasWork(): boolean {
    return this.#finishing || this.#source !== null || this.#arrived.length > 0;
  }

  /** A chain with a throughput limit is busy for the time its records took. */
  #chargeProcessingTime(records: number): void {
    if (records === 0 || this.#throughput === Number.POSITIVE_INFINITY) return;
    const busyMs = Math.ceil(records / this.#throughput);
    this.metrics.busyMs += busyMs;
    this.busyUntilMs = Math.max(this.busyUntilMs, this.host.kernel.clock.nowMs) + busyMs;
  }

  /** A full output buffer found no credit: stop until the consumer catches up. */
  blockOnOutput(): void {
    if (this.backPressured) return;
    this.backPressured = true;
    this.#backPressuredSinceMs = this.host.kernel.clock.nowMs;
  }

  /** Credit came back and no output is blocked any more: resume. */
  unblock(): void {
    if (!this.backPressured || this.outputChannels.some((c) => c.blocked)) return;
    this.backPressured = false;
    this.metrics.backPressuredMs += this.host.kernel.clock.nowMs - this.#backPressuredSinceMs;
    if (this.status === 'RUNNING' && this.#hasWork()) this.host.scheduleRun(this);
  }

  /** One kernel event per wake-up time, however many operators ask for it. */
  #wakeUpAt(atMs: number): void {
    const at = Math.max(atMs, this.host.kernel.clock.nowMs);
    if (this.#wakeUps.has(at)) return;
    this.#wakeUps.add(at);
    this.host.scheduleTimer(this, at);
  }

  /** The virtual clock reached a time some operator asked for. */
  fireProcessingTime(): void {
    const now = this.host.kernel.clock.nowMs;
    this.#wakeUps.delete(now);
    if (this.status !== 'RUNNING') return;
    const ok = this.#guard(() => {
      this.#source?.onProcessingTime?.(now);
      for (const op of this.#operators) op.onProcessingTime?.(now);
    });
    if (ok) this.host.flush(this);
  }

  /** Runs operator code; a user-function error fails the task, as in Flink. */
  #guard(work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      if (isUserError(error)) {
        this.host.taskFailed(this, `${error.name}: ${error.message}`);
        return false;
      }
      throw error;
    }
  }

  /** Handles a batch of input elements; asks to run again while input is waiting. */
  #runInput(): SourceStatus {
    const head = this.#head!;
    let budget = TASK_BATCH;
    const arrived = this.#arrived;
    while (budget > 0 && arrived.length > 0 && this.status === 'RUNNING' && !this.backPressured) {
      const buffer = arrived[0]!;
      const elements = buffer.elements;
      while (budget > 0 && buffer.pos < elements.length && !this.backPressured) {
        const element = elements[buffer.pos++]!;
        budget--;
        if (element instanceof WatermarkElement) this.#onInputWatermark(buffer.input, element.timestamp);
        else if (element instanceof WatermarkStatusElement) this.#onInputStatus(buffer.input, element.idle);
        else if ('end' in element) this.#onInputEnded(buffer.input);
        else {
          this.metrics.recordsIn++;
          head.processElement(element as StreamRecord);
        }
      }
      if (buffer.pos === elements.length) {
        arrived.shift();
        this.host.returnCredit(buffer.channel);
      }
    }
    return arrived.length > 0 && !this.#finishing ? MORE : IDLE_STATUS;
  }

  // The valve, as Flink's StatusWatermarkValve works: an input's watermarks count only
  // while it is active; an input that comes back from idleness behind the task's watermark
  // is left out of the minimum until it catches up ("aligned" again), so that it cannot
  // hold everyone back; when the last active input goes idle, the task moves to the
  // highest watermark of all its inputs and goes idle itself.

  #onInputWatermark(input: number, watermark: number): void {
    if (this.#inputIdle[input] || watermark <= this.#inputWatermarks[input]!) return;
    this.#inputWatermarks[input] = watermark;
    if (!this.#inputAligned[input] && watermark >= this.watermark) this.#inputAligned[input] = true;
    this.#emitMinOfAligned();
  }

  #onInputStatus(input: number, idle: boolean): void {
    if (idle === this.#inputIdle[input]) return;
    this.#inputIdle[input] = idle;
    if (idle) {
      this.#inputAligned[input] = false;
      if (this.#allOpenInputsIdle()) {
        this.#emitMaxOfAll();
        this.#setIdle(true);
      } else this.#emitMinOfAligned();
      return;
    }
    if (this.#inputWatermarks[input]! >= this.watermark) this.#inputAligned[input] = true;
    this.#setIdle(false);
  }

  #onInputEnded(input: number): void {
    assert(!this.#inputEnded[input], () => `${this.id} got a second end of partition on input ${input}`);
    this.#inputEnded[input] = true;
    this.#inputsOpen--;
    if (this.#inputsOpen === 0) {
      this.#finishing = true; // the step's follow-up comes back to finish, after any busy time
      return;
    }
    if (this.#allOpenInputsIdle()) {
      this.#emitMaxOfAll();
      this.#setIdle(true);
    } else this.#emitMinOfAligned();
  }

  #allOpenInputsIdle(): boolean {
    for (let i = 0; i < this.#inputIdle.length; i++) if (!this.#inputEnded[i] && !this.#inputIdle[i]) return false;
    return true;
  }

  /** The minimum over inputs that are open, active and aligned, if it moves forward. */
  #emitMinOfAligned(): void {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#inputWatermarks.length; i++) {
      if (this.#inputEnded[i] || this.#inputIdle[i] || !this.#inputAligned[i]) continue;
      if (this.#inputWatermarks[i]! < min) min = this.#inputWatermarks[i]!;
    }
    if (min !== Number.POSITIVE_INFINITY && min > this.watermark) this.#advanceTo(min);
  }

  /** The maximum over all open inputs, if it moves forward (everything went idle). */
  #emitMaxOfAll(): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#inputWatermarks.length; i++) if (!this.#inputEnded[i] && this.#inputWatermarks[i]! > max) max = this.#inputWatermarks[i]!;
    if (max > this.watermark) this.#advanceTo(max);
  }

  #advanceTo(watermark: number): void {
    this.noteWatermark(watermark);
    this.#head!.processWatermark(watermark);
  }

  #setIdle(idle: boolean): void {
    if (idle === this.idle) return;
    this.idle = idle;
    this.host.trace.emit({ tag: 'watermark.status', timeMs: this.host.kernel.clock.nowMs, task: this.id, status: idle ? 'IDLE' : 'ACTIVE' });
    for (const writer of this.writers) writer.emitWatermarkStatus(idle);
  }

  /** Records the task's new watermark in its state and the trace. */
  noteWatermark(watermark: number): void {
    assert(watermark > this.watermark, () => `watermark of ${this.id} cannot go back from ${this.watermark} to ${watermark}`);
    this.watermark = watermark;
    this.host.trace.emit({
      tag: 'watermark.advanced',
      timeMs: this.host.kernel.clock.nowMs,
      task: this.id,
      operator: this.vertex.operators[0]!.id,
      watermark,
    });
  }

  /** All input consumed: let each operator flush, tell consumers, and finish. */
  #finish(): void {
    for (const op of this.#operators) op.endInput();
    for (const writer of this.writers) writer.endOfPartition();
    this.host.flush(this);
    this.host.taskFinished(this);
  }
}

/** A source's output: counts records, and lets only advancing watermarks out (as Flink's source output does). */
class SourceOutput implements Output {
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
