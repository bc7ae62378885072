/**
 * Keyed state, as Flink's hashmap state backend keeps it. Every value belongs to a key
 * (the key of the record being processed) and a namespace (a window, or a fixed default
 * for a plain keyed process function), and lives in the key group of its key. Organising
 * state by key group is what lets a checkpoint be split and redistributed when the job is
 * rescaled: whole key groups move, keys never split.
 *
 * Values are JSON so that a snapshot is plain data. Map iteration is made deterministic
 * by sorting wherever order becomes visible.
 */
import { assert } from '../kernel/index.ts';
import { canonicalJson, cloneJson, type JsonValue } from '../model/index.ts';
import { compareKeyIds, type KeyedStateEntry, type KeyId } from './snapshot.ts';

export type { KeyId } from './snapshot.ts';

/** The namespace of state that is not scoped to a window (Flink's VoidNamespace). */
export const DEFAULT_NAMESPACE = '';

/** An inclusive range of key groups owned by one subtask. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

const MARK = '\u0001';

export function keyIdOf(key: JsonValue): KeyId {
  if (typeof key === 'number') return key;
  if (typeof key === 'string') return key.charCodeAt(0) === 1 ? MARK + key : key;
  return MARK + canonicalJson(key);
}

function keyTextOf(id: KeyId): string {
  if (typeof id === 'number') return canonicalJson(id);
  if (id.charCodeAt(0) !== 1) return canonicalJson(id);
  return id.charCodeAt(1) === 1 ? canonicalJson(id.slice(1)) : id.slice(1);
}

/** Where an incremental cleanup's walk stands: one entry of one state. */
interface CleanupEntry {
  readonly slots: Slots;
  readonly index: number;
  readonly keyId: KeyId;
}

/**
 * The values of one namespace of one state, split by key group (index: key group - the
 * range's start). The array is indexed, not a Map: a record's lookup is then the (usually
 * cached) namespace, an array read and one Map get.
 */
interface Slots {
  readonly table: Map<string, Slots>;
  readonly namespace: string;
  readonly groups: (Map<KeyId, JsonValue> | undefined)[];
  /** Key groups of `groups` that hold a value: the namespace goes when none does. */
  live: number;
  /** Entries in all of `groups`. */
  size: number;
}

/**
 * Laid out as state -> namespace -> key group -> key -> value: consecutive records mostly
 * touch the same state and namespace (a window), so that part of the lookup is cached, and
 * a snapshot still splits by key group in one pass.
 */
export class KeyedStateBackend {
  readonly #states = new Map<string, Map<string, Slots>>();
  readonly #start: number;
  /** Entries per key group (index: key group - start): which groups hold state, and the size. */
  readonly #counts: Int32Array;
  /**
   * Key groups touched since their last snapshot. Reads count too: values are mutated in
   * place (a list appended to), so a group read may have changed. One byte per key group,
   * so marking costs a store per access.
   */
  readonly #dirty: Uint8Array;
  /** Each group's last snapshot, reused while the group is clean (copy-on-write by group). */
  readonly #lastSnapshot = new Map<number, KeyedStateEntry[]>();
  /**
   * Per state, what a full snapshot writes instead of a live value (Flink's
   * StateSnapshotTransformer): a TTL state with cleanupFullSnapshot leaves its expired
   * values out. The transform returns the value itself when it keeps it whole, a new value
   * when it keeps part (a list's unexpired elements), undefined when it keeps nothing.
   */
  readonly #snapshotTransforms = new Map<string, (value: JsonValue) => JsonValue | undefined>();
  #key: JsonValue = null;
  #keyId: KeyId = 'null';
  #keyString: string | null = null;
  #keyGroup = -1;
  #index = -1;
  #namespace = DEFAULT_NAMESPACE;

  constructor(
    readonly keyGroupRange: KeyGroupRange,
    /** The key group of a key (memoised): snapshots reuse it to split timers by group. */
    readonly keyGroupOf: (key: JsonValue) => number,
  ) {
    this.#start = keyGroupRange.start;
    this.#counts = new Int32Array(keyGroupRange.end - keyGroupRange.start + 1);
    this.#dirty = new Uint8Array(keyGroupRange.end + 1);
  }

