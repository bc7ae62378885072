/**
 * What a snapshot of one operator's state is, as plain data: its keyed state and timers
 * split by key group, and its operator state (a source's offsets, say). Plain data, so a
 * checkpoint can be stored, sized, hashed, sent to the browser's storage and read back;
 * split by key group, so that a job restored with another parallelism hands whole key
 * groups to their new subtasks, as Flink's KeyGroupsStateHandle does.
 *
 * Values are deep copies taken at the snapshot: later writes to the live state never
 * reach a snapshot (the live state mutates in place; the snapshot owns its own copy).
 */
import type { JsonValue } from '../model/index.ts';

/**
 * How a key is stored: numbers and strings as themselves (no string to build per record),
 * any other JSON key as its canonical text behind a marker character; a string key that
 * itself starts with the marker gets a second one, so different keys never share an id.
 */
export type KeyId = number | string;

export interface KeyedStateEntry {
  readonly state: string;
  readonly namespace: string;
  readonly key: KeyId;
  readonly value: JsonValue;
}

export interface TimerEntry {
  readonly domain: 'event' | 'processing';
  readonly timestamp: number;
  readonly key: JsonValue;
  readonly keyId: KeyId;
  readonly namespace: string;
}

/**
 * One key group's keyed state and timers. `version` goes up each time the group changed
 * between two snapshots of the same subtask attempt: an unchanged group is the same
 * object in both, which is what an incremental (RocksDB-like) checkpoint does not write
 * again. `size` is its canonical JSON length in bytes.
 */
export interface KeyGroupSnapshot {
  readonly keyGroup: number;
  readonly version: number;
  readonly size: number;
  readonly entries: readonly KeyedStateEntry[];
  readonly timers: readonly TimerEntry[];
}

export interface OperatorSnapshot {
  readonly operator: string;
  /** Key groups in increasing order; empty for an operator that is not keyed. */
  readonly keyGroups: readonly KeyGroupSnapshot[];
  /** The operator's own (non-keyed) state, or null. */
  readonly operatorState: JsonValue;
}

/** Orders key ids as snapshots list them: numbers first, by value; then strings. */
export function compareKeyIds(a: KeyId, b: KeyId): number {
  if (typeof a === 'number') return typeof b === 'number' ? a - b : -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
