/**
 * Flink's CheckpointCoordinator, on the JobManager. Every `interval` it triggers a
 * checkpoint: it gives it the next id (ids only grow, across restarts too), sends the
 * trigger to the subtasks that start the barrier (the sources, or the running subtasks
 * whose inputs have all finished) and waits for every running subtask to acknowledge it
 * with its snapshot. Then the checkpoint is complete: it is stored, older pending
 * checkpoints are subsumed, and every subtask hears notifyCheckpointComplete.
 *
 * Flink's rules for when to trigger: no sooner than `minPause` after the last completed
 * checkpoint; at most `maxConcurrent` pending at once (1 when minPause > 0); a checkpoint
 * still pending after `timeout` expires. Failures are counted by the CheckpointFailureManager;
 * beyond `tolerableFailures` the job is failed over.
 *
 * (Flink delays the very first checkpoint by a random time between minPause and the
 * interval; Weir triggers the first one at the interval, so that runs are easy to read.)
 */
import { shortFailureReason } from '../check/index.ts';
import type { CheckpointingSpec, StateBackendKind } from '../graph/index.ts';
import { assert, type Kernel, type KernelEvent } from '../kernel/index.ts';
import type { TraceLog } from '../trace/index.ts';
import { CompletedCheckpointStore, type CompletedCheckpoint } from './completed-checkpoint.ts';
import { CheckpointFailureManager } from './failure-manager.ts';
import { PendingCheckpoint, type TaskRef } from './pending-checkpoint.ts';
import { SharedStateRegistry } from './shared-state-registry.ts';
import { snapshotSize, type TaskSnapshot } from './task-snapshot.ts';

/** What the coordinator needs from the JobManager. */
export interface CoordinatorGateway {
  /** Who starts the barrier and who must acknowledge, or null when not every subtask is running (no checkpoint now). */
  checkpointPlan(): { trigger: TaskRef[]; acknowledge: TaskRef[]; finished: { attempt: number; snapshot: TaskSnapshot }[] } | null;
  /** `synchronous`: the savepoint of a stop-with-savepoint. */
  triggerTask(ref: TaskRef, checkpointId: number, timestampMs: number, savepoint: boolean, synchronous: boolean): void;
  notifyComplete(refs: readonly TaskRef[], checkpointId: number): void;
  notifyAborted(refs: readonly TaskRef[], checkpointId: number): void;
  /** Too many checkpoints failed in a row: fail the job over (a global failure). */
  failJob(cause: string): void;
}

/** The report's view of one checkpoint (Flink's checkpoint statistics). */
export interface CheckpointStats {
  id: number;
  status: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' | 'ABORTED';
  savepoint: boolean;
  triggeredAt: number;
  completedAt: number | null;
  stateSize: number;
  checkpointedSize: number;
  alignmentMs: number;
  failureReason: string | null;
  failureCause: string | null;
}

interface CoordinatorEvent extends KernelEvent {
  readonly type: 'checkpoint.periodic' | 'checkpoint.expire';
  readonly generation?: number;
  readonly checkpoint?: number;
}

/** Priority of the coordinator's own events: after deliveries and task steps at the same time. */
const PRIORITY_COORDINATOR = 40;

/** Periodic requests that may wait at once; more are dropped (Flink's CheckpointRequestDecider default). */
const MAX_QUEUED_REQUESTS = 1000;

