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

/** key group -> state name -> namespace -> key -> value */
type Table = Map<string, Map<KeyId, JsonValue>>;

export class KeyedStateBackend {
  readonly #groups = new Map<number, Map<string, Table>>();
  /**
   * Key groups touched since their last snapshot. Reads count too: values are mutated in
   * place (a list appended to), so a group read may have changed. One byte per key group,
   * so marking costs a store per access.
   */
  readonly #dirty: Uint8Array;
  /** Each group's last snapshot, reused while the group is clean (copy-on-write by group). */
  readonly #lastSnapshot = new Map<number, KeyedStateEntry[]>();
  #key: JsonValue = null;
  #keyId: KeyId = 'null';
  #keyString: string | null = null;
  #keyGroup = -1;
  #namespace = DEFAULT_NAMESPACE;

  constructor(
    readonly keyGroupRange: KeyGroupRange,
    private readonly keyGroupOf: (key: JsonValue) => number,
  ) {
    this.#dirty = new Uint8Array(keyGroupRange.end + 1);
  }

  /** Sets the key that following state accesses are scoped to (Flink's setCurrentKey). */
  setCurrentKey(key: JsonValue): void {
    const group = this.keyGroupOf(key);
    assert(
      group >= this.keyGroupRange.start && group <= this.keyGroupRange.end,
      () => `key ${canonicalJson(key)} is in key group ${group}, outside this subtask's range ${this.keyGroupRange.start}..${this.keyGroupRange.end}`,
    );
    this.#key = key;
    this.#keyId = keyIdOf(key);
    this.#keyString = null;
    this.#keyGroup = group;
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

  // The last (key group, state, namespace) looked up: a record usually reads and then
  // writes the same state, so the second lookup is free.
  #lastGroup = -1;
  #lastState = '';
  #lastNamespace = '';
  #lastValues: Map<KeyId, JsonValue> | null = null;

  #values(stateName: string, create: boolean): Map<KeyId, JsonValue> | undefined {
    const last = this.#lastValues;
    if (last !== null && this.#lastGroup === this.#keyGroup && this.#lastState === stateName && this.#lastNamespace === this.#namespace) return last;
    const values = this.#lookup(stateName, create);
    if (values !== undefined) {
      this.#lastGroup = this.#keyGroup;
      this.#lastState = stateName;
      this.#lastNamespace = this.#namespace;
      this.#lastValues = values;
    }
    return values;
  }

  #lookup(stateName: string, create: boolean): Map<KeyId, JsonValue> | undefined {
    assert(this.#keyGroup >= 0, () => `state '${stateName}' accessed without a current key: keyed state needs a keyed stream`);
    let group = this.#groups.get(this.#keyGroup);
    if (group === undefined) {
      if (!create) return undefined;
      this.#groups.set(this.#keyGroup, (group = new Map()));
    }
    let table = group.get(stateName);
    if (table === undefined) {
      if (!create) return undefined;
      group.set(stateName, (table = new Map()));
    }
    let values = table.get(this.#namespace);
    if (values === undefined && create) table.set(this.#namespace, (values = new Map()));
    return values;
  }

  get(stateName: string): JsonValue | undefined {
    this.#dirty[this.#keyGroup] = 1;
    return this.#values(stateName, false)?.get(this.#keyId);
  }

  put(stateName: string, value: JsonValue): void {
    this.#dirty[this.#keyGroup] = 1;
    this.#values(stateName, true)!.set(this.#keyId, value);
  }

  remove(stateName: string): void {
    this.#dirty[this.#keyGroup] = 1;
    const values = this.#values(stateName, false);
    if (values === undefined || !values.delete(this.#keyId) || values.size > 0) return;
    // Drop empty namespaces (a cleaned-up window) so that state size follows what is live.
    this.#groups.get(this.#keyGroup)!.get(stateName)!.delete(this.#namespace);
    if (this.#lastValues === values) this.#lastValues = null;
  }

  /** Entries of every state in every key group, sorted: for snapshots, reports and tests. */
  entries(): { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] {
    const out: { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] = [];
    for (const [keyGroup, group] of this.#groups) {
      for (const [state, table] of group) {
        for (const [namespace, values] of table) {
          for (const [id, value] of values) out.push({ keyGroup, state, key: keyTextOf(id), namespace, value });
        }
      }
    }
    return out.sort((a, b) => a.keyGroup - b.keyGroup || cmp(a.state, b.state) || cmp(a.key, b.key) || cmp(a.namespace, b.namespace));
  }

  /**
   * A deep copy of one key group's state, sorted by (state, namespace, key), or an empty
   * list. The copy is what makes the snapshot safe from later in-place writes.
   */
  snapshotKeyGroup(keyGroup: number): KeyedStateEntry[] {
    const last = this.#lastSnapshot.get(keyGroup);
    if (last !== undefined && this.#dirty[keyGroup] === 0) return last;
    this.#dirty[keyGroup] = 0;
    const fresh = this.#copyKeyGroup(keyGroup);
    this.#lastSnapshot.set(keyGroup, fresh);
    return fresh;
  }

  #copyKeyGroup(keyGroup: number): KeyedStateEntry[] {
    const group = this.#groups.get(keyGroup);
    if (group === undefined) return [];
    const out: KeyedStateEntry[] = [];
    for (const [state, table] of group) {
      for (const [namespace, values] of table) {
        for (const [key, value] of values) out.push({ state, namespace, key, value: cloneJson(value) });
      }
    }
    return out.sort((a, b) => cmp(a.state, b.state) || cmp(a.namespace, b.namespace) || compareKeyIds(a.key, b.key));
  }

  /** Key groups that hold state, in increasing order. */
  keyGroupsWithState(): number[] {
    return [...this.#groups.keys()].sort((a, b) => a - b);
  }

  /** Puts a key group's entries back (a restore): each value is copied, so the snapshot stays intact. */
  restoreKeyGroup(keyGroup: number, entries: readonly KeyedStateEntry[]): void {
    assert(keyGroup >= this.keyGroupRange.start && keyGroup <= this.keyGroupRange.end, () => `key group ${keyGroup} is outside this subtask's range ${this.keyGroupRange.start}..${this.keyGroupRange.end}`);
    let group = this.#groups.get(keyGroup);
    if (group === undefined) this.#groups.set(keyGroup, (group = new Map()));
    for (const e of entries) {
      let table = group.get(e.state);
      if (table === undefined) group.set(e.state, (table = new Map()));
      let values = table.get(e.namespace);
      if (values === undefined) table.set(e.namespace, (values = new Map()));
      values.set(e.key, cloneJson(e.value));
    }
    this.#dirty[keyGroup] = 1;
    this.#lastValues = null;
  }

  /** Number of (state, key, namespace) entries held. */
  get size(): number {
    let n = 0;
    for (const group of this.#groups.values()) for (const table of group.values()) for (const values of table.values()) n += values.size;
    return n;
  }
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
    private readonly backend: KeyedStateBackend,
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
    private readonly backend: KeyedStateBackend,
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
    private readonly backend: KeyedStateBackend,
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
    private readonly backend: KeyedStateBackend,
    readonly name: string,
    private readonly reduce: (acc: JsonValue, value: JsonValue) => JsonValue,
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
