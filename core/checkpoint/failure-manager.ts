/**
 * Flink's CheckpointFailureManager: how many checkpoints may fail in a row before the job
 * is failed over (execution.checkpointing.tolerable-failed-checkpoints). Only failures
 * that say something is wrong count: an expired checkpoint, a snapshot that failed, a
 * declined one. A checkpoint given up because a task failed, because a newer one was
 * faster, or because an input ended does not count. Each checkpoint counts once, a
 * failure of a checkpoint no newer than the last completed one does not count, and both a
 * completed checkpoint and the failover the count asked for set the count back to zero.
 */

/** Failure reasons that count against tolerableFailures, as Flink counts them. */
const COUNTED = new Set(['IO_EXCEPTION', 'CHECKPOINT_ASYNC_EXCEPTION', 'CHECKPOINT_DECLINED', 'CHECKPOINT_EXPIRED']);

export function isCountedFailure(reason: string): boolean {
  return COUNTED.has(reason);
}

export class CheckpointFailureManager {
  #continuous = 0;
  readonly #counted = new Set<number>();
  /** The newest completed checkpoint (ids start at 1): what fails at or before it is old news. */
  #lastSucceeded = 0;

  constructor(readonly tolerableFailures: number) {}

  get continuousFailures(): number {
    return this.#continuous;
  }

  /**
   * Records a failed checkpoint; `exceeded` is true when it counted and the count went above
   * the tolerance. Then the job is failed over and the count starts again (Flink's clearCount).
   */
  onFailure(checkpointId: number, reason: string): { counted: boolean; exceeded: boolean } {
    if (!isCountedFailure(reason) || checkpointId <= this.#lastSucceeded || this.#counted.has(checkpointId)) return { counted: false, exceeded: false };
    this.#counted.add(checkpointId);
    this.#continuous++;
    if (this.#continuous <= this.tolerableFailures) return { counted: true, exceeded: false };
    this.#clear();
    return { counted: true, exceeded: true };
  }

  onSuccess(checkpointId: number): void {
    if (checkpointId <= this.#lastSucceeded) return;
    this.#lastSucceeded = checkpointId;
    this.#clear();
  }

  #clear(): void {
    this.#continuous = 0;
    this.#counted.clear();
  }
}
