/**
 * What an operator is, as Flink's runtime sees one: something that receives records and
 * watermarks one at a time and emits to an `Output`. Operators of one chain call each
 * other directly through their outputs, with no queue and no scheduler in between, which
 * is why chaining matters for speed in Flink and here alike.
 *
 * Sources are different: nothing pushes into them. A task asks its source to emit a batch
 * and the source says whether it has more now, has more later, or has ended.
 *
 * The lifecycle is Flink's (StreamOperator, CheckpointListener): initializeState (with
 * what a checkpoint restored, or nothing), open, then records and watermarks; at each
 * checkpoint prepareSnapshotPreBarrier (before the barrier goes downstream) and
 * snapshotState; notifyCheckpointComplete or notifyCheckpointAborted when the checkpoint
 * ends; at the end of a bounded input endInput and finish; close. Keyed state and timers
 * are snapshotted by the task for the operator; snapshotState returns only the operator's
 * own state (a source's offsets). Every lifecycle step but open is optional.
 */
import type { RandomStream } from '../kernel/index.ts';
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { InternalTimerService, KeyedStateBackend } from '../state/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { World } from '../world/index.ts';

/** The points of a sink's commit protocol where a `crash-at` fault can kill the subtask (CONTRACT 1.2). */
export type SinkCrashPoint = 'pre-commit' | 'commit' | 'after-commit' | 'wal-send' | 'after-wal-send';

/** Where an operator sends what it produces. */
export interface Output {
  collect(record: StreamRecord): void;
  emitWatermark(watermark: number): void;
}

/** What an operator may know about where it runs. */
export interface OperatorContext {
  /** The subtask, e.g. `map#0`. */
  readonly task: string;
  /** Which deployment of the subtask this is: 1 at first, one more after each restart. */
  readonly attempt: number;
  readonly operatorId: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly trace: TraceLog;
  /** Processing time: the kernel's virtual clock. */
  nowMs(): number;
  /**
   * The subtask's own seeded random stream `name` (per deployment: a restarted subtask draws
   * afresh, as a restarted Flink task would), e.g. a window's random stagger.
   */
  random(name: string): RandomStream;
  /** The outside world: where sinks and side outputs deliver what they write (the log, tables), read by the run report. */
  readonly world: World;
  /** Whether the job takes periodic checkpoints (a two-phase-commit sink then commits on them, else at the end of its input). */
  readonly checkpointing: boolean;
  /**
   * A named point of a sink's commit protocol (`pre-commit`, `commit`, `after-commit`,
   * `wal-send`, `after-wal-send`) for checkpoint `checkpointId`: throws, killing the
   * subtask as if its process died there, when a `crash-at` fault of the plan says so.
   */
  protocolPoint(point: SinkCrashPoint, checkpointId: number): void;
  /** A sink is about to commit checkpoint `checkpointId`: throws when a `fail-commit` fault of the plan says so. */
  commitPoint(checkpointId: number): void;
  /** State, timers and key selector of a keyed operator (one after a keyBy), else null. */
  readonly keyed: KeyedContext | null;
  /** Asks for `onProcessingTime` to be called when the virtual clock reaches `atMs`. */
  registerProcessingTimeCallback(atMs: number): void;
  /** Counters the task reports. */
  readonly metrics: OperatorMetrics;
  /** Declares the subtask idle (or active again) downstream: idle inputs do not hold back watermarks. */
  markIdle(idle: boolean): void;
  /** Whether the task is blocked on output: a source should stop emitting and return. */
  isBackPressured(): boolean;
}

export interface KeyedContext {
  readonly backend: KeyedStateBackend;
  readonly timers: InternalTimerService;
  selectKey(record: StreamRecord): JsonValue;
}

export interface OperatorMetrics {
  lateRecordsDropped: number;
  /** Late records a window sent to its late side output instead of dropping them. */
  lateRecordsToSideOutput: number;
}

/** The checkpointing steps an operator may take part in (all optional). */
export interface OperatorLifecycle {
  /**
   * Before open: the operator's own state from the checkpoint it is restored from, as the
   * list of what every old subtask's `snapshotState` returned (Flink's union list state,
   * so that a rescaled job can redistribute it), or null on a fresh start.
   */
  initializeState?(restored: readonly JsonValue[] | null): void;
  /** Checkpoint `checkpointId` is about to be taken: emit what must go before the barrier. */
  prepareSnapshotPreBarrier?(checkpointId: number): void;
  /** The operator's own state for checkpoint `checkpointId`, as plain JSON (the task keeps a copy, so the operator may go on mutating it). */
  snapshotState?(checkpointId: number): JsonValue;
  /** Flink's CheckpointListener: checkpoint `checkpointId` is complete (every task acknowledged it). */
  notifyCheckpointComplete?(checkpointId: number): void;
  /** Flink's CheckpointListener: checkpoint `checkpointId` was aborted. */
  notifyCheckpointAborted?(checkpointId: number): void;
  /** After endInput: the last chance to emit (Flink's finish). */
  finish?(): void;
  /** The task is going away (finished, failed or canceled). */
  close?(): void;
}

/** A one-input stream operator. */
export interface StreamOperator extends OperatorLifecycle {
  open(ctx: OperatorContext, output: Output): void;
  processElement(record: StreamRecord): void;
  /** The operator's event-time clock advanced; the default forwards it downstream. */
  processWatermark(watermark: number): void;
  /** All input has arrived (a bounded job ends): emit what is held back. */
  endInput(): void;
  /** The virtual clock reached a time this operator asked to be woken at. */
  onProcessingTime?(nowMs: number): void;
}

/** What a source reports after emitting a batch. */
export type SourceStatus =
  | { readonly kind: 'more' }
  | { readonly kind: 'wait'; readonly untilMs: number }
  /** Nothing to read, and nothing known about when more comes (an unbounded source). */
  | { readonly kind: 'idle' }
  | { readonly kind: 'end' };

export interface SourceOperator extends OperatorLifecycle {
  open(ctx: OperatorContext, output: Output): void;
  /** Emits at most `budget` items into the output. */
  emitBatch(budget: number): SourceStatus;
  /** The virtual clock reached a time this source asked to be woken at. */
  onProcessingTime?(nowMs: number): void;
}

/**
 * Flink's TwoInputStreamOperator: elements and watermarks come in on two logical inputs.
 * The task routes each input channel to processElement1 or processElement2, and gives
 * each input's own watermark (the minimum over that input's channels) and idleness; the
 * operator combines the two as Flink's AbstractStreamOperator does (see
 * two-input/combined-watermark.ts). It always heads its chain.
 */
export interface TwoInputStreamOperator extends OperatorLifecycle {
  open(ctx: OperatorContext, output: Output): void;
  processElement1(record: StreamRecord): void;
  processElement2(record: StreamRecord): void;
  processWatermark1(watermark: number): void;
  processWatermark2(watermark: number): void;
  /** Input 1 became idle (true) or active again (false): an idle input does not hold back the other. */
  processWatermarkStatus1(idle: boolean): void;
  processWatermarkStatus2(idle: boolean): void;
  /** Both inputs have ended. */
  endInput(): void;
  onProcessingTime?(nowMs: number): void;
}

/** A blueprint that makes one operator instance per subtask. */
export type OperatorFactory =
  | { readonly kind: 'source'; readonly create: () => SourceOperator }
  | { readonly kind: 'operator'; readonly create: () => StreamOperator }
  | { readonly kind: 'two-input'; readonly create: () => TwoInputStreamOperator };

/** Any operator instance a factory makes. */
export type AnyOperator = StreamOperator | SourceOperator | TwoInputStreamOperator;
