/**
 * Flink's CheckpointFailureManager: how many checkpoints may fail in a row before the job
 * is failed over (execution.checkpointing.tolerable-failed-checkpoints). Only failures
 * that say something is wrong count: an expired checkpoint, a snapshot that failed, a
 * declined one. A checkpoint given up because a task failed, because a newer one was
 * faster, or because an input ended does not count. Each checkpoint counts once, and a
 * completed checkpoint sets the count back to zero.
 */

/** Failure reasons that count against tolerableFailures, as Flink counts them. */
const COUNTED = new Set(['IO_EXCEPTION', 'CHECKPOINT_ASYNC_EXCEPTION', 'CHECKPOINT_DECLINED', 'CHECKPOINT_EXPIRED']);

export function isCountedFailure(reason: string): boolean {
  return COUNTED.has(reason);
}

export class CheckpointFailureManager {
  #continuous = 0;
  readonly #counted = new Set<number>();

  constructor(readonly tolerableFailures: number) {}

  get continuousFailures(): number {
    return this.#continuous;
  }

  /** Records a failed checkpoint; returns true when it counted and the count is now above the tolerance. */
  onFailure(checkpointId: number, reason: string): { counted: boolean; exceeded: boolean } {
    if (!isCountedFailure(reason) || this.#counted.has(checkpointId)) return { counted: false, exceeded: false };
    this.#counted.add(checkpointId);
    this.#continuous++;
    return { counted: true, exceeded: this.#continuous > this.tolerableFailures };
  }

  onSuccess(checkpointId: number): void {
    this.#continuous = 0;
    for (const id of this.#counted) if (id < checkpointId) this.#counted.delete(id);
  }
}
