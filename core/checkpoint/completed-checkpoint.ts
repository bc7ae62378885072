/**
 * A completed checkpoint, Flink's CompletedCheckpoint: every subtask's snapshot of one
 * consistent cut through the job. The store keeps the newest `retained` of them (Flink's
 * state.checkpoints.num-retained) and every savepoint; a restore takes the latest.
 */
import { assert } from '../kernel/index.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export interface CompletedCheckpoint {
  readonly id: number;
  readonly savepoint: boolean;
  readonly triggeredAtMs: number;
  readonly completedAtMs: number;
  /** By subtask id. */
  readonly tasks: ReadonlyMap<string, TaskSnapshot>;
  /** Bytes of state in it. */
  readonly stateSize: number;
  /** Bytes written for it (all of it, or the changed part for an incremental checkpoint). */
  readonly checkpointedSize: number;
}

export class CompletedCheckpointStore {
  readonly #checkpoints: CompletedCheckpoint[] = [];
  readonly #savepoints: CompletedCheckpoint[] = [];

  constructor(
    private readonly retained: number,
    /** Called for each checkpoint the store drops (its shared state loses a reference). */
    private readonly onDiscard: (checkpoint: CompletedCheckpoint) => void,
  ) {}

  add(checkpoint: CompletedCheckpoint): void {
    if (checkpoint.savepoint) {
      // Savepoints are never subsumed, so they can complete out of order: keep them by id,
      // so that the latest is the newest cut, not the one that happened to finish last.
      const at = this.#savepoints.findIndex((s) => s.id > checkpoint.id);
      this.#savepoints.splice(at === -1 ? this.#savepoints.length : at, 0, checkpoint);
      return;
    }
    // A completed checkpoint subsumes every older pending one, so checkpoints arrive in id order.
    const last = this.#checkpoints.at(-1);
    assert(last === undefined || last.id < checkpoint.id, () => `checkpoint ${checkpoint.id} completed after checkpoint ${last!.id}`);
    this.#checkpoints.push(checkpoint);
    while (this.#checkpoints.length > this.retained) this.onDiscard(this.#checkpoints.shift()!);
  }

  /**
   * What a failover restores: the newest completed checkpoint, or the savepoint the job was
   * started from when no checkpoint has completed since. Other savepoints are not used for
   * recovery, as in Flink since 1.15 (a savepoint belongs to the user, not to the job).
   */
  latest(): CompletedCheckpoint | null {
    const c = this.#checkpoints.at(-1) ?? null;
    const s = this.#restoredFrom;
    if (c === null) return s;
    if (s === null) return c;
    return c.id > s.id ? c : s;
  }

  #restoredFrom: CompletedCheckpoint | null = null;

  /** The job was (re)started from this savepoint: it is the restore point until a checkpoint completes. */
  restoredFrom(savepoint: CompletedCheckpoint): void {
    this.#restoredFrom = savepoint;
  }

  latestSavepoint(): CompletedCheckpoint | null {
    return this.#savepoints.at(-1) ?? null;
  }

  /** Retained checkpoints, oldest first. */
  get retainedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.#checkpoints;
  }
}
