/**
 * A subtask: one execution attempt of one parallel instance of a JobVertex, running its
 * operator chain. Like a Flink StreamTask it is a mailbox actor: it never runs on its own,
 * only when the kernel hands it a `task.run` event, and then it does a bounded amount of
 * work (a batch from its source, or a batch of elements from its input gate) before
 * yielding, so that no task can starve the others and every interleaving is decided by
 * the kernel's agenda.
 *
 * Every deployment is a new attempt (a new StreamTask object with `attempt` one higher);
 * whatever was addressed to an earlier attempt (a buffer, a credit, a timer, a checkpoint
 * trigger) is dropped by the JobManager before it reaches this one.
 *
 * The task is the shell its parts share: its operator chain (operator-chain.ts, with the
 * operators' contexts in operator-context.ts), the input loop (input-processor.ts), the
 * checkpoint side (subtask-checkpoint-coordinator.ts) and its processing time
 * (busy-time.ts). Here are its lifecycle from deployment to the end of its input, the
 * mailbox step, backpressure, idleness, watermarks and timers.
 */
import type { JobVertex } from '../graph/index.ts';
import { assert } from '../kernel/index.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from '../model/index.ts';
import { isUserError, userFailureCause, type SourceStatus, type StreamOperator } from '../operators/index.ts';
import type { KeyedStateBackend, Timer } from '../state/index.ts';
import type { TaskSnapshot } from '../checkpoint/index.ts';
import { BusyTime } from './busy-time.ts';
import type { Channel } from './channel.ts';
import type { Slot } from './cluster.ts';
import type { CheckpointBarrier, NetworkElement, NetworkEvent } from './elements.ts';
import { FaultInjectedError } from './fault-hooks.ts';
import { InputGate } from './input-gate.ts';
import { IDLE_STATUS, StreamInputProcessor, TASK_BATCH } from './input-processor.ts';
import { OperatorChain, type InitializationFailure } from './operator-chain.ts';
import type { RecordWriterOutput } from './outputs.ts';
import { SubtaskCheckpointCoordinator } from './subtask-checkpoint-coordinator.ts';
import type { TaskHostOf, TaskMetrics, TaskRestore } from './task-host.ts';
import { executionStateOf, isActive, transition, type TaskLifecycle } from './task-lifecycle.ts';

export { TASK_BATCH } from './input-processor.ts';
export { newTaskMetrics, type TaskMetrics, type TaskRestore } from './task-host.ts';

/** What a StreamTask needs from the runtime around it (task-host.ts): a harness can drive a task without a whole cluster. */
export type TaskHost = TaskHostOf<StreamTask>;

export class StreamTask {
  readonly id: string;
  #lifecycle: TaskLifecycle = { kind: 'created' };
  /** Whether a `task.run` event for this task is on the agenda. */
  runScheduled = false;
  /** The slot the attempt runs in (set at deployment). */
  slot: Slot | null = null;
  /** Whether this task has told its consumers it is idle. */
  idle = false;
  /** Blocked on an output channel without credit (Flink: backpressured). */
  backPressured = false;
  #backPressuredSinceMs = 0;
  readonly #busy: BusyTime;
  /** Outgoing channels, flushed after each step. */
  readonly outputChannels: Channel[] = [];
  readonly writers: RecordWriterOutput[] = [];
  readonly gate = new InputGate();
  #watermark = MIN_WATERMARK;

  readonly #chain: OperatorChain;
  #input: StreamInputProcessor<StreamTask> | null = null;
  readonly #checkpoints: SubtaskCheckpointCoordinator<StreamTask>;
  /** Processing times at which a `task.timer` is on the agenda. */
  readonly #wakeUps = new Set<number>();
  /** Stop-with-savepoint: the source emits nothing after the savepoint's barrier. */
  #suspended = false;

  constructor(
    readonly vertex: JobVertex,
    readonly index: number,
    /** 1 for the first deployment, one more for each redeployment. */
    readonly attempt: number,
    private readonly host: TaskHost,
    readonly metrics: TaskMetrics,
  ) {
    this.id = `${vertex.id}#${index}`;
    this.#busy = new BusyTime(Math.min(...vertex.operators.map((o) => o.throughput ?? Number.POSITIVE_INFINITY)), metrics.recordsIn);
    this.#chain = new OperatorChain(vertex);
    this.#checkpoints = new SubtaskCheckpointCoordinator(this, host, this.#chain.slots);
  }

  get lifecycle(): TaskLifecycle {
    return this.#lifecycle;
  }

