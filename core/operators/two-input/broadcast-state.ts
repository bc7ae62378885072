/**
 * Flink's broadcast state: a map, the same on every parallel instance, written only by
 * the broadcast side. Every element of the broadcast stream reaches every subtask, and
 * each subtask applies it to its own copy; since the function is the same and the
 * elements arrive in the same order on every channel of the broadcast edge, the copies
 * agree. That is why Flink lets only processBroadcastElement write it: a write from the
 * keyed or non-broadcast side would happen on one subtask only, and the copies would drift
 * apart. Here that side gets a read-only view whose writes throw.
 *
 * It is operator state: each subtask snapshots its copy; on restore (also at another
 * parallelism) each new subtask takes a copy, subtask i the one old subtask i mod n wrote,
 * as Flink hands the old copies out round robin.
 */
import type { JsonValue } from '../../model/index.ts';

/** Flink's MapStateDescriptor for broadcast state: a named map of string keys. @example const rules = mapStateDescriptor('rules'); */
export interface BroadcastStateDescriptor {
  readonly kind: 'map';
  readonly name: string;
}

/** @example stream.broadcast(mapStateDescriptor('rules')) */
export function mapStateDescriptor(name: string): BroadcastStateDescriptor {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError(`a MapStateDescriptor needs a non-empty name, found ${String(name)}`);
  return { kind: 'map', name };
}

/** What the non-broadcast side may do with broadcast state (Flink's ReadOnlyBroadcastState). @example ctx.getBroadcastState(rules).get('max') */
export interface ReadOnlyBroadcastState {
  get(key: string): JsonValue | null;
  contains(key: string): boolean;
  /** Keys in sorted order. */
  keys(): string[];
  entries(): [string, JsonValue][];
}

/** What the broadcast side may do (Flink's BroadcastState). @example ctx.getBroadcastState(rules).put('max', 10) */
export interface BroadcastState extends ReadOnlyBroadcastState {
  put(key: string, value: JsonValue): void;
  remove(key: string): void;
  clear(): void;
}

/** One subtask's copy of every broadcast state of an operator. */
export class BroadcastStateStore {
  readonly #maps = new Map<string, Record<string, JsonValue>>();
  readonly #names: readonly string[];
  #restored: readonly JsonValue[] | null = null;

  constructor(descriptors: readonly BroadcastStateDescriptor[]) {
    const names = descriptors.map((d) => d.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new TypeError(`broadcast state '${twice}' is declared twice`);
    this.#names = names;
    for (const name of names) this.#maps.set(name, Object.create(null) as Record<string, JsonValue>);
  }

  get names(): readonly string[] {
    return this.#names;
  }

  /** A handle on state `name`; `writable` false gives the read-only view. */
  handle(name: string, writable: boolean): BroadcastState {
    const map = this.#maps.get(name);
    if (map === undefined) {
      throw new TypeError(`broadcast state '${name}' is not declared (${this.#names.length === 0 ? 'the operator declares none' : `declared: ${this.#names.join(', ')}`})`);
    }
    return writable ? new WritableBroadcastState(map, name) : new ReadOnlyView(map, name);
  }

  /** Keeps what a restore hands over; `open` picks this subtask's copy. */
  initialize(restored: readonly JsonValue[] | null): void {
    this.#restored = restored === null || restored.length === 0 ? null : restored;
  }

  /**
   * Takes the copy of old subtask `subtaskIndex mod n` (round robin over the old copies, by
   * the old subtask index each snapshot names: the order snapshots arrive in is not theirs).
   */
  open(subtaskIndex: number): void {
    this.#subtask = subtaskIndex;
    const restored = this.#restored;
    this.#restored = null;
    if (restored === null) return;
    const bySubtask = [...(restored as unknown as SavedCopy[])].sort((a, b) => a.subtask - b.subtask);
    const copy = bySubtask[subtaskIndex % bySubtask.length]!.states;
    for (const name of this.#names) {
      const map = this.#maps.get(name)!;
      const saved = copy?.[name];
      if (saved === undefined) continue;
      for (const key of Object.keys(saved)) defineEntry(map, key, saved[key]!);
    }
  }

  #subtask = 0;

  /** Plain data, keys sorted, for the checkpoint: `{subtask, states}`. */
  snapshot(): JsonValue {
    const out: Record<string, JsonValue> = {};
    for (const name of this.#names) {
      const map = this.#maps.get(name)!;
      const copy: Record<string, JsonValue> = {};
      for (const key of Object.keys(map).sort()) defineEntry(copy, key, map[key]!);
      out[name] = copy;
    }
    return { subtask: this.#subtask, states: out };
  }
}

/** One subtask's snapshot of its broadcast state. */
interface SavedCopy {
  readonly subtask: number;
  readonly states: Record<string, Record<string, JsonValue>>;
}

/** Sets `key` even when it is `__proto__` (an assignment would replace the prototype instead). */
function defineEntry(map: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

class ReadOnlyView implements BroadcastState {
  constructor(
    protected readonly map: Record<string, JsonValue>,
    readonly name: string,
  ) {}
  get(key: string): JsonValue | null {
    return Object.hasOwn(this.map, key) ? this.map[key]! : null;
  }
  contains(key: string): boolean {
    return Object.hasOwn(this.map, key);
  }
  keys(): string[] {
    return Object.keys(this.map).sort();
  }
  entries(): [string, JsonValue][] {
    return this.keys().map((k) => [k, this.map[k]!]);
  }
  put(_key: string, _value: JsonValue): void {
    this.#refuse('put');
  }
  remove(_key: string): void {
    this.#refuse('remove');
  }
  clear(): void {
    this.#refuse('clear');
  }
  #refuse(what: string): never {
    throw new TypeError(
      `broadcast state '${this.name}' is read-only here: only the broadcast side (processBroadcastElement, onBroadcastElement) may ${what} it, as Flink's ReadOnlyBroadcastState; a write on one subtask would make the copies differ`,
    );
  }
}

class WritableBroadcastState extends ReadOnlyView {
  override put(key: string, value: JsonValue): void {
    defineEntry(this.map, key, value);
  }
  override remove(key: string): void {
    delete this.map[key];
  }
  override clear(): void {
    for (const key of Object.keys(this.map)) delete this.map[key];
  }
}
