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
 * Checkpoints: a source task is told to checkpoint by the coordinator; any other task
 * when the barrier has arrived on its inputs (its barrier handler decides when). Either
 * way it calls prepareSnapshotPreBarrier on its operators, sends the barrier downstream,
 * snapshots its operators' keyed state, timers and operator state, and acknowledges.
 */
import { cachedKeyGroupOf, keyGroupRange, type JobVertex, type StreamNode } from '../graph/index.ts';
import type { CheckpointingSpec, StateBackendKind } from '../graph/index.ts';
import { assert, type Kernel } from '../kernel/index.ts';
import { cloneJson, MAX_WATERMARK, MIN_WATERMARK, type JsonValue, type StreamRecord } from '../model/index.ts';
import {
  isUserError,
  userFailureCause,
  type KeyedContext,
  type OperatorContext,
  type OperatorMetrics,
  type Output,
  type SourceOperator,
  type SourceStatus,
  type StreamOperator,
  type AnyOperator,
  type TwoInputStreamOperator,
} from '../operators/index.ts';
import { InternalTimerService, KeyedStateBackend, restoreKeyGroups, snapshotKeyGroups, type OperatorSnapshot, type Timer } from '../state/index.ts';
import { snapshotSize, type TaskSnapshot } from '../checkpoint/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { World } from '../world/index.ts';
import type { Channel } from './channel.ts';
import type { Slot } from './cluster.ts';
import {
  AlignedBarrierHandler,
  BarrierTracker,
  UnalignedBarrierHandler,
  type BarrierHandlerContext,
  type CheckpointBarrierHandler,
  type UnalignedHandlerContext,
} from './checkpointing/index.ts';
import { BarrierAnnouncement, CheckpointBarrier, isTimeoutable, NetworkEvent, WatermarkElement, WatermarkStatusElement, type NetworkElement } from './elements.ts';
import { FaultInjectedError, type TaskCrashPoint } from './fault-hooks.ts';
import { InputGate } from './input-gate.ts';
import { BroadcastingOutput, ChainedOutput, NO_OUTPUT, RecordWriterOutput, TracingOutput } from './outputs.ts';
import { executionStateOf, isActive, transition, type TaskLifecycle } from './task-lifecycle.ts';
import { StatusWatermarkValve } from './watermark-valve.ts';
import { TwoInputValve, type ElementTarget } from './two-input-valve.ts';

/** Elements a task handles per mailbox step before it yields to others. */
export const TASK_BATCH = 512;

const MORE: SourceStatus = { kind: 'more' };
const IDLE_STATUS: SourceStatus = { kind: 'idle' };


/**
 * What a task needs from the runtime around it: the kernel, the trace, the sinks, and the
 * JobManager's and network's services. An interface, so that a harness can drive a task
 * without a whole cluster.
 */
export interface TaskHost {
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly world: World;
  /**
   * How barriers are handled: the job's checkpointing settings, or aligned defaults when
   * only savepoints are taken; null when the job takes neither.
   */
  readonly checkpointing: CheckpointingSpec | null;
  /** Whether periodic checkpointing is on: then a finished task waits for a final checkpoint. */
  readonly periodicCheckpointing: boolean;
  /** The job's state backend: the hashmap one runs TTL's incremental cleanup, RocksDB's compaction filter is not modelled. */
  readonly stateBackend: StateBackendKind;
  /** Puts a `task.run` on the agenda (now, or at `atMs`), once. */
  scheduleRun(task: StreamTask, atMs?: number): void;
  /** Calls the task's `fireProcessingTime` when the clock reaches `atMs`. */
  scheduleTimer(task: StreamTask, atMs: number): void;
  /** Sends the task's pending output buffers into the network, as far as credit allows. */
  flush(task: StreamTask): void;
  /** The task has emptied a buffer of `channel`: its credit goes back to the producer. */
  returnCredit(channel: Channel): void;
  taskFinished(task: StreamTask): void;
  /** `injected`: a fault of the plan killed it, and `cause` names the fault. */
  taskFailed(task: StreamTask, cause: string, injected?: boolean): void;
  acknowledgeCheckpoint(task: StreamTask, snapshot: TaskSnapshot, checkpointId: number, alignmentMs: number): void;
  declineCheckpoint(task: StreamTask, checkpointId: number, reason: string): void;
  /** The instance to run for `node` (a fault plan may wrap it to count its records). */
  wrapOperator(task: string, node: StreamNode, instance: AnyOperator): AnyOperator;
  /** Whether a fault of the plan kills this task at `point` of checkpoint `checkpointId`. */
  crashesAt(task: StreamTask, point: TaskCrashPoint, checkpointId: number): boolean;
  /** Whether a fault of the plan makes this task's snapshot of `checkpointId` fail. */
  snapshotFails(task: StreamTask, checkpointId: number): boolean;
  /** Whether a `fail-commit` fault makes the commit of sink `operator` in this task throw now. */
  commitFails(task: StreamTask, operator: string, checkpointId: number): boolean;
  /** Calls the task's `onAlignmentTimeout(checkpointId)` at `atMs`. */
  scheduleAlignmentTimeout(task: StreamTask, atMs: number, checkpointId: number): void;
}

