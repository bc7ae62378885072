/**
 * Keyed state with a time-to-live, after Flink's TTL decorators (TtlValueState,
 * TtlListState, TtlMapState, TtlReducingState, TtlAggregatingState). Each is its own class,
 * chosen once when the state is created, so a state without TTL runs the plain handle with
 * no check at all. The backend stores, in place of each value, a TtlValue `{v, ts}`: for a
 * list, one per element; for a map, one per entry; for reducing and aggregating state, one
 * for the accumulator. So every element and entry expires on its own.
 *
 * On every read an expired value is removed (Flink's cleanup on read). NeverReturnExpired
 * then reads it as absent; ReturnExpiredIfNotCleanedUp still returns it this once, and an
 * expired accumulator not yet removed is still added to, as in Flink.
 */
import type { JsonValue } from '../model/index.ts';
import { AggregatingState, type AggregateFunction } from './aggregating-state.ts';
import { ListState, MapState, ReducingState, ValueState, type KeyedStateBackend } from './keyed-state.ts';
import { asTtlValue, isExpired, type StateTtlConfig, type TtlValue } from './ttl-config.ts';

/** What a TTL state needs: its config, read once, and the processing-time clock. */
export class TtlPolicy {
  readonly ttlMs: number;
  readonly updateOnRead: boolean;
  readonly returnExpired: boolean;
  constructor(
    config: StateTtlConfig,
    /** The kernel's virtual processing time (the operator's ctx.nowMs). */
    readonly now: () => number,
  ) {
    this.ttlMs = config.ttlMs;
    this.updateOnRead = config.updateType === 'OnReadAndWrite';
    this.returnExpired = config.stateVisibility === 'ReturnExpiredIfNotCleanedUp';
  }
  expired(value: TtlValue, nowMs: number): boolean {
    return isExpired(value.ts, this.ttlMs, nowMs);
  }
}

/**
 * The snapshot transform of a TTL state with cleanupFullSnapshot: what survives of a
 * stored value at the snapshot's time (see KeyedStateBackend.setSnapshotTransform).
 */
export function ttlSnapshotTransform(kind: 'value' | 'list' | 'map', policy: TtlPolicy): (stored: JsonValue) => JsonValue | undefined {
  if (kind === 'value') return (stored) => (policy.expired(stored as unknown as TtlValue, policy.now()) ? undefined : stored);
  if (kind === 'list') {
    return (stored) => {
      const list = stored as unknown as TtlValue[];
      const now = policy.now();
      if (!list.some((e) => policy.expired(e, now))) return stored;
      const kept = list.filter((e) => !policy.expired(e, now));
      return kept.length === 0 ? undefined : (kept as unknown as JsonValue);
    };
  }
  return (stored) => {
    const map = stored as unknown as Record<string, TtlValue>;
    const now = policy.now();
    const keys = Object.keys(map);
    if (!keys.some((k) => policy.expired(map[k]!, now))) return stored;
    const kept: Record<string, JsonValue> = {};
    for (const k of keys) if (!policy.expired(map[k]!, now)) defineEntry(kept, k, map[k] as unknown as JsonValue);
    return Object.keys(kept).length === 0 ? undefined : kept;
  };
}

/** The stored TtlValue of a one-value state after the TTL check: removed if expired; undefined when absent or expired and not to be returned. */
function checkedValue(backend: KeyedStateBackend, name: string, policy: TtlPolicy): TtlValue | undefined {
  const stored = backend.get(name);
  if (stored === undefined) return undefined;
  const value = asTtlValue(stored, name);
  const now = policy.now();
  if (policy.expired(value, now)) {
    backend.remove(name);
    return policy.returnExpired ? value : undefined;
  }
  if (policy.updateOnRead) value.ts = now;
  return value;
}

function wrap(v: JsonValue, ts: number): JsonValue {
  return { v, ts };
}

/** ValueState with a TTL. An expired (or never set) value reads as the descriptor's default. */
export class TtlValueState extends ValueState {
  constructor(
    backend: KeyedStateBackend,
    name: string,
    defaultValue: JsonValue | null,
    private readonly policy: TtlPolicy,
  ) {
    super(backend, name, defaultValue);
  }
  override value(): JsonValue | null {
    const value = checkedValue(this.backend, this.name, this.policy);
    return value === undefined || value.v === null ? this.defaultValue : value.v;
  }
  override update(value: JsonValue): void {
    // A null value is no value: Flink's heap ValueState clears on update(null).
    if (value === null) this.backend.remove(this.name);
    else this.backend.put(this.name, wrap(value, this.policy.now()));
  }
}

/** ReducingState with a TTL on its accumulator: an expired one is forgotten and the next add starts afresh. */
export class TtlReducingState extends ReducingState {
  constructor(
    backend: KeyedStateBackend,
    name: string,
    reduce: (acc: JsonValue, value: JsonValue) => JsonValue,
    private readonly policy: TtlPolicy,
  ) {
    super(backend, name, reduce);
  }
  override get(): JsonValue | null {
    return checkedValue(this.backend, this.name, this.policy)?.v ?? null;
  }
  override add(value: JsonValue): void {
    const acc = checkedValue(this.backend, this.name, this.policy);
    this.backend.put(this.name, wrap(acc === undefined ? value : this.reduce(acc.v, value), this.policy.now()));
  }
}

