/**
 * State backends, with Flink's class names: where a keyed operator's state lives while
 * the job runs, and so what a checkpoint writes. `HashMapStateBackend` keeps state as
 * objects on the heap and snapshots all of it each time. `EmbeddedRocksDBStateBackend`
 * keeps it in RocksDB; with incremental checkpoints a snapshot writes only the files that
 * changed since the last one, which is what Weir's `rocksdb` models (a report's
 * `checkpointedSize` is then what changed, not the whole state). A RocksDB backend without
 * incremental checkpoints writes full snapshots, which for checkpoints is what the hashmap
 * backend does, so Weir runs it as `hashmap`.
 *
 * Weir's RocksDB backend is incremental unless told otherwise, because that is the case
 * the backend is chosen for (Flink's own default for state.backend.incremental is false).
 *
 * @example
 * env.setStateBackend(new EmbeddedRocksDBStateBackend());      // incremental: 'rocksdb'
 * env.setStateBackend(new EmbeddedRocksDBStateBackend(false)); // full snapshots: runs as 'hashmap'
 */
import type { StateBackendKind } from '../../graph/index.ts';

/** What `env.setStateBackend` accepts (Flink's StateBackend). */
export interface StateBackend {
  /** The backend Weir runs (a scenario file's `config.stateBackend`). */
  readonly kind: StateBackendKind;
  /** Flink's StateBackend.getName. */
  getName(): string;
}

/** State on the heap, full snapshots: Flink's default backend. */
export class HashMapStateBackend implements StateBackend {
  readonly kind: StateBackendKind = 'hashmap';

  getName(): string {
    return 'HashMapStateBackend';
  }
}

/** State in RocksDB; with `incremental` (default true here) each checkpoint writes only what changed. */
export class EmbeddedRocksDBStateBackend implements StateBackend {
  readonly kind: StateBackendKind;

  constructor(readonly incremental = true) {
    if (typeof incremental !== 'boolean') throw new RangeError(`EmbeddedRocksDBStateBackend: incremental must be true or false, found ${JSON.stringify(incremental)}`);
    this.kind = incremental ? 'rocksdb' : 'hashmap';
  }

  /** Flink's isIncrementalCheckpointsEnabled. */
  isIncrementalCheckpointsEnabled(): boolean {
    return this.incremental;
  }

  getName(): string {
    return 'EmbeddedRocksDBStateBackend';
  }
}
