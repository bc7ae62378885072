/**
 * The JobManager's side of checkpointing, the CheckpointCoordinator's gateway to the
 * tasks: which running subtasks a checkpoint is triggered at (the sources, and those whose
 * inputs all finished) and which must acknowledge it; the trigger and the notifications
 * of complete or aborted travelling to the tasks; and the tasks' acknowledgements and
 * declines travelling back, each after the network's latency (an acknowledgement also
 * after the checkpoint storage's write), in the order each task sent them.
 */
import type { CheckpointingSpec } from '../graph/index.ts';
import type { CoordinatorGateway, TaskRef, TaskSnapshot } from '../checkpoint/index.ts';
import { deploymentPlanOf } from './deployment-plan.ts';
import { CheckpointBarrier } from './elements.ts';
import type { Failover } from './failover.ts';
import type { JobContext } from './job-context.ts';
import type { CheckpointMessage, JobManagerEvent, TaskEvent } from './job-events.ts';
import { PRIORITY } from './network.ts';
import type { StopWithSavepoint } from './stop-with-savepoint.ts';
import type { StreamTask } from './task.ts';

export class CheckpointGateway implements CoordinatorGateway {
  readonly #lastMessageAt = new WeakMap<StreamTask, number>();

  constructor(
    private readonly ctx: JobContext,
    private readonly checkpointing: CheckpointingSpec | null,
    private readonly failover: Failover,
    private readonly stop: StopWithSavepoint,
  ) {}

  // ---- CoordinatorGateway -------------------------------------------------------------

  checkpointPlan(): { trigger: TaskRef[]; acknowledge: TaskRef[]; finished: { attempt: number; snapshot: TaskSnapshot }[] } | null {
    const { graph } = this.ctx;
    if (graph.status !== 'RUNNING') return null;
    const tasks = graph.tasks;
    if (tasks.some((t) => !looksRunning(t) && t.lifecycle.kind !== 'finished')) return null;
    const finished = new Set(tasks.filter((t) => t.lifecycle.kind === 'finished').map((t) => t.id));
    const live = tasks.filter(looksRunning);
    const upstream = deploymentPlanOf(graph.jobGraph).upstream;
    const trigger = live.filter((t) => t.vertex.isSource || (upstream.get(t.id) ?? []).every((u) => finished.has(u)));
    // Finished subtasks are not asked; their last snapshot is part of the checkpoint, so a restore does not run them again.
    const finishedSnapshots = tasks.filter((t) => t.lifecycle.kind === 'finished' && t.lastSnapshot !== null).map((t) => ({ attempt: t.attempt, snapshot: t.lastSnapshot! }));
    return { trigger: trigger.map(taskRefOf), acknowledge: live.map(taskRefOf), finished: finishedSnapshots };
  }

  triggerTask(ref: TaskRef, checkpointId: number, timestampMs: number, savepoint: boolean, synchronous: boolean): void {
    // The savepoint of a stop-with-savepoint: a source emits nothing after its barrier.
    const event: TaskEvent = { type: 'task.trigger-checkpoint', task: ref.task, attempt: ref.attempt, checkpoint: checkpointId, timestampMs, savepoint, suspend: synchronous };
    this.ctx.kernel.scheduleAfter(this.ctx.clusterConfig.networkLatencyMs, PRIORITY.task, event);
  }

  notifyComplete(refs: readonly TaskRef[], checkpointId: number): void {
    if (this.stop.completed(checkpointId)) return;
    for (const ref of refs) this.#notify(ref, checkpointId, true);
  }

  notifyAborted(_refs: readonly TaskRef[], checkpointId: number): void {
    this.stop.aborted(checkpointId);
    // Every running attempt hears of it, also those still aligning for it.
    for (const t of this.ctx.graph.tasks) if (t.active) this.#notify({ task: t.id, attempt: t.attempt }, checkpointId, false);
  }

  failJob(cause: string): void {
    this.failover.handleFailure(null, cause, true);
  }