  /** Sets the key that following state accesses are scoped to (Flink's setCurrentKey). */
  setCurrentKey(key: JsonValue): void {
    const group = this.keyGroupOf(key);
    if (group < this.keyGroupRange.start || group > this.keyGroupRange.end) this.#outOfRange(key, group);
    this.#key = key;
    this.#keyId = typeof key === 'number' ? key : keyIdOf(key);
    this.#keyString = null;
    this.#keyGroup = group;
    this.#index = group - this.#start;
    if (this.#everyRecord !== null) for (const state of this.#everyRecord) this.cleanupStep(state);
  }

  #outOfRange(key: JsonValue, group: number): never {
    assert(false, `key ${canonicalJson(key)} is in key group ${group}, outside this subtask's range ${this.keyGroupRange.start}..${this.keyGroupRange.end}`);
  }

  get currentKey(): JsonValue {
    return this.#key;
  }

  /** The canonical JSON of the current key (a stable map key), computed when asked for. */
  get currentKeyString(): string {
    return (this.#keyString ??= canonicalJson(this.#key));
  }

  /** The current key as state and timers store it (see KeyId). */
  get currentKeyId(): KeyId {
    return this.#keyId;
  }

  get currentKeyGroup(): number {
    return this.#keyGroup;
  }

  setCurrentNamespace(namespace: string): void {
    this.#namespace = namespace;
  }

  get currentNamespace(): string {
    return this.#namespace;
  }

  // The last (state, namespace) looked up: a record usually reads and then writes the same
  // state, and consecutive records mostly fall in the same window.
  #lastState = '';
  #lastNamespace = '';
  #lastSlots: Slots | null = null;

  #slots(stateName: string, create: boolean): Slots | undefined {
    const last = this.#lastSlots;
    if (last !== null && this.#lastState === stateName && this.#lastNamespace === this.#namespace) return last;
    if (this.#keyGroup < 0) assert(false, `state '${stateName}' accessed without a current key: keyed state needs a keyed stream`);
    let table = this.#states.get(stateName);
    if (table === undefined) {
      if (!create) return undefined;
      this.#states.set(stateName, (table = new Map()));
    }
    let slots = table.get(this.#namespace);
    if (slots === undefined) {
      if (!create) return undefined;
      table.set(this.#namespace, (slots = { table, namespace: this.#namespace, groups: [], live: 0, size: 0 }));
    }
    this.#lastState = stateName;
    this.#lastNamespace = this.#namespace;
    this.#lastSlots = slots;
    return slots;
  }

  get(stateName: string): JsonValue | undefined {
    this.#dirty[this.#keyGroup] = 1;
    return this.#slots(stateName, false)?.groups[this.#index]?.get(this.#keyId);
  }

  put(stateName: string, value: JsonValue): void {
    this.#dirty[this.#keyGroup] = 1;
    const slots = this.#slots(stateName, true)!;
    const index = this.#index;
    let values = slots.groups[index];
    if (values === undefined) {
      slots.groups[index] = values = new Map();
      slots.live++;
    }
    const before = values.size;
    values.set(this.#keyId, value);
    if (values.size !== before) {
      this.#counts[index]!++;
      slots.size++;
    }
  }

  remove(stateName: string): void {
    this.#dirty[this.#keyGroup] = 1;
    const slots = this.#slots(stateName, false);
    const index = this.#index;
    const values = slots?.groups[index];
    if (values !== undefined) this.#delete(slots!, index, values, this.#keyId);
  }

  /**
   * Removes every entry of state `stateName` in `namespace`, for every key, if it holds
   * exactly `count` of them; returns whether it did. For a caller that has removed, in its
   * own terms, `count` distinct keys it knows are there (a window's keys at its cleanup):
   * when that is all of the namespace, it goes in one step, key group by key group, rather
   * than by a Map delete per key. The current key and namespace stay as they were.
   * @example if (!backend.removeNamespaceOf('window-contents', '0,1000', fired)) for (const key of firedKeys) { backend.setCurrentKey(key); backend.remove('window-contents'); }
   */
  removeNamespaceOf(stateName: string, namespace: string, count: number): boolean {
    const slots = this.#states.get(stateName)?.get(namespace);
    if (slots === undefined) return count === 0;
    if (slots.size !== count) return false;
    const groups = slots.groups;
    for (let i = 0; i < groups.length; i++) {
      const values = groups[i];
      if (values === undefined) continue;
      this.#counts[i]! -= values.size;
      this.#dirty[this.#start + i] = 1;
    }
    // Emptied too, for a cleanup walk that still holds the namespace (#walk).
    groups.length = 0;
    slots.live = 0;
    slots.size = 0;
    slots.table.delete(namespace);
    if (this.#lastSlots === slots) this.#lastSlots = null;
    return true;
  }

  /** Entries of every state in every key group, sorted: for snapshots, reports and tests. */
  entries(): { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] {
    const out: { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] = [];
    for (const [state, table] of this.#states) {
      for (const [namespace, slots] of table) {
        const groups = slots.groups;
        for (let i = 0; i < groups.length; i++) {
          const values = groups[i];
          if (values !== undefined) for (const [id, value] of values) out.push({ keyGroup: this.#start + i, state, key: keyTextOf(id), namespace, value });
        }
      }
    }
    return out.sort((a, b) => a.keyGroup - b.keyGroup || cmp(a.state, b.state) || cmp(a.key, b.key) || cmp(a.namespace, b.namespace));
  }

  /**
   * Every key group's state that holds any, as key group -> entries sorted by (state,
   * namespace, key). Groups untouched since the last snapshot give the same list again;
   * the others are deep copies, which is what makes the snapshot safe from later in-place
   * writes. One pass over the state, however many groups changed.
   */
  snapshotKeyGroups(): Map<number, readonly KeyedStateEntry[]> {
    const out = new Map<number, readonly KeyedStateEntry[]>();
    const fresh = new Map<number, KeyedStateEntry[]>();
    const counts = this.#counts;
    const transforms = this.#snapshotTransforms;
    if (transforms.size > 0) this.#markTransformedGroups();
    for (let i = 0; i < counts.length; i++) {
      const keyGroup = this.#start + i;
      if (counts[i] === 0) {
        this.#lastSnapshot.delete(keyGroup);
        this.#dirty[keyGroup] = 0;
        continue;
      }
      const last = this.#lastSnapshot.get(keyGroup);
      if (last !== undefined && this.#dirty[keyGroup] === 0) out.set(keyGroup, last);
      else {
        const list: KeyedStateEntry[] = [];
        fresh.set(keyGroup, list);
        out.set(keyGroup, list);
      }
    }
    if (fresh.size > 0) {
      for (const [state, table] of this.#states) {
        const transform = transforms.get(state);
        for (const [namespace, slots] of table) {
          const groups = slots.groups;
          for (let i = 0; i < groups.length; i++) {
            const values = groups[i];
            if (values === undefined) continue;
            const list = fresh.get(this.#start + i);
            if (list === undefined) continue;
            if (transform === undefined) for (const [key, value] of values) list.push({ state, namespace, key, value: snapshotCopy(value) });
            else pushTransformed(list, state, namespace, values, transform);
          }
        }
      }
      for (const [keyGroup, list] of fresh) {
        list.sort((a, b) => cmp(a.state, b.state) || cmp(a.namespace, b.namespace) || compareKeyIds(a.key, b.key));
        this.#dirty[keyGroup] = 0;
        this.#lastSnapshot.set(keyGroup, list);
      }
    }
    return out;
  }

  /**
   * Registers what snapshots write for state `name` (see #snapshotTransforms). Only states
   * that ask for it pay for it: each snapshot first looks at their values to find the
   * groups a transform changes, since a clean group's last snapshot may now hold values the
   * transform drops.
   */
  setSnapshotTransform(stateName: string, transform: (value: JsonValue) => JsonValue | undefined): void {
    this.#snapshotTransforms.set(stateName, transform);
  }

  /** Marks dirty the key groups where a snapshot transform changes something, so they are copied again (through the transform). */
  #markTransformedGroups(): void {
    for (const [state, transform] of this.#snapshotTransforms) {
      const table = this.#states.get(state);
      if (table === undefined) continue;
      for (const slots of table.values()) {
        const groups = slots.groups;
        for (let i = 0; i < groups.length; i++) {
          const values = groups[i];
          if (values === undefined || this.#dirty[this.#start + i] === 1) continue;
          for (const value of values.values()) {
            if (transform(value) !== value) {
              this.#dirty[this.#start + i] = 1;
              break;
            }
          }
        }
      }
    }
  }

  /** Key groups that hold state, in increasing order. */
  keyGroupsWithState(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#counts.length; i++) if (this.#counts[i]! > 0) out.push(this.#start + i);
    return out;
  }

  /** Puts a key group's entries back (a restore): each value is copied, so the snapshot stays intact. */
  restoreKeyGroup(keyGroup: number, entries: readonly KeyedStateEntry[]): void {
    assert(keyGroup >= this.keyGroupRange.start && keyGroup <= this.keyGroupRange.end, () => `key group ${keyGroup} is outside this subtask's range ${this.keyGroupRange.start}..${this.keyGroupRange.end}`);
    const index = keyGroup - this.#start;
    for (const e of entries) {
      let table = this.#states.get(e.state);
      if (table === undefined) this.#states.set(e.state, (table = new Map()));
      let slots = table.get(e.namespace);
      if (slots === undefined) table.set(e.namespace, (slots = { table, namespace: e.namespace, groups: [], live: 0, size: 0 }));
      let values = slots.groups[index];
      if (values === undefined) {
        slots.groups[index] = values = new Map();
        slots.live++;
      }
      const before = values.size;
      values.set(e.key, cloneJson(e.value));
      if (values.size !== before) {
        this.#counts[index]!++;
        slots.size++;
      }
    }
    this.#dirty[keyGroup] = 1;
    this.#lastSlots = null;
  }

  // ---- Flink's incremental TTL cleanup (heap backend: TtlIncrementalCleanup) ----

  /** Per state with incremental cleanup: how many entries a step checks, what survives of a value, and where the walk is. */
  readonly #cleanups = new Map<string, { size: number; survives: (value: JsonValue) => JsonValue | undefined; walk: Iterator<CleanupEntry> | null }>();
  /** The states that also run a cleanup step on every record (on each setCurrentKey), or null. */
  #everyRecord: string[] | null = null;
  /** Whether the backend runs background cleanup at all: Flink's heap backend does; RocksDB's compaction filter is not modelled. */
  backgroundCleanup = true;

  /**
   * Registers incremental cleanup for `stateName`: each `cleanupStep` checks `size` more of
   * its entries, walking the whole state (every namespace and key group) round and round,
   * and keeps what `survives` leaves of each value (undefined: the entry goes). With
   * `everyRecord`, a step also runs on each setCurrentKey. Ignored when the backend does no
   * background cleanup.
   */
  setIncrementalCleanup(stateName: string, size: number, everyRecord: boolean, survives: (value: JsonValue) => JsonValue | undefined): void {
    if (!this.backgroundCleanup) return;
    this.#cleanups.set(stateName, { size, survives, walk: null });
    if (everyRecord) (this.#everyRecord ??= []).push(stateName);
  }

  /** One step of `stateName`'s incremental cleanup (after an access of it); the current key and namespace stay as they were. */
  cleanupStep(stateName: string): void {
    const cleanup = this.#cleanups.get(stateName);
    if (cleanup === undefined) return;
    for (let i = 0; i < cleanup.size; i++) {
      let next = cleanup.walk?.next();
      if (next === undefined || next.done === true) {
        // A pass is over: start the next one from the beginning (Flink's iterator starts over too).
        cleanup.walk = this.#walk(stateName);
        next = cleanup.walk.next();
        if (next.done === true) return;
      }
      const { slots, index, keyId } = next.value;
      const values = slots.groups[index];
      const value = values?.get(keyId);
      if (values === undefined || value === undefined) continue;
      const kept = cleanup.survives(value);
      if (kept === value) continue;
      this.#dirty[this.#start + index] = 1;
      if (kept !== undefined) values.set(keyId, kept);
      else this.#delete(slots, index, values, keyId);
    }
  }

  /** Every entry of one state, namespace by namespace and key group by key group, in a deterministic order. */
  *#walk(stateName: string): Generator<CleanupEntry> {
    const table = this.#states.get(stateName);
    if (table === undefined) return;
    for (const slots of table.values()) {
      for (let index = 0; index < slots.groups.length; index++) {
        const values = slots.groups[index];
        if (values === undefined) continue;
        for (const keyId of values.keys()) yield { slots, index, keyId };
      }
    }
  }

  /**
   * Deletes one entry of `values` (the key group `index` of `slots`), if it is there, and
   * drops empty groups and namespaces (a cleaned-up window), so that state size follows
   * what is live. A group's last entry goes with its Map rather than by a delete: V8
   * shrinks a Map's table as deletes empty it, an allocation each time, and a window's
   * cleanup empties every group of its namespace a few keys at a time.
   */
  #delete(slots: Slots, index: number, values: Map<KeyId, JsonValue>, keyId: KeyId): void {
    const last = values.size === 1;
    if (last ? !values.has(keyId) : !values.delete(keyId)) return;
    this.#counts[index]!--;
    slots.size--;
    if (!last) return;
    slots.groups[index] = undefined;
    if (--slots.live > 0) return;
    slots.table.delete(slots.namespace);
    if (this.#lastSlots === slots) this.#lastSlots = null;
  }

  /** Number of (state, key, namespace) entries held. */
  get size(): number {
    let n = 0;
    for (const c of this.#counts) n += c;
    return n;
  }
}

function pushTransformed(list: KeyedStateEntry[], state: string, namespace: string, values: Map<KeyId, JsonValue>, transform: (value: JsonValue) => JsonValue | undefined): void {
  for (const [key, value] of values) {
    const kept = transform(value);
    if (kept !== undefined) list.push({ state, namespace, key, value: snapshotCopy(kept) });
  }
}

/**
 * A snapshot's copy of a live value. Every changed group of every checkpoint is copied, and
 * its values are mostly numbers or flat lists of them (counters, a window's accumulator):
 * those are copied without cloneJson's general walk, which exists for nesting and sharing.
 */
function snapshotCopy(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  if (!Array.isArray(value)) return cloneJson(value);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v === 'object' && v !== null) return cloneJson(value);
  }
  return value.slice();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Flink's ValueState: one value per key and namespace. `defaultValue` is what `value()`
 * gives for a key that has none (Flink's ValueStateDescriptor default); it is shared, so
 * treat it as immutable.
 */
export class ValueState {
  constructor(
    protected readonly backend: KeyedStateBackend,
    readonly name: string,
    readonly defaultValue: JsonValue | null = null,
  ) {}
  value(): JsonValue | null {
    return this.backend.get(this.name) ?? this.defaultValue;
  }
  update(value: JsonValue): void {
    this.backend.put(this.name, value);
  }
  clear(): void {
    this.backend.remove(this.name);
  }
}

/** Flink's ListState: an appendable list per key and namespace. */
export class ListState {
  constructor(
    protected readonly backend: KeyedStateBackend,
    readonly name: string,
  ) {}
  get(): JsonValue[] {
    return (this.backend.get(this.name) as JsonValue[] | undefined) ?? [];
  }
  add(value: JsonValue): void {
    const list = this.backend.get(this.name) as JsonValue[] | undefined;
    if (list === undefined) this.backend.put(this.name, [value]);
    else list.push(value);
  }
  update(values: JsonValue[]): void {
    this.backend.put(this.name, values.slice());
  }
  clear(): void {
    this.backend.remove(this.name);
  }
}

/** Flink's MapState: a map per key and namespace; iteration in sorted key order. */
export class MapState {
  constructor(
    protected readonly backend: KeyedStateBackend,
    readonly name: string,
  ) {}
  #map(create: boolean): Record<string, JsonValue> | undefined {
    let m = this.backend.get(this.name) as Record<string, JsonValue> | undefined;
    if (m === undefined && create) this.backend.put(this.name, (m = {}));
    return m;
  }
  get(key: string): JsonValue | null {
    const m = this.#map(false);
    return m !== undefined && Object.hasOwn(m, key) ? m[key]! : null;
  }
  put(key: string, value: JsonValue): void {
    const m = this.#map(true)!;
    // Assigning m['__proto__'] would replace the prototype instead of adding an entry.
    if (key === '__proto__') Object.defineProperty(m, key, { value, enumerable: true, writable: true, configurable: true });
    else m[key] = value;
  }
  remove(key: string): void {
    const m = this.#map(false);
    if (m !== undefined) delete m[key];
  }
  contains(key: string): boolean {
    const m = this.#map(false);
    return m !== undefined && Object.hasOwn(m, key);
  }
  keys(): string[] {
    return Object.keys(this.#map(false) ?? {}).sort();
  }
  entries(): [string, JsonValue][] {
    const m = this.#map(false) ?? {};
    return this.keys().map((k) => [k, m[k]!]);
  }
  clear(): void {
    this.backend.remove(this.name);
  }
}

/** Flink's ReducingState: values folded into one with a reduce function as they are added. */
export class ReducingState {
  constructor(
    protected readonly backend: KeyedStateBackend,
    readonly name: string,
    protected readonly reduce: (acc: JsonValue, value: JsonValue) => JsonValue,
  ) {}
  get(): JsonValue | null {
    return this.backend.get(this.name) ?? null;
  }
  add(value: JsonValue): void {
    const acc = this.backend.get(this.name);
    this.backend.put(this.name, acc === undefined ? value : this.reduce(acc, value));
  }
  clear(): void {
    this.backend.remove(this.name);
  }
}
