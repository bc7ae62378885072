/**
 * A checkpoint in flight, Flink's PendingCheckpoint: triggered at the sources, waiting for
 * an acknowledgement (with its snapshot) from every subtask that was running when it was
 * triggered. It ends in one of three ways: every acknowledgement arrived (it becomes a
 * CompletedCheckpoint), a subtask declined or failed or the timeout passed (FAILED), or a
 * newer checkpoint completed first or the job ended (ABORTED).
 */
import type { TaskSnapshot } from './task-snapshot.ts';

/** A subtask attempt a checkpoint waits for. */
export interface TaskRef {
  readonly task: string;
  readonly attempt: number;
}

export class PendingCheckpoint {
  readonly #waiting = new Map<string, number>();
  readonly acknowledged = new Map<string, TaskSnapshot>();
  readonly #acknowledgedBy: TaskRef[] = [];
  readonly #attempts = new Map<string, number>();
  /** Largest alignment time reported by a subtask, ms. */
  alignmentMs = 0;

  constructor(
    readonly id: number,
    readonly triggeredAtMs: number,
    readonly savepoint: boolean,
    tasks: readonly TaskRef[],
  ) {
    for (const t of tasks) this.#waiting.set(t.task, t.attempt);
  }

  /** Records an acknowledgement; false when it is not one this checkpoint waits for (a stale attempt, a second one). */
  acknowledge(ref: TaskRef, snapshot: TaskSnapshot): boolean {
    if (this.#waiting.get(ref.task) !== ref.attempt) return false;
    this.#waiting.delete(ref.task);
    this.acknowledged.set(ref.task, snapshot);
    this.#attempts.set(ref.task, ref.attempt);
    this.#acknowledgedBy.push(ref);
    return true;
  }

  /** A subtask that finished before this checkpoint was triggered: its last snapshot belongs to it (FLIP-147). */
  addFinished(snapshot: TaskSnapshot, attempt: number): void {
    this.acknowledged.set(snapshot.task, { ...snapshot, channelState: [], finished: true });
    this.#attempts.set(snapshot.task, attempt);
  }

  /** Every snapshot with the attempt that took it (for the shared state registry's file names). */
  acknowledgedWithAttempts(): { attempt: number; snapshot: TaskSnapshot }[] {
    return [...this.acknowledged.values()].map((snapshot) => ({ attempt: this.#attempts.get(snapshot.task) ?? 0, snapshot }));
  }

  waitsFor(ref: TaskRef): boolean {
    return this.#waiting.get(ref.task) === ref.attempt;
  }

  get fullyAcknowledged(): boolean {
    return this.#waiting.size === 0;
  }

  get pendingTasks(): string[] {
    return [...this.#waiting.keys()];
  }

  /** The attempts that acknowledged, in the order they did. */
  get acknowledgedBy(): readonly TaskRef[] {
    return this.#acknowledgedBy;
  }
}
