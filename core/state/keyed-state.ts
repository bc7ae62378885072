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
import { canonicalJson, type JsonValue } from '../model/index.ts';

/** The namespace of state that is not scoped to a window (Flink's VoidNamespace). */
export const DEFAULT_NAMESPACE = '';

/** An inclusive range of key groups owned by one subtask. */
export interface KeyGroupRange {
  readonly start: number;
  readonly end: number;
}

type Slot = Map<string, JsonValue>; // `${key}\u0000${namespace}` -> value

export class KeyedStateBackend {
  readonly #groups = new Map<number, Map<string, Slot>>();
  #key: JsonValue = null;
  #keyString = 'null';
  #keyGroup = -1;
  #namespace = DEFAULT_NAMESPACE;

  constructor(
    readonly keyGroupRange: KeyGroupRange,
    private readonly keyGroupOf: (key: JsonValue) => number,
  ) {}

  /** Sets the key that following state accesses are scoped to (Flink's setCurrentKey). */
  setCurrentKey(key: JsonValue): void {
    const group = this.keyGroupOf(key);
    assert(
      group >= this.keyGroupRange.start && group <= this.keyGroupRange.end,
      `key ${canonicalJson(key)} is in key group ${group}, outside this subtask's range ${this.keyGroupRange.start}..${this.keyGroupRange.end}`,
    );
    this.#key = key;
    this.#keyString = canonicalJson(key);
    this.#keyGroup = group;
  }

  get currentKey(): JsonValue {
    return this.#key;
  }

  /** The canonical JSON of the current key (a stable map key). */
  get currentKeyString(): string {
    return this.#keyString;
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

  #slot(stateName: string, create: boolean): Slot | undefined {
    assert(this.#keyGroup >= 0, `state '${stateName}' accessed without a current key: keyed state needs a keyed stream`);
    let group = this.#groups.get(this.#keyGroup);
    if (group === undefined) {
      if (!create) return undefined;
      this.#groups.set(this.#keyGroup, (group = new Map()));
    }
    let slot = group.get(stateName);
    if (slot === undefined && create) group.set(stateName, (slot = new Map()));
    return slot;
  }

  get(stateName: string): JsonValue | undefined {
    return this.#slot(stateName, false)?.get(`${this.#keyString}\u0000${this.#namespace}`);
  }

  put(stateName: string, value: JsonValue): void {
    this.#slot(stateName, true)!.set(`${this.#keyString}\u0000${this.#namespace}`, value);
  }

  remove(stateName: string): void {
    this.#slot(stateName, false)?.delete(`${this.#keyString}\u0000${this.#namespace}`);
  }

  /** Entries of every state in every key group, sorted: for snapshots, reports and tests. */
  entries(): { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] {
    const out: { keyGroup: number; state: string; key: string; namespace: string; value: JsonValue }[] = [];
    for (const keyGroup of [...this.#groups.keys()].sort((a, b) => a - b)) {
      const group = this.#groups.get(keyGroup)!;
      for (const state of [...group.keys()].sort()) {
        for (const [composite, value] of group.get(state)!) {
          const cut = composite.indexOf('\u0000');
          out.push({ keyGroup, state, key: composite.slice(0, cut), namespace: composite.slice(cut + 1), value });
        }
      }
    }
    return out.sort((a, b) => a.keyGroup - b.keyGroup || cmp(a.state, b.state) || cmp(a.key, b.key) || cmp(a.namespace, b.namespace));
  }

  /** Number of (state, key, namespace) entries held. */
  get size(): number {
    let n = 0;
    for (const group of this.#groups.values()) for (const slot of group.values()) n += slot.size;
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
