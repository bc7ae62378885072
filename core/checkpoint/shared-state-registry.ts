/**
 * Incremental checkpoints, as the RocksDB state backend makes them: the state is kept in
 * immutable files, and a checkpoint uploads only the files that are new since the last
 * one and refers to the others. Here a "file" is one version of one key group of one
 * operator of one subtask attempt; a checkpoint whose key group did not change since the
 * attempt's last snapshot refers to the same version, and writes nothing for it. The
 * SharedStateRegistry counts the checkpoints that refer to each file and deletes a file
 * when the last of them is discarded.
 */
import { canonicalJsonLength, type JsonValue } from '../model/index.ts';
import type { TaskSnapshot } from './task-snapshot.ts';

export class SharedStateRegistry {
  /** File key -> number of retained checkpoints that refer to it. */
  readonly #refs = new Map<string, number>();
  /** Checkpoint id -> the file keys it refers to. */
  readonly #filesOf = new Map<number, string[]>();

  /** Registers a checkpoint's files; returns the bytes that had to be written (the new files, plus its non-keyed state). */
  register(checkpointId: number, tasks: Iterable<{ readonly attempt: number; readonly snapshot: TaskSnapshot }>): number {
    let written = 0;
    const files: string[] = [];
    for (const { attempt, snapshot: t } of tasks) {
      for (const op of t.operators) {
        for (const group of op.keyGroups) {
          const key = `${t.task}@${attempt}/${op.operator}/${group.keyGroup}#${group.version}`;
          const refs = this.#refs.get(key) ?? 0;
          if (refs === 0) written += group.size;
          this.#refs.set(key, refs + 1);
          files.push(key);
        }
        written += canonicalJsonLength(op.operatorState);
      }
      for (const c of t.channelState) written += canonicalJsonLength(c.records as unknown as JsonValue);
    }
    this.#filesOf.set(checkpointId, files);
    return written;
  }

  /** A checkpoint was discarded: its files lose a reference, and go when none is left. */
  unregister(checkpointId: number): void {
    for (const key of this.#filesOf.get(checkpointId) ?? []) {
      const refs = this.#refs.get(key)! - 1;
      if (refs === 0) this.#refs.delete(key);
      else this.#refs.set(key, refs);
    }
    this.#filesOf.delete(checkpointId);
  }

  /** Files kept now. */
  get files(): number {
    return this.#refs.size;
  }
}