export class CheckpointCoordinator {
  readonly stats: CheckpointStats[] = [];
  readonly #pending = new Map<number, PendingCheckpoint>();
  readonly #store: CompletedCheckpointStore;
  readonly #failures: CheckpointFailureManager;
  readonly #shared = new SharedStateRegistry();
  #nextId = 1;
  /** Bumped when the periodic scheduler stops or restarts: an older `checkpoint.periodic` is ignored. */
  #generation = 0;
  #running = false;
  /** When the periodic trigger is next due (Flink's nextCheckpointTriggeringRelativeTime). */
  #nextPeriodicMs: number | null = null;
  /** Periodic requests waiting for fewer than maxConcurrent checkpoints to be pending, in order (Flink's CheckpointRequestDecider queue). */
  #queued = 0;
  /** The last completion of a checkpoint or a savepoint, which minPause counts from (Flink's lastCheckpointCompletionRelativeTime). */
  #lastCompletionMs: number | null = null;

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
    readonly config: CheckpointingSpec,
    private readonly stateBackend: StateBackendKind,
    private readonly gateway: CoordinatorGateway,
    /** False when checkpointing is off and the coordinator only takes savepoints. */
    readonly periodic = true,
  ) {
    this.#store = new CompletedCheckpointStore(config.retained, (c) => this.#shared.unregister(c.id));
    this.#failures = new CheckpointFailureManager(config.tolerableFailures);
    kernel.on('checkpoint.periodic', (e) => this.#onPeriodic(e as CoordinatorEvent));
    kernel.on('checkpoint.expire', (e) => this.#onExpire(e as CoordinatorEvent));
  }

  /** Flink uses one concurrent checkpoint whenever a minimum pause is set. */
  get maxConcurrent(): number {
    return this.config.minPauseMs > 0 ? 1 : this.config.maxConcurrent;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Whether checkpoint (or savepoint) `id` is still pending. */
  isPending(id: number): boolean {
    return this.#pending.has(id);
  }

  latestCompleted(): CompletedCheckpoint | null {
    return this.#store.latest();
  }

  latestSavepoint(): CompletedCheckpoint | null {
    return this.#store.latestSavepoint();
  }

  /** Savepoints of a stop-with-savepoint: they subsume older checkpoints and are notified to the tasks. */
  readonly #synchronous = new Set<number>();

  /** The job is resumed from `savepoint`: a failover before the next checkpoint restores it. */
  restoredFrom(savepoint: CompletedCheckpoint): void {
    this.#store.restoredFrom(savepoint);
  }

  get retained(): readonly CompletedCheckpoint[] {
    return this.#store.retainedCheckpoints;
  }

  /** Starts periodic checkpoints: the first one `interval` from now. */
  startScheduler(): void {
    if (!this.periodic) return;
    this.#running = true;
    this.#queued = 0;
    this.#schedulePeriodic(this.kernel.clock.nowMs + this.config.intervalMs);
  }

  /** Stops periodic checkpoints; requests still waiting are dropped. */
  stopScheduler(): void {
    this.#running = false;
    this.#generation++;
    this.#nextPeriodicMs = null;
    this.#queued = 0;
  }

  #schedulePeriodic(atMs: number): void {
    this.#generation++;
    this.#nextPeriodicMs = atMs;
    const event: CoordinatorEvent = { type: 'checkpoint.periodic', generation: this.#generation };
    this.kernel.schedule(atMs, PRIORITY_COORDINATOR, event);
  }

  #onPeriodic(event: CoordinatorEvent): void {
    if (event.generation !== this.#generation || !this.#running) return;
    // A fixed rate: the next one is due an interval after this one was, however late this one triggers.
    this.#schedulePeriodic(this.#nextPeriodicMs! + this.config.intervalMs);
    this.#queued = Math.min(this.#queued + 1, MAX_QUEUED_REQUESTS);
    this.#runQueued();
  }

  /**
   * Flink's CheckpointRequestDecider, for periodic requests: while maxConcurrent
   * checkpoints (or savepoints) are pending the oldest request waits; before minPause has
   * passed since the last completion it is dropped, and the schedule starts again where
   * the pause ends. A request that finds a subtask not running is used up (no checkpoint).
   */
  #runQueued(): void {
    if (!this.#running || this.#queued === 0 || this.#pending.size >= this.maxConcurrent) return;
    this.#queued--;
    const pauseEndsMs = this.config.minPauseMs > 0 && this.#lastCompletionMs !== null ? this.#lastCompletionMs + this.config.minPauseMs : null;
    if (pauseEndsMs !== null && this.kernel.clock.nowMs < pauseEndsMs) return this.#schedulePeriodic(pauseEndsMs);
    this.triggerCheckpoint(false);
  }

  /**
   * Triggers a savepoint now (a scenario action). When not every subtask is running it
   * fails at once, as Flink's savepoint request does; returns its id either way.
   */
  triggerSavepoint(synchronous = false): number {
    const id = this.triggerCheckpoint(true, synchronous);
    if (id !== null) return id;
    const failed = this.#nextId++;
    const now = this.kernel.clock.nowMs;
    const cause = 'not all required tasks are currently running';
    this.stats.push({ id: failed, status: 'FAILED', savepoint: true, triggeredAt: now, completedAt: null, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: 'NOT_ALL_REQUIRED_TASKS_RUNNING', failureCause: cause });
    this.trace.emit({ tag: 'checkpoint.failed', timeMs: now, checkpoint: failed, savepoint: true, status: 'FAILED', reason: 'NOT_ALL_REQUIRED_TASKS_RUNNING', cause, counted: false });
    return failed;
  }

  /** Triggers a checkpoint (or savepoint) now; returns its id, or null when not every subtask is running. */
  triggerCheckpoint(savepoint: boolean, synchronous = false): number | null {
    const plan = this.gateway.checkpointPlan();
    if (plan === null || plan.trigger.length === 0) return null;
    const id = this.#nextId++;
    const now = this.kernel.clock.nowMs;
    if (synchronous) this.#synchronous.add(id);
    const pending = new PendingCheckpoint(id, now, savepoint, plan.acknowledge);
    for (const f of plan.finished) pending.addFinished(f.snapshot, f.attempt);
    this.#pending.set(id, pending);
    this.stats.push({ id, status: 'IN_PROGRESS', savepoint, triggeredAt: now, completedAt: null, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: null, failureCause: null });
    this.trace.emit({ tag: 'checkpoint.triggered', timeMs: now, checkpoint: id, savepoint, tasks: plan.acknowledge.length });
    const expire: CoordinatorEvent = { type: 'checkpoint.expire', checkpoint: id };
    this.kernel.scheduleAfter(this.config.timeoutMs, PRIORITY_COORDINATOR, expire);
    for (const ref of plan.trigger) this.gateway.triggerTask(ref, id, now, savepoint, synchronous);
    return id;
  }

  /** A subtask's acknowledgement arrived (its message has travelled to the JobManager). */
  receiveAcknowledge(ref: TaskRef, checkpointId: number, snapshot: TaskSnapshot, alignmentMs: number): void {
    const pending = this.#pending.get(checkpointId);
    if (pending === undefined || !pending.acknowledge(ref, snapshot)) return;
    pending.alignmentMs = Math.max(pending.alignmentMs, alignmentMs);
    const storage = this.config.storage;
    if (storage.type === 'jobmanager') {
      const size = snapshot.stateSize;
      if (size > storage.maxStateSizeBytes) {
        return this.#fail(
          pending,
          'CHECKPOINT_ASYNC_EXCEPTION',
          `the state of ${ref.task} is ${size} bytes, larger than the JobManager checkpoint storage's maximum of ${storage.maxStateSizeBytes} bytes (use "storage": {"type": "filesystem"})`,
        );
      }
    }
    if (pending.fullyAcknowledged) this.#complete(pending);
  }

  /** A subtask declined a checkpoint. */
  receiveDecline(ref: TaskRef, checkpointId: number, reason: string): void {
    const pending = this.#pending.get(checkpointId);
    if (pending === undefined || !pending.waitsFor(ref)) return;
    const code = reason.split(':')[0]!;
    this.#fail(pending, code, `${ref.task}: ${reason}`);
  }

  /**
   * A subtask finished (after its final checkpoint): what still waits for it gets its last
   * snapshot, marked finished. Its state cannot change any more, and a source's offsets
   * must survive it: a restore must not read its partitions again.
   */
  taskFinished(ref: TaskRef, last: TaskSnapshot | null): void {
    const waited: PendingCheckpoint[] = [];
    for (const pending of [...this.#pending.values()]) {
      if (!pending.waitsFor(ref)) continue;
      const [vertex, index] = [ref.task.slice(0, ref.task.lastIndexOf('#')), Number(ref.task.slice(ref.task.lastIndexOf('#') + 1))];
      const snapshot: TaskSnapshot =
        last === null ? { task: ref.task, vertex, subtaskIndex: index, operators: [], channelState: [], finished: true, stateSize: 0 } : { ...last, channelState: [], finished: true, stateSize: snapshotSize(last.operators, []) };
      this.receiveAcknowledge(ref, pending.id, snapshot, 0);
      waited.push(pending);
    }
    this.#triggerAfterFinished(waited);
  }

  /**
   * A subtask that finished before acknowledging may never have sent the barrier on: it
   * finished on an older checkpoint's completion while this one's trigger (or barrier) was
   * on its way to it. Its consumers would wait for that barrier until the timeout, so the
   * running subtasks whose inputs have now all finished are triggered, as FLIP-147 triggers
   * the first running subtasks of the graph. One that got the barrier after all takes the
   * checkpoint once (StreamTask ignores a trigger of a checkpoint it has taken).
   */
  #triggerAfterFinished(checkpoints: readonly PendingCheckpoint[]): void {
    const open = checkpoints.filter((p) => this.#pending.get(p.id) === p);
    const plan = open.length === 0 ? null : this.gateway.checkpointPlan();
    if (plan === null) return;
    for (const pending of open) {
      for (const ref of plan.trigger) if (pending.waitsFor(ref)) this.gateway.triggerTask(ref, pending.id, pending.triggeredAtMs, pending.savepoint, this.#synchronous.has(pending.id));
    }
  }

  /** A failover or the job's end: every pending checkpoint is given up. */
  abortPending(status: 'FAILED' | 'ABORTED', reason: string, cause: string | null): void {
    for (const pending of [...this.#pending.values()].sort((a, b) => a.id - b.id)) this.#end(pending, status, reason, cause);
  }

  #onExpire(event: CoordinatorEvent): void {
    const pending = this.#pending.get(event.checkpoint!);
    if (pending === undefined) return;
    this.#fail(pending, 'CHECKPOINT_EXPIRED', `not acknowledged by ${pending.pendingTasks.join(', ')} within the timeout of ${this.config.timeoutMs} ms`);
  }

  #fail(pending: PendingCheckpoint, reason: string, cause: string): void {
    this.#end(pending, 'FAILED', reason, cause);
  }

  #end(pending: PendingCheckpoint, status: 'FAILED' | 'ABORTED', reason: string, cause: string | null): void {
    assert(this.#pending.delete(pending.id), () => `checkpoint ${pending.id} ended twice`);
    const now = this.kernel.clock.nowMs;
    const counted = status === 'FAILED' && !pending.savepoint ? this.#failures.onFailure(pending.id, reason) : { counted: false, exceeded: false };
    const stats = this.#statsOf(pending.id);
    stats.status = status;
    stats.failureReason = shortFailureReason(reason);
    stats.failureCause = cause;
    stats.completedAt = null;
    const failed = { tag: 'checkpoint.failed', timeMs: now, checkpoint: pending.id, status, reason, cause, counted: counted.counted } as const;
    // Only a savepoint says so: the trace of a failed checkpoint stays what it was.
    this.trace.emit(pending.savepoint ? { ...failed, savepoint: true } : failed);
    this.gateway.notifyAborted(pending.acknowledgedBy, pending.id);
    if (counted.exceeded) {
      this.gateway.failJob(`Exceeded checkpoint tolerable failure threshold (${this.config.tolerableFailures}): checkpoint ${pending.id} failed with ${reason}${cause === null ? '' : ` (${cause})`}`);
    } else this.#runQueued();
  }

  #complete(pending: PendingCheckpoint): void {
    this.#pending.delete(pending.id);
    const now = this.kernel.clock.nowMs;
    let stateSize = 0;
    for (const s of pending.acknowledged.values()) stateSize += s.stateSize;
    // Only the incremental backend keeps shared files; a full snapshot writes everything.
    // A savepoint is self-contained and written in full.
    const incremental = this.stateBackend === 'rocksdb' && !pending.savepoint;
    const checkpointedSize = incremental ? this.#shared.register(pending.id, pending.acknowledgedWithAttempts()) : stateSize;
    const completed: CompletedCheckpoint = {
      id: pending.id,
      savepoint: pending.savepoint,
      triggeredAtMs: pending.triggeredAtMs,
      completedAtMs: now,
      tasks: new Map([...pending.acknowledged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      stateSize,
      checkpointedSize,
    };
    this.#store.add(completed);
    this.#failures.onSuccess(pending.id);
    this.#lastCompletionMs = now;
    const stats = this.#statsOf(pending.id);
    Object.assign(stats, { status: 'COMPLETED', completedAt: now, stateSize, checkpointedSize, alignmentMs: pending.alignmentMs });
    this.trace.emit({ tag: 'checkpoint.completed', timeMs: now, checkpoint: pending.id, savepoint: pending.savepoint, stateSize, checkpointedSize, durationMs: now - pending.triggeredAtMs });
    // As Flink since 1.15: a savepoint taken while the job runs neither subsumes checkpoints
    // nor reaches the tasks' notifyCheckpointComplete (it commits no side effects); a
    // checkpoint, or the savepoint of a stop-with-savepoint, does both.
    if (!pending.savepoint || this.#synchronous.has(pending.id)) {
      for (const older of [...this.#pending.values()].filter((p) => p.id < pending.id && !p.savepoint).sort((a, b) => a.id - b.id)) {
        this.#end(older, 'ABORTED', 'CHECKPOINT_SUBSUMED', `checkpoint ${pending.id} completed first`);
      }
      this.gateway.notifyComplete(pending.acknowledgedBy, pending.id);
    }
    this.#runQueued();
  }

  #statsOf(id: number): CheckpointStats {
    // From the end: the checkpoint being acknowledged or finished is one of the last few (checkpoints every 1 ms made a forward search quadratic).
    let s: CheckpointStats | undefined;
    for (let i = this.stats.length - 1; i >= 0 && s === undefined; i--) if (this.stats[i]!.id === id) s = this.stats[i];
    assert(s !== undefined, () => `no statistics for checkpoint ${id}`);
    return s;
  }
}