  #notify(ref: TaskRef, checkpointId: number, complete: boolean): void {
    const event: TaskEvent = { type: 'task.notify-checkpoint', task: ref.task, attempt: ref.attempt, checkpoint: checkpointId, complete };
    this.ctx.kernel.scheduleAfter(this.ctx.clusterConfig.networkLatencyMs, PRIORITY.task, event);
  }

  // ---- at the task ------------------------------------------------------------------

  /** A trigger reached live attempt `task`: its barrier starts there. */
  triggerAt(task: StreamTask, event: TaskEvent): void {
    const c = this.checkpointing!;
    // With an aligned-checkpoint timeout a checkpoint starts aligned and turns unaligned where alignment takes too long.
    const alignment = c.unaligned && c.alignedCheckpointTimeoutMs === 0 ? 'unaligned' : c.mode === 'exactly-once' ? 'aligned' : 'at-least-once';
    task.triggerCheckpoint(new CheckpointBarrier(event.checkpoint!, event.timestampMs!, event.savepoint ? 'aligned' : alignment, event.savepoint!), event.suspend === true);
  }

  /** A notification reached live attempt `task`. */
  notifyAt(task: StreamTask, event: TaskEvent): void {
    if (event.complete) task.notifyCheckpointComplete(event.checkpoint!);
    else task.notifyCheckpointAborted(event.checkpoint!);
  }

  // ---- from the task ----------------------------------------------------------------

  acknowledge(task: StreamTask, snapshot: TaskSnapshot, checkpointId: number, alignmentMs: number): void {
    const { kernel, trace } = this.ctx;
    const channelStateRecords = snapshot.channelState.reduce((n, c) => n + c.records.length, 0);
    trace.emit({ tag: 'snapshot.taken', timeMs: kernel.clock.nowMs, task: task.id, attempt: task.attempt, checkpoint: checkpointId, stateSize: snapshot.stateSize, channelStateRecords });
    const storage = this.checkpointing!.storage;
    const writeMs = storage.type === 'filesystem' ? storage.writeLatencyMs : 0;
    // The acknowledgement leaves when the task reaches the barrier in its own time (after the records before it).
    this.#message(task, { kind: 'ack', checkpoint: checkpointId, snapshot, alignmentMs }, writeMs + task.localNowMs() - kernel.clock.nowMs);
  }

  decline(task: StreamTask, checkpointId: number, reason: string): void {
    this.#message(task, { kind: 'decline', checkpoint: checkpointId, reason }, 0);
  }

  /** The earliest a later message of `task` reaches the JobManager: messages of one subtask arrive in the order it sent them. */
  notBefore(task: StreamTask): number {
    return Math.max(this.ctx.kernel.clock.nowMs, this.#lastMessageAt.get(task) ?? 0);
  }

  /** A task's checkpoint message reached the JobManager: the coordinator hears it, unless the job ended. */
  deliver(event: JobManagerEvent): void {
    const coordinator = this.ctx.coordinator;
    if (coordinator === null || this.ctx.graph.ended) return;
    const ref = { task: event.task!, attempt: event.attempt! };
    const m = event.message!;
    if (m.kind === 'ack') coordinator.receiveAcknowledge(ref, m.checkpoint, m.snapshot, m.alignmentMs);
    else coordinator.receiveDecline(ref, m.checkpoint, m.reason);
  }

  /** A task's message to the coordinator travels to the JobManager (network latency, plus the storage's write time for an acknowledgement). */
  #message(task: StreamTask, message: CheckpointMessage, extraMs: number): void {
    const event: JobManagerEvent = { type: 'jobmanager.checkpoint-message', task: task.id, attempt: task.attempt, message };
    const at = this.ctx.kernel.clock.nowMs + this.ctx.clusterConfig.networkLatencyMs + extraMs;
    this.#lastMessageAt.set(task, Math.max(at, this.#lastMessageAt.get(task) ?? 0));
    this.ctx.kernel.schedule(at, PRIORITY.jobManager, event);
  }
}

// Module functions, not closures made per checkpoint (under tsx's keepNames each named closure costs a defineProperty).

/** A subtask whose TaskManager died unnoticed still looks RUNNING to the JobManager: it is asked, and never answers. */
function looksRunning(t: StreamTask): boolean {
  return t.active || t.lifecycle.kind === 'lost';
}

function taskRefOf(t: StreamTask): TaskRef {
  return { task: t.id, attempt: t.attempt };
}
