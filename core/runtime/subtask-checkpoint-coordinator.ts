/**
 * A subtask's side of checkpointing (Flink's SubtaskCheckpointCoordinator). A source task is
 * told to checkpoint by the coordinator; any other task when the barrier has arrived on its
 * inputs (its barrier handler decides when: aligned, unaligned, or tracked at-least-once).
 * Either way it calls prepareSnapshotPreBarrier on its operators, sends the barrier
 * downstream, snapshots its operators' keyed state, timers and operator state, and
 * acknowledges. An unaligned checkpoint sends the barrier ahead of the data and acknowledges
 * only once the records it overtook have been recorded as channel state.
 *
 * Barrier ids only grow within an attempt: a checkpoint is taken at most once, and never
 * after a newer one.
 */
import type { JobVertex } from '../graph/index.ts';
import { assert } from '../kernel/index.ts';
import { cloneJson, type JsonValue, type StreamRecord } from '../model/index.ts';
import { snapshotKeyGroups, type OperatorSnapshot } from '../state/index.ts';
import { snapshotSize, type TaskSnapshot } from '../checkpoint/index.ts';
import {
  AlignedBarrierHandler,
  BarrierTracker,
  UnalignedBarrierHandler,
  type BarrierHandlerContext,
  type CheckpointBarrierHandler,
  type UnalignedHandlerContext,
} from './checkpointing/index.ts';
import { CheckpointBarrier, isTimeoutable, NetworkEvent, type NetworkElement } from './elements.ts';
import type { InputGate } from './input-gate.ts';
import type { OperatorSlot } from './operator-chain.ts';
import type { RecordWriterOutput } from './outputs.ts';
import type { TaskHostOf } from './task-host.ts';
import type { TaskLifecycle } from './task-lifecycle.ts';

/** What the checkpoint side reads from, and moves on, its task. */
export interface CheckpointedTask {
  readonly id: string;
  readonly attempt: number;
  readonly index: number;
  readonly vertex: JobVertex;
  readonly gate: InputGate;
  readonly writers: readonly RecordWriterOutput[];
  readonly active: boolean;
  readonly lifecycle: TaskLifecycle;
  moveTo(next: TaskLifecycle): void;
  /** The task's own time (after the records of the step so far): when its alignment ends. */
  localNowMs(): number;
}

/** Channel state being recorded for an unaligned checkpoint. */
export interface Recording {
  readonly barrier: CheckpointBarrier;
  readonly alignmentMs: number;
  readonly snapshot: TaskSnapshot;
  readonly channels: Set<number>;
  readonly records: Map<number, StreamRecord[]>;
}

export class SubtaskCheckpointCoordinator<T extends CheckpointedTask> {
  /** Decides when the barriers of the inputs make a checkpoint; null without checkpointing or inputs. */
  barriers: CheckpointBarrierHandler | null = null;
  /** The unaligned checkpoint whose overtaken records are being recorded, read per record by the input loop. */
  recording: Recording | null = null;
  /** The newest checkpoint this attempt has taken its snapshot for: barrier ids only grow. */
  lastTaken = 0;
  /** The snapshot of the last checkpoint this attempt took (a finished task's state does not change after it). */
  lastSnapshot: TaskSnapshot | null = null;

  constructor(
    private readonly task: T,
    private readonly host: TaskHostOf<T>,
    /** The chain's operators, filled in at deployment. */
    private readonly slots: readonly OperatorSlot[],
  ) {}

  /** At deployment, once the inputs are known: the handler the job's checkpointing settings ask for. */
  installBarrierHandler(): void {
    const config = this.host.checkpointing;
    const gate = this.task.gate;
    if (config === null || gate.size === 0) return;
    const ctx = barrierContextOf(this, this.task, this.host);
    if (config.unaligned) {
      const unalignedCtx: UnalignedHandlerContext = {
        ...ctx,
        checkpointUnaligned: (barrier, alignmentMs, channels) => this.#performUnaligned(barrier, alignmentMs, channels),
        channelStateComplete: (id, input) => this.#channelStateComplete(id, input),
        captureInFlight: (id, input) => this.#captureInFlight(id, input),
        scheduleAlignmentTimeout: (id, afterMs) => this.host.scheduleAlignmentTimeout(this.task, this.host.kernel.clock.nowMs + afterMs, id),
        overtake: (input, id) => assert(gate.overtake(input, id), () => `${this.task.id}: announced barrier ${id} is not queued on input ${input}`),
      };
      gate.announceBarriers = config.alignedCheckpointTimeoutMs > 0;
      this.barriers = new UnalignedBarrierHandler(unalignedCtx, config.alignedCheckpointTimeoutMs);
      return;
    }
    this.barriers = config.mode === 'exactly-once' ? new AlignedBarrierHandler(ctx) : new BarrierTracker(ctx);
  }

