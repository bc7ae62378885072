/**
 * What a subtask needs from the runtime around it (the kernel, the trace, the sinks, and
 * the JobManager's and network's services), what it counts for the report, and what it is
 * restored from. An interface, so that a harness can drive a task without a whole cluster.
 *
 * The host is generic over the task it serves, so that the parts of a task (its checkpoint
 * side, its operator contexts) can name it without importing the StreamTask class.
 */
import type { StreamNode } from '../graph/index.ts';
import type { CheckpointingSpec, StateBackendKind } from '../graph/index.ts';
import type { Kernel } from '../kernel/index.ts';
import type { StreamRecord } from '../model/index.ts';
import type { AnyOperator, OperatorMetrics } from '../operators/index.ts';
import type { OperatorSnapshot } from '../state/index.ts';
import type { TaskSnapshot } from '../checkpoint/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { World } from '../world/index.ts';
import type { Channel } from './channel.ts';
import type { TaskCrashPoint } from './fault-hooks.ts';

/** The services of the runtime for a task of type `Task` (StreamTask's is `TaskHost`). */
export interface TaskHostOf<Task> {
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
  scheduleRun(task: Task, atMs?: number): void;
  /** Calls the task's `fireProcessingTime` when the clock reaches `atMs`. */
  scheduleTimer(task: Task, atMs: number): void;
  /** Sends the task's pending output buffers into the network, as far as credit allows. */
  flush(task: Task): void;
  /** The task has emptied a buffer of `channel`: its credit goes back to the producer. */
  returnCredit(channel: Channel): void;
  taskFinished(task: Task): void;
  /** `injected`: a fault of the plan killed it, and `cause` names the fault. */
  taskFailed(task: Task, cause: string, injected?: boolean): void;
  acknowledgeCheckpoint(task: Task, snapshot: TaskSnapshot, checkpointId: number, alignmentMs: number): void;
  declineCheckpoint(task: Task, checkpointId: number, reason: string): void;
  /** The instance to run for `node` (a fault plan may wrap it to count its records). */
  wrapOperator(task: string, node: StreamNode, instance: AnyOperator): AnyOperator;
  /** Whether a fault of the plan kills this task at `point` of checkpoint `checkpointId`. */
  crashesAt(task: Task, point: TaskCrashPoint, checkpointId: number): boolean;
  /** Whether a fault of the plan makes this task's snapshot of `checkpointId` fail. */
  snapshotFails(task: Task, checkpointId: number): boolean;
  /** Whether a `fail-commit` fault makes the commit of sink `operator` in this task throw now. */
  commitFails(task: Task, operator: string, checkpointId: number): boolean;
  /** Calls the task's `onAlignmentTimeout(checkpointId)` at `atMs`. */
  scheduleAlignmentTimeout(task: Task, atMs: number, checkpointId: number): void;
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
