/**
 * Snapshot and restore of a keyed operator's state and timers, key group by key group.
 * A restore takes, from the key groups of every old subtask, those in the new subtask's
 * range: that is all rescaling needs, since a key never leaves its key group.
 */
import type { JsonValue } from '../model/index.ts';
import type { KeyedStateBackend } from './keyed-state.ts';
import type { KeyGroupSnapshot, TimerEntry } from './snapshot.ts';
import type { InternalTimerService } from './timers.ts';

export function snapshotKeyGroups(backend: KeyedStateBackend, timers: InternalTimerService, keyGroupOf: (key: JsonValue) => number): KeyGroupSnapshot[] {
  const timersByGroup = new Map<number, TimerEntry[]>();
  const add = (domain: 'event' | 'processing') => (t: { timestamp: number; key: JsonValue; keyId: string | number; namespace: string }) => {
    const group = keyGroupOf(t.key);
    let list = timersByGroup.get(group);
    if (list === undefined) timersByGroup.set(group, (list = []));
    list.push({ domain, timestamp: t.timestamp, key: t.key, keyId: t.keyId, namespace: t.namespace });
  };
  timers.listEventTimeTimers().forEach(add('event'));
  timers.listProcessingTimeTimers().forEach(add('processing'));
  const groups = new Set([...backend.keyGroupsWithState(), ...timersByGroup.keys()]);
  return [...groups]
    .sort((a, b) => a - b)
    .map((keyGroup) => ({ keyGroup, entries: backend.snapshotKeyGroup(keyGroup), timers: timersByGroup.get(keyGroup) ?? [] }));
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