  /** The handler, when it can turn an alignment unaligned at a timeout. */
  get unalignedHandler(): UnalignedBarrierHandler | null {
    return this.barriers instanceof UnalignedBarrierHandler ? this.barriers : null;
  }

  /** The coordinator triggered the checkpoint at this task (a source, or one whose inputs have all finished). */
  trigger(barrier: CheckpointBarrier): void {
    if (this.task.gate.channels.some((c) => !c.closed)) this.#barrierOnOpenInputs(barrier);
    else if (barrier.alignment === 'unaligned') this.#performUnaligned(barrier, 0, new Set());
    else this.performCheckpoint(barrier, 0);
  }

  /**
   * Flink's triggerUnfinishedChannelsCheckpoint: the upstream subtasks have finished, but the
   * end of partition of some has not been read yet. The barrier counts as arrived on those
   * channels, through the barrier handler, so that a barrier of the same checkpoint still
   * queued there is known as a duplicate, and an unaligned checkpoint records the records
   * still queued in front of the end as channel state. An aligned barrier goes into the data
   * in front of the end instead, behind the records still to come on that channel: counted
   * as arrived at once, it would snapshot before them, and a restore (their producer
   * finished, so never replayed) would lose them.
   */
  #barrierOnOpenInputs(barrier: CheckpointBarrier): void {
    const priority = barrier.alignment === 'unaligned';
    const { task } = this;
    for (const c of task.gate.channels) {
      if (!task.active || c.closed) continue;
      if (!priority && task.gate.placeBeforeEnd(c.index, barrier)) continue;
      this.barriers!.onBarrier(c.index, barrier, priority);
    }
  }

  #takes(checkpointId: number): void {
    assert(checkpointId > this.lastTaken, () => `${this.task.id} takes checkpoint ${checkpointId} after checkpoint ${this.lastTaken}`);
    this.lastTaken = checkpointId;
  }

  /**
   * An unaligned checkpoint: snapshot now, the barrier downstream ahead of the data, and the
   * acknowledgement once the records the barrier overtook on `channels` have been recorded.
   */
  #performUnaligned(barrier: CheckpointBarrier, alignmentMs: number, channels: ReadonlySet<number>): void {
    const { task, host } = this;
    const id = barrier.id;
    const now = host.kernel.clock.nowMs;
    this.#takes(id);
    if (task.gate.size > 0) host.trace.emit({ tag: 'barrier.aligned', timeMs: now, task: task.id, attempt: task.attempt, checkpoint: id, alignmentMs, unaligned: true });
    for (const { instance } of this.slots) instance.prepareSnapshotPreBarrier?.(id);
    const unaligned = new CheckpointBarrier(id, barrier.timestamp, 'unaligned', barrier.savepoint);
    for (const writer of task.writers) writer.broadcastPriority(unaligned);
    if (host.crashesAt(task, 'snapshot', id)) return host.taskFailed(task, `crash-at snapshot ${task.id} (checkpoint ${id})`, true);
    const snapshot = this.snapshot(id);
    if (host.snapshotFails(task, id)) return this.decline(id, 'CHECKPOINT_ASYNC_EXCEPTION: fail-checkpoint fault');
    this.#markFinalCheckpoint(id);
    const records = new Map<number, StreamRecord[]>();
    for (const c of channels) records.set(c, []);
    this.recording = { barrier, alignmentMs, snapshot, channels: new Set(channels), records };
    if (channels.size === 0) this.#acknowledgeRecording();
  }

  #channelStateComplete(checkpointId: number, input: number): void {
    const r = this.recording;
    if (r === null || r.barrier.id !== checkpointId) return;
    r.channels.delete(input);
    if (r.channels.size === 0) this.#acknowledgeRecording();
  }

  /** The records ahead of checkpoint `checkpointId`'s barrier on `input`: unread at this task, on the wire, in the producer's output buffer. */
  #captureInFlight(checkpointId: number, input: number): void {
    const r = this.recording;
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
    const ic = this.task.gate.channels[input]!;
    let found = ic.queue.some((b) => scan(b.elements, b.pos));
    if (!found) found = ic.channel.inFlight.some((b) => scan(b, 0));
    if (!found) scan(ic.channel.pending, 0);
    this.#channelStateComplete(checkpointId, input);
  }

  #acknowledgeRecording(): void {
    const { task, host } = this;
    const r = this.recording!;
    this.recording = null;
    const channelState = [...r.records.entries()].sort(([a], [b]) => a - b).map(([input, records]) => ({ input, records: records.map((x) => ({ value: cloneJson(x.value), timestamp: x.timestamp })) }));
    const snapshot: TaskSnapshot = { ...r.snapshot, channelState, stateSize: snapshotSize(r.snapshot.operators, channelState) };
    host.acknowledgeCheckpoint(task, snapshot, r.barrier.id, r.alignmentMs);
    if (host.crashesAt(task, 'after-ack', r.barrier.id)) host.taskFailed(task, `crash-at after-ack ${task.id} (checkpoint ${r.barrier.id})`, true);
  }

  #markFinalCheckpoint(id: number): void {
    const l = this.task.lifecycle;
    if (l.kind === 'waiting-for-final-checkpoint' && l.sinceCheckpoint === null) {
      this.task.moveTo({ kind: 'waiting-for-final-checkpoint', sinceCheckpoint: id });
    }
  }

  /** Flink's performCheckpoint: pre-barrier work, the barrier downstream, the snapshot, the acknowledgement. */
  performCheckpoint(barrier: CheckpointBarrier, alignmentMs: number): void {
    const { task, host } = this;
    const id = barrier.id;
    const now = host.kernel.clock.nowMs;
    this.#takes(id);
    if (task.gate.size > 0) {
      host.trace.emit({ tag: 'barrier.aligned', timeMs: now, task: task.id, attempt: task.attempt, checkpoint: id, alignmentMs, unaligned: false });
    }
    for (const { instance } of this.slots) instance.prepareSnapshotPreBarrier?.(id);
    for (const writer of task.writers) writer.broadcastEvent(barrier);
    this.#startOutputTimeout(barrier);
    if (host.crashesAt(task, 'snapshot', id)) return host.taskFailed(task, `crash-at snapshot ${task.id} (checkpoint ${id})`, true);
    const snapshot = this.snapshot(id);
    if (host.snapshotFails(task, id)) return this.decline(id, 'CHECKPOINT_ASYNC_EXCEPTION: fail-checkpoint fault');
    this.#markFinalCheckpoint(id);
    host.acknowledgeCheckpoint(task, snapshot, id, alignmentMs);
    if (host.crashesAt(task, 'after-ack', id)) host.taskFailed(task, `crash-at after-ack ${task.id} (checkpoint ${id})`, true);
  }

  /** With an aligned-checkpoint timeout, the barrier just sent turns unaligned at the timeout if it still waits in an output buffer then. */
  #startOutputTimeout(barrier: CheckpointBarrier): void {
    const config = this.host.checkpointing;
    if (config === null || !config.unaligned || config.alignedCheckpointTimeoutMs === 0 || !isTimeoutable(barrier) || this.task.writers.length === 0) return;
    this.host.scheduleAlignmentTimeout(this.task, Math.max(this.host.kernel.clock.nowMs, barrier.timestamp + config.alignedCheckpointTimeoutMs), barrier.id);
  }

  /** The chain's state now, as checkpoint `checkpointId` keeps it; it becomes the last snapshot. */
  snapshot(checkpointId: number): TaskSnapshot {
    const task = this.task;
    const operators: OperatorSnapshot[] = this.slots.map(({ node, instance, keyed }) => ({
      operator: node.id,
      keyGroups: keyed === null ? [] : snapshotKeyGroups(keyed.backend, keyed.timers, keyed.backend.keyGroupOf),
      // A copy: the operator goes on mutating what it returned (a sink's pending list), the checkpoint must not change.
      operatorState: cloneJson((instance.snapshotState?.(checkpointId) ?? null) as JsonValue),
    }));
    const finished = task.lifecycle.kind === 'waiting-for-final-checkpoint';
    const snapshot: TaskSnapshot = { task: task.id, vertex: task.vertex.id, subtaskIndex: task.index, operators, channelState: [], finished, stateSize: snapshotSize(operators, []) };
    this.lastSnapshot = snapshot;
    return snapshot;
  }

  decline(checkpointId: number, reason: string): void {
    this.host.trace.emit({ tag: 'snapshot.declined', timeMs: this.host.kernel.clock.nowMs, task: this.task.id, attempt: this.task.attempt, checkpoint: checkpointId, reason });
    this.host.declineCheckpoint(this.task, checkpointId, reason);
  }

  /** The checkpoint was aborted: an alignment waiting for it stops, and its channel state is not recorded any further. */
  abort(checkpointId: number): void {
    this.barriers?.abort(checkpointId);
    if (this.recording !== null && this.recording.barrier.id <= checkpointId) this.recording = null;
  }
}

/** Made at every deployment of a task with inputs: methods, not arrow properties, as operatorContextOf says why. */
function barrierContextOf<T extends CheckpointedTask>(checkpoints: SubtaskCheckpointCoordinator<T>, task: T, host: TaskHostOf<T>): BarrierHandlerContext {
  const gate = task.gate;
  return {
    task: task.id,
    attempt: task.attempt,
    trace: host.trace,
    now() {
      return task.localNowMs();
    },
    clockMs() {
      return host.kernel.clock.nowMs;
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
      if (task.active) host.scheduleRun(task);
    },
    checkpoint(barrier, alignmentMs) {
      checkpoints.performCheckpoint(barrier, alignmentMs);
    },
    decline(id, reason) {
      checkpoints.decline(id, reason);
    },
  };
}
