/**
 * The input side of a subtask with inputs (Flink's StreamInputProcessor): a mailbox step
 * takes a bounded batch of elements from the input gate and hands each to the head of the
 * chain. Records go to the head operator (or, for a two-input head, to processElement1 or
 * processElement2 by the channel they came in on); watermarks and idleness go through the
 * valve, which forwards the minimum over the inputs; barriers go to the barrier handler,
 * priority events (unaligned barriers, announcements) first. Records an unaligned checkpoint
 * persisted as channel state are processed before anything new after a restore.
 */
import type { StreamRecord } from '../model/index.ts';
import type { SourceStatus, StreamOperator, TwoInputStreamOperator } from '../operators/index.ts';
import { BarrierAnnouncement, CheckpointBarrier, NetworkEvent, WatermarkElement, WatermarkStatusElement } from './elements.ts';
import type { InputGate } from './input-gate.ts';
import type { SubtaskCheckpointCoordinator, CheckpointedTask } from './subtask-checkpoint-coordinator.ts';
import type { TaskHostOf, TaskMetrics } from './task-host.ts';
import type { TaskLifecycle } from './task-lifecycle.ts';
import { TwoInputValve, type ElementTarget } from './two-input-valve.ts';
import { StatusWatermarkValve } from './watermark-valve.ts';

/** Elements a task handles per mailbox step before it yields to others. */
export const TASK_BATCH = 512;

export const MORE: SourceStatus = { kind: 'more' };
export const IDLE_STATUS: SourceStatus = { kind: 'idle' };

/** What the input loop reads from, and calls back into, its task. */
export interface InputOwner {
  readonly id: string;
  readonly gate: InputGate;
  readonly metrics: TaskMetrics;
  readonly active: boolean;
  readonly backPressured: boolean;
  readonly lifecycle: TaskLifecycle;
  moveTo(next: TaskLifecycle): void;
  /** Records the task's new watermark in its state and the trace. */
  noteWatermark(watermark: number): void;
  setIdle(idle: boolean): void;
}

export class StreamInputProcessor<T extends InputOwner & CheckpointedTask> {
  readonly #valve: StatusWatermarkValve | TwoInputValve;
  #head: StreamOperator | null = null;
  /** A two-input head: per input channel, processElement1 or processElement2 (null: one input). */
  readonly #inputHeads: readonly ElementTarget[] | null = null;
  /** Restored channel state still to process, and where in it the task is. */
  #replay: readonly StreamRecord[] = [];
  #replayChannels: readonly number[] = [];
  #replayPos = 0;

  constructor(
    private readonly task: T,
    private readonly host: Pick<TaskHostOf<T>, 'returnCredit'>,
    private readonly checkpoints: SubtaskCheckpointCoordinator<T>,
    /** The head of the chain when it has two inputs, else null (its head is set once opened). */
    twoInputHead: TwoInputStreamOperator | null,
  ) {
    if (twoInputHead !== null) {
      const valve = new TwoInputValve(twoInputHead, task.gate.channels, {
        noteWatermark: (watermark) => task.noteWatermark(watermark),
        idle: (idle) => task.setIdle(idle),
      });
      this.#valve = valve;
      this.#inputHeads = valve.targets;
    } else {
      this.#valve = new StatusWatermarkValve(task.gate.size, {
        advance: (watermark) => this.#advanceTo(watermark),
        idle: (idle) => task.setIdle(idle),
      });
    }
  }

  get twoInput(): boolean {
    return this.#inputHeads !== null;
  }

  /** The one-input head of the chain, once deployed. */
  setHead(head: StreamOperator): void {
    this.#head = head;
  }

  /** In-flight records of the checkpoint restored from, to process first (with the input channel each came in on). */
  setReplay(records: readonly StreamRecord[], channels: readonly number[]): void {
    this.#replay = records;
    this.#replayChannels = channels;
  }

  /** Handles up to `budget` input elements; asks to run again while input is waiting. */
  processInput(budget: number): SourceStatus {
    const task = this.task;
    const head = this.#head;
    const heads = this.#inputHeads;
    const gate = task.gate;
    const metrics = task.metrics;
    // Records an unaligned checkpoint persisted go first, before anything new.
    while (budget > 0 && this.#replayPos < this.#replay.length && task.active && !task.backPressured) {
      budget--;
      metrics.recordsIn++;
      const pos = this.#replayPos++;
      (heads === null ? head! : heads[this.#replayChannels[pos]!]!).processElement(this.#replay[pos]!);
    }
    if (this.#replayPos < this.#replay.length) return MORE;
    while (budget > 0 && task.active && !task.backPressured) {
      const priority = gate.pollPriority();
      if (priority !== null) {
        budget--;
        const barriers = this.checkpoints.barriers;
        if (priority.event.kind === 'barrier') barriers?.onBarrier(priority.input.index, priority.event as CheckpointBarrier, true);
        else if (priority.event.kind === 'announcement') barriers?.onAnnouncement?.(priority.input.index, (priority.event as BarrierAnnouncement).barrier);
        continue;
      }
      const input = gate.next();
      if (input === null) break;
      const buffer = input.queue[0]!;
      const elements = buffer.elements;
      // Chosen per buffer, not per element: a buffer comes from one channel, so from one input.
      const target = heads === null ? head! : heads[input.index]!;
      while (budget > 0 && buffer.pos < elements.length && !task.backPressured && !input.blocked) {
        const element = elements[buffer.pos++]!;
        if (element instanceof NetworkEvent) {
          // End of data costs no budget: without checkpoints its end of partition follows it,
          // mostly in the same buffer, and a task that finishes then must not stop in between
          // (one that comes in a later buffer is left unread, which no output depends on).
          if (element.kind !== 'end-of-data') budget--;
          this.#onEvent(input.index, element);
          if (!task.active) return IDLE_STATUS;
        } else {
          budget--;
          metrics.recordsIn++;
          const recording = this.checkpoints.recording;
          if (recording !== null && recording.channels.has(input.index)) recording.records.get(input.index)!.push(element as StreamRecord);
          target.processElement(element as StreamRecord);
        }
      }
      if (buffer.pos === elements.length) {
        input.queue.shift();
        this.host.returnCredit(input.channel);
      }
    }
    return task.active && (gate.hasData || this.#replayPos < this.#replay.length) ? MORE : IDLE_STATUS;
  }

  #onEvent(input: number, event: NetworkEvent): void {
    const valve = this.#valve;
    switch (event.kind) {
      case 'watermark':
        return valve.inputWatermark(input, (event as WatermarkElement).timestamp);
      case 'status':
        return valve.inputStatus(input, (event as WatermarkStatusElement).idle);
      case 'barrier':
        this.checkpoints.barriers?.onBarrier(input, event as CheckpointBarrier);
        return;
      case 'end-of-data':
        // The step's follow-up comes back to finish, after any busy time.
        if (valve.inputEnded(input) && this.task.lifecycle.kind === 'running') this.task.moveTo({ kind: 'finishing' });
        return;
      case 'end-of-partition':
        this.task.gate.channels[input]!.closed = true;
        this.checkpoints.barriers?.onEndOfPartition(input);
        return;
    }
  }

  #advanceTo(watermark: number): void {
    this.task.noteWatermark(watermark);
    this.#head!.processWatermark(watermark);
  }
}