  get status(): ReturnType<typeof executionStateOf> {
    return executionStateOf(this.#lifecycle);
  }

  get watermark(): number {
    return this.#watermark;
  }

  /** Whether the attempt still reads input and takes part in checkpoints. */
  get active(): boolean {
    return isActive(this.#lifecycle);
  }

  /** Moves the lifecycle on; the JobManager traces the ExecutionState it maps to. */
  moveTo(next: TaskLifecycle): void {
    this.#lifecycle = transition(this.#lifecycle, next, this.id);
  }

  /** Registers an input channel (before deployment). */
  addInput(channel: Channel): void {
    this.gate.add(channel);
  }

  get inputCount(): number {
    return this.gate.size;
  }

  /** A `slow-task` fault: the chain processes `factor` times slower until told otherwise. */
  setThroughput(recordsPerMs: number): void {
    this.#busy.throughput = recordsPerMs;
  }

  /** Records per virtual ms this chain can process (its slowest operator), or Infinity. */
  get throughput(): number {
    return this.#busy.throughput;
  }

  /** The task is processing until this time and takes no new work before it. */
  get busyUntilMs(): number {
    return this.#busy.untilMs;
  }

  /** Why initializeState or open of an operator failed during deploy; the JobManager then fails the attempt. */
  initializationFailure: InitializationFailure | null = null;

  /** The snapshot of the last checkpoint this attempt took (a finished task's state does not change after it). */
  get lastSnapshot(): TaskSnapshot | null {
    return this.#checkpoints.lastSnapshot;
  }

  // ---- lifecycle -------------------------------------------------------------------

  /**
   * Deploys the operator chain, its outputs to the record writers in `writersByOperator`,
   * restored from `restore`; then the input feeds its head, the restored in-flight records
   * first. A failure to initialize or open is left in `initializationFailure`.
   */
  deploy(writersByOperator: ReadonlyMap<string, RecordWriterOutput[]>, restore: TaskRestore | null): void {
    const chain = this.#chain;
    chain.instantiate(this.id, this.host);
    for (const list of writersByOperator.values()) this.writers.push(...list);
    const input = new StreamInputProcessor(this, this.host, this.#checkpoints, chain.twoInputHead);
    this.#input = input;
    this.#checkpoints.installBarrierHandler();
    this.initializationFailure = chain.open(this, this.host, writersByOperator, restore);
    if (this.initializationFailure !== null) return;
    if (chain.source === null && !input.twoInput) input.setHead(chain.head as StreamOperator);
    input.setReplay(restore?.channelState ?? [], restore?.channelStateChannels ?? []);
  }

  /**
   * A task whose vertex had finished at the checkpoint it is restored from: it does not run
   * its operators again, it only tells its consumers that its data has ended (Flink's
   * finished-on-restore) and waits for the next checkpoint to close.
   */
  startFinishedOnRestore(): void {
    for (const writer of this.writers) writer.emitWatermark(MAX_WATERMARK);
    for (const writer of this.writers) writer.endOfData();
    this.#afterEndOfData();
    this.host.flush(this);
  }

  /** All input consumed: let each operator flush, tell consumers the data has ended. */
  #finish(): void {
    this.#chain.endInput();
    for (const writer of this.writers) writer.endOfData();
    this.#afterEndOfData();
  }

  /** Without checkpointing the task closes now; with it, it waits for a final checkpoint (FLIP-147). */
  #afterEndOfData(): void {
    if (!this.host.periodicCheckpointing) {
      // Savepoints may still come: they must know this subtask's final state (a source's offsets at the end).
      if (this.host.checkpointing !== null) this.#checkpoints.lastSnapshot = { ...this.#checkpoints.snapshot(0), finished: true };
      return this.#close();
    }
    this.moveTo({ kind: 'waiting-for-final-checkpoint', sinceCheckpoint: null });
  }

  #close(): void {
    for (const writer of this.writers) writer.endOfPartition();
    this.#chain.close();
    this.host.flush(this);
    this.host.taskFinished(this);
  }

  /** Stop-with-savepoint completed: the attempt ends FINISHED without draining (no end of data, no final watermark), as Flink's `stop`. */
  closeAfterStop(): void {
    this.#chain.close();
  }

  /** The attempt is over (failed, canceled, or its TaskManager died): backpressure time stops counting. */
  stop(): void {
    if (this.backPressured) this.#endBackPressure();
    for (const w of this.writers) this.metrics.recordsOut += w.recordsOut;
    this.writers.length = 0;
  }

  // ---- the mailbox step --------------------------------------------------------------

  /** A buffer arrived on input channel `input`. */
  receive(input: number, elements: NetworkElement[]): void {
    this.gate.receive(input, elements);
    this.host.scheduleRun(this);
  }

  /** An event on input `input`'s priority lane (an unaligned barrier). */
  receivePriority(input: number, event: NetworkEvent): void {
    this.gate.receivePriority(input, event);
    this.host.scheduleRun(this);
  }

