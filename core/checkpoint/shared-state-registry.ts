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

/** The files of one operator of one subtask attempt: key group -> version -> number of retained checkpoints that refer to it. */
type OperatorFiles = Map<number, Map<number, number>>;

/** The files of one operator that one checkpoint refers to, as (key group, version) pairs, flat. */
interface OperatorRefs {
  readonly owner: string;
  readonly files: OperatorFiles;
  readonly groups: number[];
}

export class SharedStateRegistry {
  /**
   * `task@attempt/operator` -> its files. A checkpoint refers to a file per key group, so
   * the path is built once per operator and a file is found by numbers.
   */
  readonly #refs = new Map<string, OperatorFiles>();
  /** Checkpoint id -> the files it refers to. */
  readonly #filesOf = new Map<number, OperatorRefs[]>();
  #files = 0;

  /** Registers a checkpoint's files; returns the bytes that had to be written (the new files, plus its non-keyed state). */
  register(checkpointId: number, tasks: Iterable<{ readonly attempt: number; readonly snapshot: TaskSnapshot }>): number {
    let written = 0;
    const refersTo: OperatorRefs[] = [];
    for (const { attempt, snapshot: t } of tasks) {
      for (const op of t.operators) {
        if (op.keyGroups.length > 0) {
          const owner = `${t.task}@${attempt}/${op.operator}`;
          let files = this.#refs.get(owner);
          if (files === undefined) this.#refs.set(owner, (files = new Map()));
          const groups: number[] = [];
          for (const group of op.keyGroups) {
            let versions = files.get(group.keyGroup);
            if (versions === undefined) files.set(group.keyGroup, (versions = new Map()));
            const refs = versions.get(group.version) ?? 0;
            if (refs === 0) {
              written += group.size;
              this.#files++;
            }
            versions.set(group.version, refs + 1);
            groups.push(group.keyGroup, group.version);
          }
          refersTo.push({ owner, files, groups });
        }
        written += canonicalJsonLength(op.operatorState);
      }
      for (const c of t.channelState) written += canonicalJsonLength(c.records as unknown as JsonValue);
    }
    this.#filesOf.set(checkpointId, refersTo);
    return written;
  }

  /** A checkpoint was discarded: its files lose a reference, and go when none is left. */
  unregister(checkpointId: number): void {
    for (const { owner, files, groups } of this.#filesOf.get(checkpointId) ?? []) {
      for (let i = 0; i < groups.length; i += 2) {
        const versions = files.get(groups[i]!)!;
        const version = groups[i + 1]!;
        const refs = versions.get(version)! - 1;
        if (refs > 0) {
          versions.set(version, refs);
          continue;
        }
        versions.delete(version);
        this.#files--;
        if (versions.size === 0) files.delete(groups[i]!);
      }
      // An attempt's files all go once its last checkpoint does: a restarted job does not keep their paths.
      if (files.size === 0 && this.#refs.get(owner) === files) this.#refs.delete(owner);
    }
    this.#filesOf.delete(checkpointId);
  }

  /** Files kept now. */
  get files(): number {
    return this.#files;
  }
}
