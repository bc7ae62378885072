/**
 * Snapshot and restore of a keyed operator's state and timers, key group by key group.
 * A restore takes, from the key groups of every old subtask, those in the new subtask's
 * range: that is all rescaling needs, since a key never leaves its key group.
 */
import { canonicalJsonLength, type JsonValue } from '../model/index.ts';
import type { KeyedStateBackend } from './keyed-state.ts';
import type { KeyedStateEntry, KeyGroupSnapshot, KeyId, TimerEntry } from './snapshot.ts';
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
  const strings = new StringLengths();
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
      const size = groupSize(keyGroup, version, entries, groupTimers, strings);
      return { keyGroup, version, size, entries, timers: groupTimers };
    });
  lastGroups.clear();
  for (const g of out) lastGroups.set(g.keyGroup, g);
  return out;
}

/**
 * A key group snapshot's size: the canonical JSON length of `{ keyGroup, version, size: 0,
 * entries, timers }`, counted field by field instead of walking the object generically.
 * Every changed group of every checkpoint is sized, and the generic walk (a stack, the
 * keys of each entry, a string per number) cost more than copying the group.
 * @example keyGroupSnapshotSize(3, 1, [], []) // '{"keyGroup":3,"version":1,"size":0,"entries":[],"timers":[]}'.length
 */
export function keyGroupSnapshotSize(keyGroup: number, version: number, entries: readonly KeyedStateEntry[], timers: readonly TimerEntry[]): number {
  return groupSize(keyGroup, version, entries, timers, new StringLengths());
}

function groupSize(keyGroup: number, version: number, entries: readonly KeyedStateEntry[], timers: readonly TimerEntry[], strings: StringLengths): number {
  let size = GROUP_FIELDS + numberLength(keyGroup) + numberLength(version) + arrayPunctuation(entries.length) + arrayPunctuation(timers.length);
  for (const e of entries) {
    // A value left undefined drops its field, as canonical JSON does: rare enough for the generic walk.
    if (e.value === undefined) size += canonicalJsonLength(e as unknown as JsonValue);
    else size += ENTRY_FIELDS + strings.of(e.state) + strings.of(e.namespace) + keyIdLength(e.key) + valueLength(e.value);
  }
  for (const t of timers) {
    size += TIMER_FIELDS + (t.domain === 'event' ? EVENT_LENGTH : PROCESSING_LENGTH) + numberLength(t.timestamp) + valueLength(t.key) + keyIdLength(t.keyId) + strings.of(t.namespace);
  }
  return size;
}

/** `{"keyGroup":,"version":,"size":0,"entries":,"timers":}` without the values of keyGroup, version, entries and timers. */
const GROUP_FIELDS = '{"keyGroup":,"version":,"size":0,"entries":,"timers":}'.length;
const ENTRY_FIELDS = '{"state":,"namespace":,"key":,"value":}'.length;
const TIMER_FIELDS = '{"domain":,"timestamp":,"key":,"keyId":,"namespace":}'.length;
const EVENT_LENGTH = '"event"'.length;
const PROCESSING_LENGTH = '"processing"'.length;

/** Brackets and commas of a list of `n` items. */
function arrayPunctuation(n: number): number {
  return n === 0 ? 2 : n + 1;
}

/** Quoted lengths of the state names and namespaces met in one snapshot: a window's namespace is shared by all its keys. */
class StringLengths {
  readonly #lengths = new Map<string, number>();

  of(s: string): number {
    let n = this.#lengths.get(s);
    if (n === undefined) this.#lengths.set(s, (n = canonicalJsonLength(s)));
    return n;
  }
}

function keyIdLength(id: KeyId): number {
  return typeof id === 'number' ? numberLength(id) : canonicalJsonLength(id);
}

/** Numbers and flat lists of numbers (counters, accumulators) without the generic walk; anything else through it. */
function valueLength(v: JsonValue): number {
  if (typeof v === 'number') return numberLength(v);
  if (!Array.isArray(v)) return canonicalJsonLength(v);
  let n = arrayPunctuation(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    n += typeof x === 'number' ? numberLength(x) : canonicalJsonLength(x);
  }
  return n;
}

/** `String(v).length` (0 for -0 too), without making the string for a safe integer. */
function numberLength(v: number): number {
  if (!Number.isSafeInteger(v)) return String(v).length;
  if (v === 0) return 1;
  let digits = v < 0 ? 2 : 1;
  // Powers of ten are exact doubles up to 1e22, past any safe integer.
  for (let a = Math.abs(v), p = 10; a >= p; p *= 10) digits++;
  return digits;
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