  /** One mailbox step. */
  run(): void {
    if (!this.active || this.backPressured) return;
    // Still processing what the last step took: come back when that is done.
    if (this.host.kernel.clock.nowMs < this.#busy.untilMs) return this.host.scheduleRun(this, this.#busy.untilMs);
    if (this.#lifecycle.kind === 'finishing') {
      if (!this.#guard(() => this.#finish())) return;
      this.host.flush(this);
      if (!this.active || this.#chain.source !== null) return;
    }
    this.#busy.startStep(this.host.kernel.clock.nowMs, this.metrics.recordsIn);
    const budget = this.#busy.stepBudget(TASK_BATCH);
    let next: SourceStatus | null = null;
    // Passed inline, not bound to a name: tsx's keepNames wraps a named arrow in a
    // defineProperty call, which on this, the hottest path of a run, cost a tenth of it.
    const ok = this.#guard(() => {
      const source = this.#chain.source;
      next = source !== null ? (this.#lifecycle.kind === 'running' && !this.#suspended ? source.emitBatch(budget) : IDLE_STATUS) : this.#input!.processInput(budget);
    });
    if (!ok) return;
    // A chain with a throughput limit is busy for the time the step's records took.
    this.metrics.busyMs += this.#busy.charge(this.host.kernel.clock.nowMs, this.metrics.recordsIn);
    this.host.flush(this);
    this.#followUp(next!);
  }

  /** What to do after a step: run again (after any busy time), later, or finish. */
  #followUp(next: SourceStatus): void {
    if (!this.active) return;
    if (next.kind === 'end' && this.#lifecycle.kind === 'running') this.moveTo({ kind: 'finishing' });
    if (this.backPressured) return; // credit coming back resumes the task
    if (this.#lifecycle.kind === 'finishing' || next.kind === 'more') this.host.scheduleRun(this);
    else if (next.kind === 'wait') this.host.scheduleRun(this, next.untilMs);
  }

  /** Whether a step would have something to do (when credit comes back, for instance). */
  #hasWork(): boolean {
    return this.#lifecycle.kind === 'finishing' || (this.#chain.source !== null && this.#lifecycle.kind === 'running') || this.gate.hasData;
  }

  /** The task's own time: see busy-time.ts. */
  localNowMs(): number {
    return this.#busy.localNowMs(this.host.kernel.clock.nowMs, this.metrics.recordsIn);
  }

  /** Runs operator code; a user-function error fails the task, as in Flink. */
  #guard(work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      if (isUserError(error)) {
        this.host.taskFailed(this, userFailureCause(error));
        return false;
      }
      if (error instanceof FaultInjectedError) {
        this.host.taskFailed(this, error.message, true);
        return false;
      }
      throw error;
    }
  }

  // ---- backpressure, idleness, watermarks, timers ------------------------------------

  /** A full output buffer of the channel to `downstream` found no credit: stop until the consumer catches up. */
  blockOnOutput(downstream: string): void {
    if (this.backPressured) return;
    this.backPressured = true;
    this.#backPressuredSinceMs = this.host.kernel.clock.nowMs;
    this.host.trace.emit({ tag: 'task.backpressure', timeMs: this.#backPressuredSinceMs, task: this.id, attempt: this.attempt, backPressured: true, downstream });
  }

  /** Credit came back and no output is blocked any more: resume. */
  unblock(): void {
    if (!this.backPressured || this.outputChannels.some((c) => c.blocked)) return;
    this.#endBackPressure();
    if (this.active && this.#hasWork()) this.host.scheduleRun(this);
  }

  /** The flag flips back (only here and in blockOnOutput, so the trace sees every flip, and only flips). */
  #endBackPressure(): void {
    const now = this.host.kernel.clock.nowMs;
    this.backPressured = false;
    this.metrics.backPressuredMs += now - this.#backPressuredSinceMs;
    this.host.trace.emit({ tag: 'task.backpressure', timeMs: now, task: this.id, attempt: this.attempt, backPressured: false });
  }

  /** Declares the subtask idle (or active again) downstream: idle inputs do not hold back watermarks. */
  setIdle(idle: boolean): void {
    if (idle === this.idle) return;
    this.idle = idle;
    this.host.trace.emit({ tag: 'watermark.status', timeMs: this.host.kernel.clock.nowMs, task: this.id, attempt: this.attempt, status: idle ? 'IDLE' : 'ACTIVE' });
    for (const writer of this.writers) writer.emitWatermarkStatus(idle);
  }

  /** Records the task's new watermark in its state and the trace. */
  noteWatermark(watermark: number): void {
    assert(watermark > this.#watermark, () => `watermark of ${this.id} cannot go back from ${this.#watermark} to ${watermark}`);
    this.#watermark = watermark;
    this.host.trace.emit({
      tag: 'watermark.advanced',
      timeMs: this.host.kernel.clock.nowMs,
      task: this.id,
      attempt: this.attempt,
      operator: this.vertex.operators[0]!.id,
      watermark,
    });
  }

  /** One kernel event per wake-up time, however many operators ask for it. */
  wakeUpAt(atMs: number): void {
    const at = Math.max(atMs, this.host.kernel.clock.nowMs);
    if (this.#wakeUps.has(at)) return;
    this.#wakeUps.add(at);
    this.host.scheduleTimer(this, at);
  }

  /** The virtual clock reached a time some operator asked for. */
  fireProcessingTime(): void {
    const now = this.host.kernel.clock.nowMs;
    this.#wakeUps.delete(now);
    if (!this.active) return;
    // Stopped with a savepoint: nothing leaves the source after its barrier, its periodic
    // watermarks included (they would reach the operators after their snapshots, and what
    // those fire would be written twice once the job resumes). A failed stop fires them late.
    if (this.#suspended) {
      this.#timersHeldBySuspension = true;
      return;
    }
    const ok = this.#guard(() => this.#chain.onProcessingTime(now));
    if (ok) this.host.flush(this);
  }

  /** Processing-time timers came due while the source was suspended (see fireProcessingTime). */
  #timersHeldBySuspension = false;

  // ---- checkpoints (the work is in subtask-checkpoint-coordinator.ts) ------------------

  /**
   * The coordinator triggered a checkpoint at this task (a source, or one whose inputs have
   * all finished). `suspend`: a stop-with-savepoint, after which a source emits nothing.
   */
  triggerCheckpoint(barrier: CheckpointBarrier, suspend = false): void {
    // A second trigger of a checkpoint taken here: the coordinator triggers again behind an upstream subtask that finished without acknowledging.
    if (!this.active || barrier.id <= this.#checkpoints.lastTaken) return;
    if (suspend) this.#suspended = true;
    this.#guard(() => this.#checkpoints.trigger(barrier));
    this.host.flush(this);
  }

  /**
   * Checkpoint `checkpointId` has lasted `alignedCheckpointTimeout`: an alignment still going
   * on here turns unaligned, and a barrier this task sent that still waits for credit in an
   * output buffer is sent on with priority (the two timers of Flink's task, one per side).
   */
  onAlignmentTimeout(checkpointId: number): void {
    if (!this.active) return;
    const handler = this.#checkpoints.unalignedHandler;
    const ok = this.#guard(() => {
      handler?.onAlignmentTimeout(checkpointId);
      for (const writer of this.writers) writer.alignedBarrierTimeout(checkpointId);
    });
    if (ok) this.host.flush(this);
    if (handler !== null) this.host.scheduleRun(this);
  }

  /** Flink's notifyCheckpointComplete, to every operator of the chain. */
  notifyCheckpointComplete(checkpointId: number): void {
    if (!this.active) return;
    const ok = this.#guard(() => this.#chain.notifyCheckpointComplete(checkpointId));
    if (!ok) return;
    const l = this.#lifecycle;
    if (l.kind === 'waiting-for-final-checkpoint' && l.sinceCheckpoint !== null && checkpointId >= l.sinceCheckpoint) this.#close();
    else this.host.flush(this);
  }

  /** Flink's notifyCheckpointAborted: operators hear of it, and an alignment waiting for it stops. */
  notifyCheckpointAborted(checkpointId: number): void {
    if (!this.active) return;
    this.#checkpoints.abort(checkpointId);
    this.#guard(() => this.#chain.notifyCheckpointAborted(checkpointId));
  }

  /** A stop-with-savepoint failed: the source goes on. */
  resumeSource(): void {
    if (!this.#suspended) return;
    this.#suspended = false;
    if (!this.active) return;
    this.host.scheduleRun(this);
    if (this.#timersHeldBySuspension) {
      this.#timersHeldBySuspension = false;
      this.wakeUpAt(this.host.kernel.clock.nowMs);
    }
  }

  // ---- inspection --------------------------------------------------------------------

  /** For inspection and tests: the keyed state entries of each keyed operator of the chain. */
  keyedState(): { operator: string; entries: ReturnType<KeyedStateBackend['entries']> }[] {
    return this.#chain.keyedState();
  }

  /** For inspection: the timers of each keyed operator of the chain, in firing order. */
  keyedTimers(): { operator: string; eventTime: Timer[]; processingTime: Timer[] }[] {
    return this.#chain.keyedTimers();
  }
}
