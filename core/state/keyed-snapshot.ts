/**
 * Snapshot and restore of a keyed operator's state and timers, key group by key group.
 * A restore takes, from the key groups of every old subtask, those in the new subtask's
 * range: that is all rescaling needs, since a key never leaves its key group.
 */
import { canonicalJsonLength, type JsonValue } from '../model/index.ts';
import type { KeyedStateBackend } from './keyed-state.ts';
import type { KeyedStateEntry, KeyGroupSnapshot, TimerEntry } from './snapshot.ts';
import type { InternalTimerService } from './timers.ts';

const NO_ENTRIES: readonly KeyedStateEntry[] = Object.freeze([]);

/** Each backend's last snapshot per key group: a clean group with unchanged timers is the same object again. */
const previous = new WeakMap<KeyedStateBackend, Map<number, KeyGroupSnapshot>>();

function sameTimers(a: readonly TimerEntry[], b: readonly TimerEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.domain !== y.domain || x.timestamp !== y.timestamp || x.keyId !== y.keyId || x.namespace !== y.namespace) return false;
  }
  return true;
}

export function snapshotKeyGroups(backend: KeyedStateBackend, timers: InternalTimerService, keyGroupOf: (key: JsonValue) => number): KeyGroupSnapshot[] {
  let last = previous.get(backend);
  if (last === undefined) previous.set(backend, (last = new Map()));
  const lastGroups = last;
  const timersByGroup = new Map<number, TimerEntry[]>();
  groupTimers(timersByGroup, 'event', timers.listEventTimeTimers(), keyGroupOf);
  groupTimers(timersByGroup, 'processing', timers.listProcessingTimeTimers(), keyGroupOf);
  const state = backend.snapshotKeyGroups();
  const groups = new Set([...state.keys(), ...timersByGroup.keys()]);
  const out = [...groups]
    .sort((a, b) => a - b)
    .map((keyGroup): KeyGroupSnapshot => {
      const entries = state.get(keyGroup) ?? NO_ENTRIES;
      const groupTimers = timersByGroup.get(keyGroup) ?? [];
      const before = lastGroups.get(keyGroup);
      if (before !== undefined && before.entries === entries && sameTimers(before.timers, groupTimers)) return before;
      const version = (before?.version ?? 0) + 1;
      const size = canonicalJsonLength({ keyGroup, version, size: 0, entries, timers: groupTimers } as unknown as JsonValue);
      return { keyGroup, version, size, entries, timers: groupTimers };
    });
  lastGroups.clear();
  for (const g of out) lastGroups.set(g.keyGroup, g);
  return out;
}

/** Adds `timers` of one domain to `into`, by key group, in their order (a module function: snapshots run per checkpoint, and a closure per call is garbage). */
function groupTimers(
  into: Map<number, TimerEntry[]>,
  domain: 'event' | 'processing',
  timers: readonly { timestamp: number; key: JsonValue; keyId: string | number; namespace: string }[],
  keyGroupOf: (key: JsonValue) => number,
): void {
  for (const t of timers) {
    const group = keyGroupOf(t.key);
    let list = into.get(group);
    if (list === undefined) into.set(group, (list = []));
    list.push({ domain, timestamp: t.timestamp, key: t.key, keyId: t.keyId, namespace: t.namespace });
  }
}

/** Restores the key groups of `snapshots` that fall in the backend's range; returns how many it took. */
export function restoreKeyGroups(backend: KeyedStateBackend, timers: InternalTimerService, snapshots: readonly (readonly KeyGroupSnapshot[])[]): number {
  const { start, end } = backend.keyGroupRange;
  const mine: KeyGroupSnapshot[] = [];
  for (const list of snapshots) for (const g of list) if (g.keyGroup >= start && g.keyGroup <= end) mine.push(g);
  mine.sort((a, b) => a.keyGroup - b.keyGroup);
  // Timers of all groups go back in one firing order, so equal times keep theirs.
  const allTimers: TimerEntry[] = [];
  for (const g of mine) {
    backend.restoreKeyGroup(g.keyGroup, g.entries);
    allTimers.push(...g.timers);
  }
  allTimers.sort((a, b) => a.timestamp - b.timestamp);
  timers.restore(allTimers);
  return mine.length;
}
