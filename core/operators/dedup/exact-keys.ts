/**
 * A dedup's memory as an exact set: one keyed-state entry per key seen, in the keyed state
 * backend like any other keyed state, so checkpoints, restores and rescaling carry it by
 * key group with no code of its own. It never drops a record wrongly; what it costs is
 * memory that grows with every distinct key, which is the comparison the Bloom filter is
 * there to make.
 */
import type { KeyedStateBackend } from '../../state/index.ts';
import type { DedupMetrics, DedupShape } from '../../world/index.ts';
import type { Verdict } from './bloom-keys.ts';
import { exactSetEntryBytes } from './dedup-spec.ts';

/** The keyed state the set is kept in (a ValueState holding `true`). */
export const SEEN_STATE = 'dedup.seen';

export class ExactKeys {
  readonly shape: DedupShape;
  #metrics: DedupMetrics | null = null;

  constructor(maxParallelism: number) {
    this.shape = { mode: 'exact', bits: null, hashFunctions: null, filterBytes: null, maxParallelism };
  }

  /** Publishes the counts of the key groups this subtask owns, from what the backend restored. */
  open(backend: KeyedStateBackend, metrics: DedupMetrics): void {
    this.#metrics = metrics;
    const { start, end } = backend.keyGroupRange;
    const keys = new Map<number, number>();
    const bytes = new Map<number, number>();
    for (const e of backend.entries()) {
      if (e.state !== SEEN_STATE) continue;
      keys.set(e.keyGroup, (keys.get(e.keyGroup) ?? 0) + 1);
      bytes.set(e.keyGroup, (bytes.get(e.keyGroup) ?? 0) + exactSetEntryBytes(e.key));
    }
    for (let g = start; g <= end; g++) metrics.setKeyGroup(g, keys.get(g) ?? 0, bytes.get(g) ?? 0);
  }

  /** The backend's current key is the record's: has it been seen? Adds it if not. */
  observe(backend: KeyedStateBackend): Verdict {
    if (backend.get(SEEN_STATE) !== undefined) return 'duplicate';
    backend.put(SEEN_STATE, true);
    this.#metrics!.addKey(backend.currentKeyGroup, exactSetEntryBytes(backend.currentKeyString));
    return 'new';
  }
}