/** AggregatingState with a TTL on its accumulator. */
export class TtlAggregatingState extends AggregatingState {
  constructor(
    backend: KeyedStateBackend,
    name: string,
    fn: AggregateFunction,
    private readonly policy: TtlPolicy,
  ) {
    super(backend, name, fn);
  }
  override get(): JsonValue | null {
    const acc = checkedValue(this.backend, this.name, this.policy);
    return acc === undefined ? null : this.fn.getResult(acc.v);
  }
  override add(value: JsonValue): void {
    const acc = checkedValue(this.backend, this.name, this.policy);
    this.backend.put(this.name, wrap(this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc.v), this.policy.now()));
  }
}

/** ListState with a TTL per element: each element expires on its own, counted from when it was added. */
export class TtlListState extends ListState {
  constructor(
    backend: KeyedStateBackend,
    name: string,
    private readonly policy: TtlPolicy,
  ) {
    super(backend, name);
  }
  override get(): JsonValue[] {
    const list = this.backend.get(this.name) as TtlValue[] | undefined;
    if (list === undefined) return [];
    const policy = this.policy;
    const now = policy.now();
    let unexpired = list;
    if (list.some((e) => policy.expired(e, now))) {
      unexpired = list.filter((e) => !policy.expired(e, now));
      if (unexpired.length === 0) this.backend.remove(this.name);
      else this.backend.put(this.name, unexpired as unknown as JsonValue);
    }
    if (policy.updateOnRead) for (const e of unexpired) e.ts = now;
    return (policy.returnExpired ? list : unexpired).map((e) => e.v);
  }
  override add(value: JsonValue): void {
    const list = this.backend.get(this.name) as TtlValue[] | undefined;
    const element = { v: value, ts: this.policy.now() };
    if (list === undefined) this.backend.put(this.name, [element]);
    else list.push(element);
  }
  override update(values: JsonValue[]): void {
    if (values.length === 0) {
      this.backend.remove(this.name);
      return;
    }
    const now = this.policy.now();
    this.backend.put(
      this.name,
      values.map((v) => wrap(v, now)),
    );
  }
}

/** MapState with a TTL per entry: each entry expires on its own, counted from its last put. */
export class TtlMapState extends MapState {
  constructor(
    backend: KeyedStateBackend,
    name: string,
    private readonly policy: TtlPolicy,
  ) {
    super(backend, name);
  }
  #stored(): Record<string, TtlValue> | undefined {
    return this.backend.get(this.name) as Record<string, TtlValue> | undefined;
  }
  /** The entry `key` after the TTL check (removed if expired), or undefined. */
  #entry(map: Record<string, TtlValue>, key: string, now: number): TtlValue | undefined {
    if (!Object.hasOwn(map, key)) return undefined;
    const entry = map[key]!;
    if (this.policy.expired(entry, now)) {
      delete map[key];
      return this.policy.returnExpired ? entry : undefined;
    }
    if (this.policy.updateOnRead) entry.ts = now;
    return entry;
  }
  /** Drops the map once its last entry went, so that state size follows what is live. */
  #dropIfEmpty(map: Record<string, TtlValue>): void {
    for (const _ in map) return;
    this.backend.remove(this.name);
  }
  override get(key: string): JsonValue | null {
    const map = this.#stored();
    if (map === undefined) return null;
    const entry = this.#entry(map, key, this.policy.now());
    this.#dropIfEmpty(map);
    return entry === undefined ? null : entry.v;
  }
  override contains(key: string): boolean {
    const map = this.#stored();
    if (map === undefined) return false;
    const entry = this.#entry(map, key, this.policy.now());
    this.#dropIfEmpty(map);
    return entry !== undefined;
  }
  override put(key: string, value: JsonValue): void {
    let map = this.#stored();
    if (map === undefined) this.backend.put(this.name, (map = {}) as unknown as JsonValue);
    defineEntry(map as unknown as Record<string, JsonValue>, key, wrap(value, this.policy.now()));
  }
  override remove(key: string): void {
    const map = this.#stored();
    if (map === undefined) return;
    delete map[key];
    this.#dropIfEmpty(map);
  }
  override entries(): [string, JsonValue][] {
    const map = this.#stored();
    if (map === undefined) return [];
    const now = this.policy.now();
    const out: [string, JsonValue][] = [];
    for (const key of Object.keys(map).sort()) {
      const entry = this.#entry(map, key, now);
      if (entry !== undefined) out.push([key, entry.v]);
    }
    this.#dropIfEmpty(map);
    return out;
  }
  override keys(): string[] {
    return this.entries().map(([k]) => k);
  }
}

/** Sets `key` even when it is `__proto__` (an assignment would replace the prototype instead). */
function defineEntry(map: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