/** Per-subtask counters that the report shows; one object per subtask, kept across attempts. */
export interface TaskMetrics extends OperatorMetrics {
  recordsIn: number;
  recordsOut: number;
  /** Virtual ms spent processing (operators with a throughput limit take time). */
  busyMs: number;
  /** Virtual ms spent blocked on a full output buffer without credit. */
  backPressuredMs: number;
}

export function newTaskMetrics(): TaskMetrics {
  return { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0, lateRecordsToSideOutput: 0, busyMs: 0, backPressuredMs: 0 };
}

/** What a task is restored from: for each of its operators, the snapshots of every old subtask of its vertex. */
export interface TaskRestore {
  readonly operators: ReadonlyMap<string, readonly OperatorSnapshot[]>;
  /** Every old subtask of the vertex had finished: the task is finished on restore (FLIP-147). */
  readonly finished: boolean;
  /** In-flight records an unaligned checkpoint persisted for this subtask's inputs: processed first. */
  readonly channelState: readonly StreamRecord[];
  /** The input channel each of `channelState`'s records came in on (a two-input head needs its input). */
  readonly channelStateChannels?: readonly number[];
}

/** Channel state being recorded for an unaligned checkpoint. */
interface Recording {
  readonly barrier: CheckpointBarrier;
  readonly alignmentMs: number;
  readonly snapshot: TaskSnapshot;
  readonly channels: Set<number>;
  readonly records: Map<number, StreamRecord[]>;
}

