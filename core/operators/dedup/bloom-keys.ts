/**
 * A dedup's memory as Bloom filters, one per key group. Splitting by key group is what
 * makes the filter behave like keyed state: a checkpoint holds each key group's filter, and
 * a restored or rescaled subtask takes the filters of the key groups it now owns (every
 * old subtask's operator state reaches every new one, as Flink's union list state does).
 * Since a key group's filter only ever sees that group's keys, in that group's order, its
 * drops do not depend on how many subtasks share the groups.
 *
 * Beside each filter is the ground truth: the exact set of keys the group has seen, kept
 * only to tell a false positive (dropped, never seen) from a true duplicate. It is a
 * measuring instrument, not part of what a Bloom filter costs; it lives in the same
 * snapshot so that the count stays right across a restore.
 */
import { assert } from '../../kernel/index.ts';
import type { JsonValue } from '../../model/index.ts';
import type { KeyGroupRange } from '../../state/index.ts';
import type { DedupMetrics, DedupShape } from '../../world/index.ts';
import { bitsPerKeyGroup, bloomSizing, hashFunctionsPerKeyGroup } from './bloom-sizing.ts';
import { BloomFilter, keyHashes } from './bloom-filter.ts';
import { exactSetEntryBytes } from './dedup-spec.ts';

/** What a record's key turned out to be. */
export type Verdict = 'new' | 'duplicate' | 'false-positive';

interface GroupState {
  readonly filter: BloomFilter;
  /** The ground truth: canonical JSON of every key seen, in arrival order. */
  readonly keys: Set<string>;
  bytes: number;
  /** The group's last snapshot, reused while nothing changed. */
  snapshot: GroupSnapshot | null;
}

interface GroupSnapshot {
  readonly keyGroup: number;
  /** The filter's 32-bit words, little-endian, base64. */
  readonly bits: string;
  readonly keys: string[];
}

/** The operator state of one subtask (JSON in a checkpoint). */
interface BloomState {
  readonly bitsPerGroup: number;
  readonly hashFunctions: number;
  readonly groups: GroupSnapshot[];
}

export class BloomKeys {
  readonly shape: DedupShape;
  readonly #bitsPerGroup: number;
  readonly #hashFunctions: number;
  readonly #groups = new Map<number, GroupState>();
  #metrics: DedupMetrics | null = null;

  constructor(expectedItems: number, falsePositiveRate: number, maxParallelism: number) {
    const sizing = bloomSizing(expectedItems, falsePositiveRate);
    const hashFunctions = hashFunctionsPerKeyGroup(sizing, expectedItems, maxParallelism);
    this.#bitsPerGroup = bitsPerKeyGroup(sizing.bits, maxParallelism);
    this.#hashFunctions = hashFunctions;
    this.shape = {
      mode: 'bloom',
      bits: this.#bitsPerGroup * maxParallelism,
      hashFunctions,
      filterBytes: Math.ceil(this.#bitsPerGroup / 32) * 4 * maxParallelism,
      maxParallelism,
    };
  }

  /** Takes, from every old subtask's state, the key groups in `range`, and publishes their counts. */
  open(range: KeyGroupRange, restored: readonly JsonValue[] | null, metrics: DedupMetrics): void {
    this.#metrics = metrics;
    for (const raw of restored ?? []) {
      const state = raw as unknown as BloomState;
      assert(
        state.bitsPerGroup === this.#bitsPerGroup && state.hashFunctions === this.#hashFunctions,
        () => `the restored Bloom filter has ${state.bitsPerGroup} bits and ${state.hashFunctions} hash functions per key group, this dedup ${this.#bitsPerGroup} and ${this.#hashFunctions}`,
      );
      for (const g of state.groups) {
        if (g.keyGroup < range.start || g.keyGroup > range.end) continue;
        assert(!this.#groups.has(g.keyGroup), () => `key group ${g.keyGroup} restored twice`);
        const keys = new Set(g.keys);
        let bytes = 0;
        for (const k of keys) bytes += exactSetEntryBytes(k);
        this.#groups.set(g.keyGroup, { filter: BloomFilter.decode(g.bits, this.#bitsPerGroup, this.#hashFunctions), keys, bytes, snapshot: g });
      }
    }
    for (let g = range.start; g <= range.end; g++) {
      const state = this.#groups.get(g);
      metrics.setKeyGroup(g, state?.keys.size ?? 0, state?.bytes ?? 0);
    }
  }

  /** Tests the key against its group's filter and adds it. `keyText` is its canonical JSON. */
  observe(keyGroup: number, keyText: string): Verdict {
    let group = this.#groups.get(keyGroup);
    if (group === undefined) {
      group = { filter: new BloomFilter(this.#bitsPerGroup, this.#hashFunctions), keys: new Set(), bytes: 0, snapshot: null };
      this.#groups.set(keyGroup, group);
    }
    const wasSet = group.filter.add(keyHashes(keyText));
    if (wasSet && group.keys.has(keyText)) return 'duplicate';
    // A Bloom filter has no false negatives: a key it says is new was never added.
    assert(wasSet || !group.keys.has(keyText), () => `Bloom filter false negative for key ${keyText} in key group ${keyGroup}`);
    const bytes = exactSetEntryBytes(keyText);
    group.keys.add(keyText);
    group.bytes += bytes;
    group.snapshot = null;
    this.#metrics!.addKey(keyGroup, bytes);
    return wasSet ? 'false-positive' : 'new';
  }

  /** The filters and ground truth of the key groups this subtask holds, in key-group order. */
  snapshot(): JsonValue {
    const groups: GroupSnapshot[] = [];
    for (const keyGroup of [...this.#groups.keys()].sort((a, b) => a - b)) {
      const group = this.#groups.get(keyGroup)!;
      group.snapshot ??= { keyGroup, bits: group.filter.encode(), keys: [...group.keys] };
      groups.push(group.snapshot);
    }
    const state: BloomState = { bitsPerGroup: this.#bitsPerGroup, hashFunctions: this.#hashFunctions, groups };
    return state as unknown as JsonValue;
  }
}