interface OperatorSlot {
  readonly node: StreamNode;
  readonly instance: AnyOperator;
  readonly keyed: KeyedContext | null;
}

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
  /** The task is processing until this time and takes no new work before it. */
  busyUntilMs = 0;
  /** Records per virtual ms this chain can process (its slowest operator), or Infinity. */
  #throughput: number;
  /** Outgoing channels, flushed after each step. */
  readonly outputChannels: Channel[] = [];
  readonly writers: RecordWriterOutput[] = [];
  readonly gate = new InputGate();
  #valve: StatusWatermarkValve | TwoInputValve | null = null;
  #watermark = MIN_WATERMARK;

  #source: SourceOperator | null = null;
  #head: StreamOperator | null = null;
  /** A two-input head: per input channel, processElement1 or processElement2 (null: one input). */
  #inputHeads: readonly ElementTarget[] | null = null;
  readonly #operators: (StreamOperator | TwoInputStreamOperator)[] = [];
  readonly #slots: OperatorSlot[] = [];
  #barriers: CheckpointBarrierHandler | null = null;
  /** Processing times at which a `task.timer` is on the agenda. */
  readonly #wakeUps = new Set<number>();
  #recording: Recording | null = null;
  /** Stop-with-savepoint: the source emits nothing after the savepoint's barrier. */
  #suspended = false;
  /** Restored channel state still to process, and where in it the task is. */
  #replay: readonly StreamRecord[] = [];
  #replayChannels: readonly number[] = [];
  #replayPos = 0;

  constructor(
    readonly vertex: JobVertex,
    readonly index: number,
    /** 1 for the first deployment, one more for each redeployment. */
    readonly attempt: number,
    private readonly host: TaskHost,
    readonly metrics: TaskMetrics,
  ) {
    this.id = `${vertex.id}#${index}`;
    this.#throughput = Math.min(...vertex.operators.map((o) => o.throughput ?? Number.POSITIVE_INFINITY));
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
    this.#throughput = recordsPerMs;
  }

  get throughput(): number {
    return this.#throughput;
  }

  /**
   * Instantiates the chain's operators, restores their state, and wires their outputs:
   * chained edges become direct calls, JobEdges become the record writers given in
   * `writersByOperator`. Operators are opened after initializeState, as in Flink.
   */
  deploy(writersByOperator: ReadonlyMap<string, RecordWriterOutput[]>, restore: TaskRestore | null): void {
    const nodes = this.vertex.operators;
    const instances = new Map<string, AnyOperator>();
    for (const node of nodes) instances.set(node.id, this.host.wrapOperator(this.id, node, node.factory.create()));
    for (const list of writersByOperator.values()) this.writers.push(...list);
    if (nodes[0]!.factory.kind === 'two-input') {
      const valve = new TwoInputValve(instances.get(nodes[0]!.id) as TwoInputStreamOperator, this.gate.channels, {
        noteWatermark: (watermark) => this.noteWatermark(watermark),
        idle: (idle) => this.#setIdle(idle),
      });
      this.#valve = valve;
      this.#inputHeads = valve.targets;
    } else {
      this.#valve = new StatusWatermarkValve(this.gate.size, {
        advance: (watermark) => this.#advanceTo(watermark),
        idle: (idle) => this.#setIdle(idle),
      });
    }
    this.#barriers = this.#barrierHandler();
    for (const node of nodes) {
      const targets: Output[] = [];
      for (const edge of this.vertex.chainedEdges) {
        if (edge.from === node.id) targets.push(new ChainedOutput(instances.get(edge.to) as StreamOperator));
      }
      for (const writer of writersByOperator.get(node.id) ?? []) targets.push(writer);
      let output: Output = targets.length === 0 ? NO_OUTPUT : targets.length === 1 ? targets[0]! : new BroadcastingOutput(targets);
      if (this.host.trace.full && !node.isSink) output = new TracingOutput(output, this.host.trace, this.id, this.attempt, node.id, () => this.host.kernel.clock.nowMs);
      const instance = instances.get(node.id)!;
      const ctx = this.#context(node);
      this.#slots.push({ node, instance, keyed: ctx.keyed });
      const restored = restore?.operators.get(node.id) ?? null;
      if (ctx.keyed !== null && restored !== null) {
        restoreKeyGroups(
          ctx.keyed.backend,
          ctx.keyed.timers,
          restored.map((s) => s.keyGroups),
        );
      }
      const failure = initializationFailure(() => {
        instance.initializeState?.(restored === null ? null : restored.map((s) => s.operatorState).filter((s) => s !== null).map(cloneJson));
        if (node.factory.kind === 'source') {
          this.#source = instance as SourceOperator;
          this.#source.open(ctx, new SourceOutput(output, this));
        } else {
          const op = instance as StreamOperator | TwoInputStreamOperator;
          op.open(ctx, output);
          this.#operators.push(op);
        }
      });
      if (failure !== null) {
        // Flink fails the task in INITIALIZING (a sink's recovery commit can throw, or a fault kill it there).
        this.initializationFailure = failure;
        return;
      }
    }
    if (this.#source === null && this.#inputHeads === null) this.#head = instances.get(nodes[0]!.id) as StreamOperator;
    this.#replay = restore?.channelState ?? [];
    this.#replayChannels = restore?.channelStateChannels ?? [];
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

  #barrierHandler(): CheckpointBarrierHandler | null {
    const config = this.host.checkpointing;
    if (config === null || this.gate.size === 0) return null;
    const ctx = StreamTask.#barrierContextOf(this);
    if (config.unaligned) {
      const unalignedCtx: UnalignedHandlerContext = {
        ...ctx,
        checkpointUnaligned: (barrier, alignmentMs, channels) => this.#performUnaligned(barrier, alignmentMs, channels),
        channelStateComplete: (id, input) => this.#channelStateComplete(id, input),
        captureInFlight: (id, input) => this.#captureInFlight(id, input),
        scheduleAlignmentTimeout: (id, afterMs) => this.host.scheduleAlignmentTimeout(this, this.host.kernel.clock.nowMs + afterMs, id),
        overtake: (input, id) => assert(this.gate.overtake(input, id), () => `${this.id}: announced barrier ${id} is not queued on input ${input}`),
      };
      this.gate.announceBarriers = config.alignedCheckpointTimeoutMs > 0;
      return new UnalignedBarrierHandler(unalignedCtx, config.alignedCheckpointTimeoutMs);
    }
    return config.mode === 'exactly-once' ? new AlignedBarrierHandler(ctx) : new BarrierTracker(ctx);
  }

  #context(node: StreamNode): OperatorContext {
    return StreamTask.#contextOf(this, node);
  }

  /** Made at every deployment of a task with inputs: methods, not arrow properties, as #contextOf says why. */
  static #barrierContextOf(task: StreamTask): BarrierHandlerContext {
    const gate = task.gate;
    return {
      task: task.id,
      attempt: task.attempt,
      trace: task.host.trace,
      now() {
        return task.localNowMs();
      },
      clockMs() {
        return task.host.kernel.clock.nowMs;
      },
      inputCount: gate.size,
      openInputs() {
        let n = 0;
        for (const c of gate.channels) if (!c.closed) n++;
        return n;
      },
      isOpen(input) {
        return !gate.channels[input]!.closed;
      },
      block(input) {
        gate.block(input);
      },
      resumeAll() {
        gate.resumeAll();
        if (task.active) task.host.scheduleRun(task);
      },
      checkpoint(barrier, alignmentMs) {
        task.#performCheckpoint(barrier, alignmentMs);
      },
      decline(id, reason) {
        task.#decline(id, reason);
      },
    };
  }

  /**
   * Methods, not arrow properties, and static so that they reach the task through a
   * parameter rather than `this`: under tsx's keepNames every arrow property of an object
   * literal costs a defineProperty, and contexts are made per operator at every deployment.
   */
  static #contextOf(task: StreamTask, node: StreamNode): OperatorContext {
    const host = task.host;
    return {
      task: task.id,
      attempt: task.attempt,
      operatorId: node.id,
      subtaskIndex: task.index,
      parallelism: task.vertex.parallelism,
      maxParallelism: task.vertex.maxParallelism,
      trace: host.trace,
      nowMs() {
        return host.kernel.clock.nowMs;
      },
      random(name) {
        return host.kernel.random.stream(`operator/${task.id}@${task.attempt}/${node.id}/${name}`);
      },
      world: host.world,
      checkpointing: host.periodicCheckpointing,
      protocolPoint(point, checkpointId) {
        if (host.crashesAt(task, point, checkpointId)) throw new FaultInjectedError(`crash-at ${point} ${task.id} (checkpoint ${checkpointId})`);
      },
      commitPoint(checkpointId) {
        if (host.commitFails(task, node.id, checkpointId)) throw new FaultInjectedError(`fail-commit ${task.id}: the commit of checkpoint ${checkpointId} throws`);
      },
      keyed: node.keySelector === null ? null : task.#keyedContext(node.keySelector.select, node.id),
      registerProcessingTimeCallback(atMs) {
        task.#wakeUpAt(atMs);
      },
      metrics: task.metrics,
      markIdle(idle) {
        task.#setIdle(idle);
      },
      isBackPressured() {
        return task.backPressured;
      },
    };
  }

  #keyedContext(select: KeyedContext['selectKey'], operatorId: string): KeyedContext {
    const maxParallelism = this.vertex.maxParallelism;
    const range = keyGroupRange(maxParallelism, this.vertex.parallelism, this.index);
    const timers = new InternalTimerService();
    const trace = this.host.trace;
    if (trace.records('timer.registered')) {
      const event = (tag: 'timer.registered' | 'timer.fired', timer: Timer, domain: 'event-time' | 'processing-time') =>
        trace.emit({ tag, timeMs: this.host.kernel.clock.nowMs, task: this.id, attempt: this.attempt, operator: operatorId, key: timer.key, timestamp: timer.timestamp, domain, namespace: timer.namespace });
      timers.observe({ registered: (timer, domain) => event('timer.registered', timer, domain), fired: (timer, domain) => event('timer.fired', timer, domain) });
    }
    const backend = new KeyedStateBackend(range, cachedKeyGroupOf(maxParallelism));
    backend.backgroundCleanup = this.host.stateBackend === 'hashmap';
    return { backend, timers, selectKey: select };
  }

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

  /**
   * Checkpoint `checkpointId` has lasted `alignedCheckpointTimeout`: an alignment still going
   * on here turns unaligned, and a barrier this task sent that still waits for credit in an
   * output buffer is sent on with priority (the two timers of Flink's task, one per side).
   */
  onAlignmentTimeout(checkpointId: number): void {
    if (!this.active) return;
    const handler = this.#barriers instanceof UnalignedBarrierHandler ? this.#barriers : null;
    const ok = this.#guard(() => {
      handler?.onAlignmentTimeout(checkpointId);
      for (const writer of this.writers) writer.alignedBarrierTimeout(checkpointId);
    });
    if (ok) this.host.flush(this);
    if (handler !== null) this.host.scheduleRun(this);
  }

  /** One mailbox step. */
  run(): void {
    if (!this.active || this.backPressured) return;
    // Still processing what the last step took: come back when that is done.
    if (this.host.kernel.clock.nowMs < this.busyUntilMs) return this.host.scheduleRun(this, this.busyUntilMs);
    if (this.#lifecycle.kind === 'finishing') {
      if (!this.#guard(() => this.#finish())) return;
      this.host.flush(this);
      if (!this.active || this.#source !== null) return;
    }
    const before = this.metrics.recordsIn;
    this.#stepStartRecords = before;
    let next: SourceStatus | null = null;
    // Passed inline, not bound to a name: tsx's keepNames wraps a named arrow in a
    // defineProperty call, which on this, the hottest path of a run, cost a tenth of it.
    const ok = this.#guard(() => {
      next = this.#source !== null ? (this.#lifecycle.kind === 'running' && !this.#suspended ? this.#source.emitBatch(TASK_BATCH) : IDLE_STATUS) : this.#runInput();
    });
    if (!ok) return;
    this.#chargeProcessingTime(this.metrics.recordsIn - before);
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
    return this.#lifecycle.kind === 'finishing' || (this.#source !== null && this.#lifecycle.kind === 'running') || this.gate.hasData;
  }

  #stepStartRecords = 0;

  /**
   * The task's own time within a step: processing is instantaneous on the kernel's clock
   * and charged as busy time after the step, so a checkpoint taken halfway through a step
   * happens, for this task, after the records before it.
   */
  localNowMs(): number {
    const now = Math.max(this.host.kernel.clock.nowMs, this.busyUntilMs);
    const records = this.metrics.recordsIn - this.#stepStartRecords;
    if (records <= 0 || this.#throughput === Number.POSITIVE_INFINITY) return now;
    return now + Math.ceil(records / this.#throughput);
  }

  /** A chain with a throughput limit is busy for the time its records took. */
  #chargeProcessingTime(records: number): void {
    if (records === 0 || this.#throughput === Number.POSITIVE_INFINITY) return;
    const busyMs = Math.ceil(records / this.#throughput);
    this.metrics.busyMs += busyMs;
    this.busyUntilMs = Math.max(this.busyUntilMs, this.host.kernel.clock.nowMs) + busyMs;
  }

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

  /** The attempt is over (failed, canceled, or its TaskManager died): backpressure time stops counting. */
  stop(): void {
    if (this.backPressured) this.#endBackPressure();
    for (const w of this.writers) this.metrics.recordsOut += w.recordsOut;
    this.writers.length = 0;
  }

  /** The flag flips back (only here and in blockOnOutput, so the trace sees every flip, and only flips). */
  #endBackPressure(): void {
    const now = this.host.kernel.clock.nowMs;
    this.backPressured = false;
    this.metrics.backPressuredMs += now - this.#backPressuredSinceMs;
    this.host.trace.emit({ tag: 'task.backpressure', timeMs: now, task: this.id, attempt: this.attempt, backPressured: false });
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
    if (!this.active) return;
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

  /** Handles a batch of input elements; asks to run again while input is waiting. */
  #runInput(): SourceStatus {
    const head = this.#head;
    const heads = this.#inputHeads;
    const gate = this.gate;
    let budget = TASK_BATCH;
    // Records an unaligned checkpoint persisted go first, before anything new.
    while (budget > 0 && this.#replayPos < this.#replay.length && this.active && !this.backPressured) {
      budget--;
      this.metrics.recordsIn++;
      const pos = this.#replayPos++;
      (heads === null ? head! : heads[this.#replayChannels[pos]!]!).processElement(this.#replay[pos]!);
    }
    if (this.#replayPos < this.#replay.length) return MORE;
    while (budget > 0 && this.active && !this.backPressured) {
      const priority = gate.pollPriority();
      if (priority !== null) {
        budget--;
        if (priority.event.kind === 'barrier') this.#barriers?.onBarrier(priority.input.index, priority.event as CheckpointBarrier, true);
        else if (priority.event.kind === 'announcement') this.#barriers?.onAnnouncement?.(priority.input.index, (priority.event as BarrierAnnouncement).barrier);
        continue;
      }
      const input = gate.next();
      if (input === null) break;
      const buffer = input.queue[0]!;
      const elements = buffer.elements;
      // Chosen per buffer, not per element: a buffer comes from one channel, so from one input.
      const target = heads === null ? head! : heads[input.index]!;
      while (budget > 0 && buffer.pos < elements.length && !this.backPressured && !input.blocked) {
        const element = elements[buffer.pos++]!;
        budget--;
        if (element instanceof NetworkEvent) {
          this.#onEvent(input.index, element);
          if (!this.active) return IDLE_STATUS;
        } else {
          this.metrics.recordsIn++;
          const recording = this.#recording;
          if (recording !== null && recording.channels.has(input.index)) recording.records.get(input.index)!.push(element as StreamRecord);
          target.processElement(element as StreamRecord);
        }
      }
      if (buffer.pos === elements.length) {
        input.queue.shift();
        this.host.returnCredit(input.channel);
      }
    }
    return this.active && (gate.hasData || this.#replayPos < this.#replay.length) ? MORE : IDLE_STATUS;
  }

  #onEvent(input: number, event: NetworkEvent): void {
    const valve = this.#valve!;
    switch (event.kind) {
      case 'watermark':
        return valve.inputWatermark(input, (event as WatermarkElement).timestamp);
      case 'status':
        return valve.inputStatus(input, (event as WatermarkStatusElement).idle);
      case 'barrier': {
        const barrier = event as CheckpointBarrier;
        if (this.#barriers === null) return;
        this.#barriers.onBarrier(input, barrier);
        return;
      }
      case 'end-of-data':
        // The step's follow-up comes back to finish, after any busy time.
        if (valve.inputEnded(input) && this.#lifecycle.kind === 'running') this.moveTo({ kind: 'finishing' });
        return;
      case 'end-of-partition':
        this.gate.channels[input]!.closed = true;
        this.#barriers?.onEndOfPartition(input);
        return;
    }
  }

  #advanceTo(watermark: number): void {
    this.noteWatermark(watermark);
    this.#head!.processWatermark(watermark);
  }

  #setIdle(idle: boolean): void {
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

  /** All input consumed: let each operator flush, tell consumers the data has ended. */
  #finish(): void {
    for (const op of this.#operators) op.endInput();
    for (const { instance } of this.#slots) instance.finish?.();
    for (const writer of this.writers) writer.endOfData();
    this.#afterEndOfData();
  }

  /** Without checkpointing the task closes now; with it, it waits for a final checkpoint (FLIP-147). */
  #afterEndOfData(): void {
    if (!this.host.periodicCheckpointing) {
      // Savepoints may still come: they must know this subtask's final state (a source's offsets at the end).
      if (this.host.checkpointing !== null) this.lastSnapshot = { ...this.#snapshot(0), finished: true };
      return this.#close();
    }
    this.moveTo({ kind: 'waiting-for-final-checkpoint', sinceCheckpoint: null });
  }

  #close(): void {
    for (const writer of this.writers) writer.endOfPartition();
    for (const { instance } of this.#slots) instance.close?.();
    this.host.flush(this);
    this.host.taskFinished(this);
  }

  // ---- checkpoints -----------------------------------------------------------------

  /**
   * The coordinator triggered a checkpoint at this task (a source, or one whose inputs have
   * all finished). `suspend`: a stop-with-savepoint, after which a source emits nothing.
   */
  triggerCheckpoint(barrier: CheckpointBarrier, suspend = false): void {
    // A second trigger of a checkpoint taken here: the coordinator triggers again behind an upstream subtask that finished without acknowledging.
    if (!this.active || barrier.id <= this.#lastTaken) return;
    if (suspend) this.#suspended = true;
    this.#guard(() => {
      if (this.gate.channels.some((c) => !c.closed)) this.#barrierOnOpenInputs(barrier);
      else if (barrier.alignment === 'unaligned') this.#performUnaligned(barrier, 0, new Set());
      else this.#performCheckpoint(barrier, 0);
    });
    this.host.flush(this);
  }

  /**
   * Flink's triggerUnfinishedChannelsCheckpoint: the upstream subtasks have finished, but the
   * end of partition of some has not been read yet. The barrier counts as arrived on those
   * channels, through the barrier handler, so that a barrier of the same checkpoint still
   * queued there is known as a duplicate, and an unaligned checkpoint records the records
   * still queued in front of the end as channel state.
   */
  #barrierOnOpenInputs(barrier: CheckpointBarrier): void {
    const priority = barrier.alignment === 'unaligned';
    for (const c of this.gate.channels) if (this.active && !c.closed) this.#barriers!.onBarrier(c.index, barrier, priority);
  }

  /** The newest checkpoint this attempt has taken its snapshot for: barrier ids only grow. */
  #lastTaken = 0;

  #takes(checkpointId: number): void {
    assert(checkpointId > this.#lastTaken, () => `${this.id} takes checkpoint ${checkpointId} after checkpoint ${this.#lastTaken}`);
    this.#lastTaken = checkpointId;
  }

  /**
   * An unaligned checkpoint: snapshot now, the barrier downstream ahead of the data, and the
   * acknowledgement once the records the barrier overtook on `channels` have been recorded.
   */
  #performUnaligned(barrier: CheckpointBarrier, alignmentMs: number, channels: ReadonlySet<number>): void {
    const host = this.host;
    const id = barrier.id;
    const now = host.kernel.clock.nowMs;
    this.#takes(id);
    if (this.gate.size > 0) host.trace.emit({ tag: 'barrier.aligned', timeMs: now, task: this.id, attempt: this.attempt, checkpoint: id, alignmentMs, unaligned: true });
    for (const { instance } of this.#slots) instance.prepareSnapshotPreBarrier?.(id);
    const unaligned = new CheckpointBarrier(id, barrier.timestamp, 'unaligned', barrier.savepoint);
    for (const writer of this.writers) writer.broadcastPriority(unaligned);
    if (host.crashesAt(this, 'snapshot', id)) return host.taskFailed(this, `crash-at snapshot ${this.id} (checkpoint ${id})`, true);
    const snapshot = this.#snapshot(id);
    if (host.snapshotFails(this, id)) return this.#decline(id, 'CHECKPOINT_ASYNC_EXCEPTION: fail-checkpoint fault');
    this.#markFinalCheckpoint(id);
    const records = new Map<number, StreamRecord[]>();
    for (const c of channels) records.set(c, []);
    this.#recording = { barrier, alignmentMs, snapshot, channels: new Set(channels), records };
    if (channels.size === 0) this.#acknowledgeRecording();
  }

  #channelStateComplete(checkpointId: number, input: number): void {
    const r = this.#recording;
    if (r === null || r.barrier.id !== checkpointId) return;
    r.channels.delete(input);
    if (r.channels.size === 0) this.#acknowledgeRecording();
  }

  /** The records ahead of checkpoint `checkpointId`'s barrier on `input`: unread at this task, on the wire, in the producer's output buffer. */
  #captureInFlight(checkpointId: number, input: number): void {
    const r = this.#recording;
    if (r === null || r.barrier.id !== checkpointId || !r.channels.has(input)) return;
    const out = r.records.get(input)!;
    const scan = (elements: readonly NetworkElement[], from: number): boolean => {
      for (let i = from; i < elements.length; i++) {
        const e = elements[i]!;
        if (e instanceof CheckpointBarrier && e.id === checkpointId) return true;
        if (!(e instanceof NetworkEvent)) out.push(e as StreamRecord);
      }
      return false;
    };
    const ic = this.gate.channels[input]!;
    let found = ic.queue.some((b) => scan(b.elements, b.pos));
    if (!found) found = ic.channel.inFlight.some((b) => scan(b, 0));
    if (!found) scan(ic.channel.pending, 0);
    this.#channelStateComplete(checkpointId, input);
  }

  #acknowledgeRecording(): void {
    const r = this.#recording!;
    this.#recording = null;
    const channelState = [...r.records.entries()].sort(([a], [b]) => a - b).map(([input, records]) => ({ input, records: records.map((x) => ({ value: cloneJson(x.value), timestamp: x.timestamp })) }));
    const snapshot: TaskSnapshot = { ...r.snapshot, channelState, stateSize: snapshotSize(r.snapshot.operators, channelState) };
    this.host.acknowledgeCheckpoint(this, snapshot, r.barrier.id, r.alignmentMs);
    if (this.host.crashesAt(this, 'after-ack', r.barrier.id)) this.host.taskFailed(this, `crash-at after-ack ${this.id} (checkpoint ${r.barrier.id})`, true);
  }

  #markFinalCheckpoint(id: number): void {
    if (this.#lifecycle.kind === 'waiting-for-final-checkpoint' && this.#lifecycle.sinceCheckpoint === null) {
      this.moveTo({ kind: 'waiting-for-final-checkpoint', sinceCheckpoint: id });
    }
  }

  /** Flink's performCheckpoint: pre-barrier work, the barrier downstream, the snapshot, the acknowledgement. */
  #performCheckpoint(barrier: CheckpointBarrier, alignmentMs: number): void {
    const host = this.host;
    const id = barrier.id;
    const now = host.kernel.clock.nowMs;
    this.#takes(id);
    if (this.gate.size > 0) {
      host.trace.emit({ tag: 'barrier.aligned', timeMs: now, task: this.id, attempt: this.attempt, checkpoint: id, alignmentMs, unaligned: false });
    }
    for (const { instance } of this.#slots) instance.prepareSnapshotPreBarrier?.(id);
    for (const writer of this.writers) writer.broadcastEvent(barrier);
    this.#startOutputTimeout(barrier);
    if (host.crashesAt(this, 'snapshot', id)) return host.taskFailed(this, `crash-at snapshot ${this.id} (checkpoint ${id})`, true);
    const snapshot = this.#snapshot(id);
    if (host.snapshotFails(this, id)) return this.#decline(id, 'CHECKPOINT_ASYNC_EXCEPTION: fail-checkpoint fault');
    this.#markFinalCheckpoint(id);
    host.acknowledgeCheckpoint(this, snapshot, id, alignmentMs);
    if (host.crashesAt(this, 'after-ack', id)) host.taskFailed(this, `crash-at after-ack ${this.id} (checkpoint ${id})`, true);
  }

  /** With an aligned-checkpoint timeout, the barrier just sent turns unaligned at the timeout if it still waits in an output buffer then. */
  #startOutputTimeout(barrier: CheckpointBarrier): void {
    const config = this.host.checkpointing;
    if (config === null || !config.unaligned || config.alignedCheckpointTimeoutMs === 0 || !isTimeoutable(barrier) || this.writers.length === 0) return;
    this.host.scheduleAlignmentTimeout(this, Math.max(this.host.kernel.clock.nowMs, barrier.timestamp + config.alignedCheckpointTimeoutMs), barrier.id);
  }

  /** Why initializeState or open of an operator failed during deploy; the JobManager then fails the attempt. */
  initializationFailure: { readonly cause: string; readonly injected: boolean } | null = null;

  /** The snapshot of the last checkpoint this attempt took (a finished task's state does not change after it). */
  lastSnapshot: TaskSnapshot | null = null;

  #snapshot(checkpointId: number): TaskSnapshot {
    const operators: OperatorSnapshot[] = this.#slots.map(({ node, instance, keyed }) => ({
      operator: node.id,
      keyGroups: keyed === null ? [] : snapshotKeyGroups(keyed.backend, keyed.timers, keyed.backend.keyGroupOf),
      // A copy: the operator goes on mutating what it returned (a sink's pending list), the checkpoint must not change.
      operatorState: cloneJson((instance.snapshotState?.(checkpointId) ?? null) as JsonValue),
    }));
    const finished = this.#lifecycle.kind === 'waiting-for-final-checkpoint';
    const snapshot: TaskSnapshot = { task: this.id, vertex: this.vertex.id, subtaskIndex: this.index, operators, channelState: [], finished, stateSize: snapshotSize(operators, []) };
    this.lastSnapshot = snapshot;
    return snapshot;
  }

  #decline(checkpointId: number, reason: string): void {
    this.host.trace.emit({ tag: 'snapshot.declined', timeMs: this.host.kernel.clock.nowMs, task: this.id, attempt: this.attempt, checkpoint: checkpointId, reason });
    this.host.declineCheckpoint(this, checkpointId, reason);
  }

  /** Flink's notifyCheckpointComplete, to every operator of the chain. */
  notifyCheckpointComplete(checkpointId: number): void {
    if (!this.active) return;
    const ok = this.#guard(() => {
      for (const { instance } of this.#slots) instance.notifyCheckpointComplete?.(checkpointId);
    });
    if (!ok) return;
    const l = this.#lifecycle;
    if (l.kind === 'waiting-for-final-checkpoint' && l.sinceCheckpoint !== null && checkpointId >= l.sinceCheckpoint) this.#close();
    else this.host.flush(this);
  }

  /** A stop-with-savepoint failed: the source goes on. */
  resumeSource(): void {
    if (!this.#suspended) return;
    this.#suspended = false;
    if (this.active) this.host.scheduleRun(this);
  }

  /** Stop-with-savepoint completed: the attempt ends FINISHED without draining (no end of data, no final watermark), as Flink's `stop`. */
  closeAfterStop(): void {
    for (const { instance } of this.#slots) instance.close?.();
  }

  /** Flink's notifyCheckpointAborted: operators hear of it, and an alignment waiting for it stops. */
  notifyCheckpointAborted(checkpointId: number): void {
    if (!this.active) return;
    this.#barriers?.abort(checkpointId);
    if (this.#recording !== null && this.#recording.barrier.id <= checkpointId) this.#recording = null;
    this.#guard(() => {
      for (const { instance } of this.#slots) instance.notifyCheckpointAborted?.(checkpointId);
    });
  }

  /** For inspection and tests: the keyed state entries of each keyed operator of the chain. */
  keyedState(): { operator: string; entries: ReturnType<KeyedStateBackend['entries']> }[] {
    return this.#slots.filter((s) => s.keyed !== null).map((s) => ({ operator: s.node.id, entries: s.keyed!.backend.entries() }));
  }

  /** For inspection: the timers of each keyed operator of the chain, in firing order. */
  keyedTimers(): { operator: string; eventTime: Timer[]; processingTime: Timer[] }[] {
    return this.#slots
      .filter((s) => s.keyed !== null)
      .map((s) => ({ operator: s.node.id, eventTime: s.keyed!.timers.listEventTimeTimers(), processingTime: s.keyed!.timers.listProcessingTimeTimers() }));
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

/** Runs an operator's initializeState and open; a user-function error or an injected fault becomes the attempt's failure cause. */
function initializationFailure(work: () => void): { cause: string; injected: boolean } | null {
  try {
    work();
    return null;
  } catch (error) {
    if (isUserError(error)) return { cause: userFailureCause(error), injected: false };
    if (error instanceof FaultInjectedError) return { cause: error.message, injected: true };
    throw error;
  }
}
