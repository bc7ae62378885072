/**
 * State TTL, case by case after Flink's TtlStateTestBase: each case runs against every kind
 * of keyed state (value, list, map entry, reducing, aggregating), with the state snapshotted
 * and restored between steps, as Flink's suite does, so the timestamps are shown to travel
 * with the values. Time is the TTL clock (processing time), set by hand; TTL is 100 ms.
 */
import { describe, expect, test } from 'vitest';
import { keyGroupOf } from '../../core/graph/index.ts';
import type { JsonValue } from '../../core/model/index.ts';
import {
  aggregatingState,
  createStateHandle,
  listState,
  mapState,
  reducingState,
  valueState,
  type StateDescriptor,
  type StateHandleInstance,
} from '../../core/operators/process/index.ts';
import { KeyedStateBackend, StateTtlConfig, type AggregatingState, type ListState, type MapState, type ReducingState, type TtlStateVisibility, type TtlUpdateType, type ValueState } from '../../core/state/index.ts';

const TTL = 100;
const NAME = 's';

/** How a case reads and writes one kind of state, and what it reads back. */
interface Kind {
  readonly name: string;
  descriptor(ttl: StateTtlConfig): StateDescriptor;
  update(h: StateHandleInstance, v: string): void;
  get(h: StateHandleInstance): JsonValue;
  /** What `get` gives after `update(v)` (on an empty state). */
  read(v: string): JsonValue;
  readonly empty: JsonValue;
}

const KINDS: readonly Kind[] = [
  { name: 'value', descriptor: (ttl) => valueState(null, { ttl }), update: (h, v) => (h as ValueState).update(v), get: (h) => (h as ValueState).value(), read: (v) => v, empty: null },
  { name: 'list', descriptor: (ttl) => listState({ ttl }), update: (h, v) => (h as ListState).update([v, `${v}!`]), get: (h) => (h as ListState).get(), read: (v) => [v, `${v}!`], empty: [] },
  { name: 'map entry', descriptor: (ttl) => mapState({ ttl }), update: (h, v) => (h as MapState).put('k', v), get: (h) => (h as MapState).get('k'), read: (v) => v, empty: null },
  { name: 'map entries', descriptor: (ttl) => mapState({ ttl }), update: (h, v) => (h as MapState).put('k', v), get: (h) => (h as MapState).entries(), read: (v) => [['k', v]], empty: [] },
  {
    name: 'reducing',
    descriptor: (ttl) => reducingState((_a, b) => b, { ttl }),
    update: (h, v) => (h as ReducingState).add(v),
    get: (h) => (h as ReducingState).get(),
    read: (v) => v,
    empty: null,
  },
  {
    name: 'aggregating',
    descriptor: (ttl) => aggregatingState({ createAccumulator: () => '', add: (v) => v, getResult: (acc) => `result ${String(acc)}`, merge: (_a, b) => b }, { ttl }),
    update: (h, v) => (h as AggregatingState).add(v),
    get: (h) => (h as AggregatingState).get(),
    read: (v) => `result ${v}`,
    empty: null,
  },
];

/** One keyed state backend with one TTL state, a hand-set clock, and snapshot/restore. */
class Ctx {
  time = 0;
  backend!: KeyedStateBackend;
  handle!: StateHandleInstance;
  key: JsonValue = 'defaultKey';
  constructor(
    readonly kind: Kind,
    readonly ttl: StateTtlConfig,
  ) {
    this.#fresh();
  }
  #fresh(): void {
    this.backend = new KeyedStateBackend({ start: 0, end: 127 }, (key) => keyGroupOf(key, 128));
    this.handle = createStateHandle(this.backend, NAME, this.kind.descriptor(this.ttl), () => this.time);
    this.setKey(this.key);
  }
  setKey(key: JsonValue): this {
    this.key = key;
    this.backend.setCurrentKey(key);
    return this;
  }
  update(v: string): void {
    this.kind.update(this.handle, v);
  }
  get(): JsonValue {
    return this.kind.get(this.handle);
  }
  /** Whether the backend holds nothing for the current key (the expired value was removed, not only hidden). */
  originalEmpty(): boolean {
    return this.backend.entries().every((e) => e.key !== JSON.stringify(this.key));
  }
  snapshot(): Map<number, readonly { state: string; namespace: string; key: string | number; value: JsonValue }[]> {
    return this.backend.snapshotKeyGroups();
  }
  restore(snapshot: ReturnType<Ctx['snapshot']>): void {
    this.#fresh();
    for (const [group, entries] of snapshot) this.backend.restoreKeyGroup(group, entries);
  }
  snapshotAndRestore(): void {
    this.restore(this.snapshot());
  }
}

function ttlOf(update: TtlUpdateType, visibility: TtlStateVisibility, ttl = TTL): StateTtlConfig {
  return StateTtlConfig.newBuilder(ttl).setUpdateType(update).setStateVisibility(visibility).build();
}

/**
 * Without cleanup in background: what a read returns before anything removed the expired
 * value (Flink's TtlStateTestBase runs on a backend without the incremental visitor).
 */
function relaxedTtlOf(update: TtlUpdateType): StateTtlConfig {
  return StateTtlConfig.newBuilder(TTL).setUpdateType(update).setStateVisibility('ReturnExpiredIfNotCleanedUp').disableCleanupInBackground().build();
}

describe.each(KINDS)('$name state with a TTL', (kind) => {
  const at = (c: Ctx, time: number): Ctx => {
    c.time = time;
    return c;
  };

  test('a state never written reads empty', () => {
    expect(new Ctx(kind, ttlOf('OnCreateAndWrite', 'NeverReturnExpired')).get()).toEqual(kind.empty);
  });

  test('exact expiration on write: each write restarts the TTL; a read does not; expired is gone', () => {
    const c = new Ctx(kind, ttlOf('OnCreateAndWrite', 'NeverReturnExpired'));
    at(c, 0).update('a');
    c.snapshotAndRestore();
    expect(at(c, 20).get()).toEqual(kind.read('a'));
    c.snapshotAndRestore();
    at(c, 50).update('b');
    c.snapshotAndRestore();
    expect(at(c, 120).get()).toEqual(kind.read('b'));
    c.snapshotAndRestore();
    at(c, 170).update('c');
    c.snapshotAndRestore();
    expect(at(c, 220).get()).toEqual(kind.read('c'));
    c.snapshotAndRestore();
    expect(at(c, 270).get()).toEqual(kind.empty); // 170 + 100 <= 270: expired exactly at its time
    expect(c.originalEmpty()).toBe(true);
  });

  test('relaxed expiration on write: an expired value is returned once, then cleaned up', () => {
    const c = new Ctx(kind, relaxedTtlOf('OnCreateAndWrite'));
    at(c, 0).update('a');
    c.snapshotAndRestore();
    expect(at(c, 120).get()).toEqual(kind.read('a'));
    expect(c.originalEmpty()).toBe(true);
    expect(c.get()).toEqual(kind.empty);
  });

  test('exact expiration on read: OnReadAndWrite refreshes the TTL on every read', () => {
    const c = new Ctx(kind, ttlOf('OnReadAndWrite', 'NeverReturnExpired'));
    at(c, 0).update('a');
    c.snapshotAndRestore();
    expect(at(c, 50).get()).toEqual(kind.read('a'));
    c.snapshotAndRestore();
    expect(at(c, 120).get()).toEqual(kind.read('a'));
    c.snapshotAndRestore();
    expect(at(c, 250).get()).toEqual(kind.empty);
    expect(c.originalEmpty()).toBe(true);
  });

  test('relaxed expiration on read', () => {
    const c = new Ctx(kind, relaxedTtlOf('OnReadAndWrite'));
    at(c, 0).update('a');
    c.snapshotAndRestore();
    expect(at(c, 50).get()).toEqual(kind.read('a'));
    c.snapshotAndRestore();
    expect(at(c, 170).get()).toEqual(kind.read('a'));
    expect(c.get()).toEqual(kind.empty);
  });

  test('relaxed expiration with the default cleanup in background: the cleanup step runs before the read, so the expired value it reaches is not returned', () => {
    const c = new Ctx(kind, ttlOf('OnCreateAndWrite', 'ReturnExpiredIfNotCleanedUp'));
    at(c, 0).update('a');
    expect(at(c, 120).get()).toEqual(kind.empty);
    expect(c.originalEmpty()).toBe(true);
  });

  test('a huge TTL saturates instead of overflowing', () => {
    const c = new Ctx(kind, ttlOf('OnCreateAndWrite', 'NeverReturnExpired', Number.MAX_SAFE_INTEGER));
    at(c, 10).update('a');
    c.snapshotAndRestore();
    expect(at(c, 50).get()).toEqual(kind.read('a'));
  });

  test.each([false, true])('several keys expire on their own (cleanupFullSnapshot: %s)', (cleanup) => {
    const b = StateTtlConfig.newBuilder(TTL);
    const c = new Ctx(kind, (cleanup ? b.cleanupFullSnapshot() : b).build());
    c.snapshotAndRestore();
    at(c, 0).setKey('id2').update('a');
    c.snapshotAndRestore();
    at(c, 50).setKey('id1').update('a');
    c.setKey('id2').update('b');
    at(c, 120).snapshotAndRestore();
    expect(c.setKey('id1').get()).toEqual(kind.read('a'));
    expect(c.setKey('id2').get()).toEqual(kind.read('b'));
    c.snapshotAndRestore();
    at(c, 170).setKey('id2').update('c');
    at(c, 230).snapshotAndRestore();
    // Winding the clock back after the restore shows whether the snapshot dropped id1 (expired at 150).
    if (cleanup) c.time = 170;
    expect(c.setKey('id1').get()).toEqual(kind.empty);
    expect(c.setKey('id2').get()).toEqual(kind.read('c'));
    at(c, 300).snapshotAndRestore();
    if (cleanup) c.time = 230;
    expect(c.setKey('id1').get()).toEqual(kind.empty);
    expect(c.setKey('id2').get()).toEqual(kind.empty); // written at 170: gone from the snapshot at 300, or expired at 230
  });

  test('restoring an older snapshot brings back its values and their timestamps', () => {
    const c = new Ctx(kind, ttlOf('OnCreateAndWrite', 'NeverReturnExpired'));
    at(c, 0).setKey('k1').update('a');
    at(c, 50).setKey('k1').update('b');
    at(c, 100).setKey('k2').update('a');
    const snapshot = c.snapshot();
    at(c, 170).setKey('k1').update('c');
    c.setKey('k2').update('b');
    c.restore(snapshot);
    at(c, 180);
    expect(c.setKey('k1').get()).toEqual(kind.empty);
    expect(c.setKey('k2').get()).toEqual(kind.read('a'));
  });
});

describe('per element and per entry', () => {
  const ttl = StateTtlConfig.newBuilder(TTL).build();

  test('a list expires element by element, each from when it was added', () => {
    const c = new Ctx(KINDS[1]!, ttl);
    const list = c.handle as ListState;
    list.add('early');
    c.time = 60;
    list.add('late');
    c.snapshotAndRestore();
    c.time = 120;
    expect((c.handle as ListState).get()).toEqual(['late']);
    c.time = 160;
    expect((c.handle as ListState).get()).toEqual([]);
    expect(c.backend.size).toBe(0);
  });

  test('a map expires entry by entry; contains, keys and entries skip expired entries', () => {
    const c = new Ctx(KINDS[2]!, ttl);
    const map = c.handle as MapState;
    map.put('x', 1);
    c.time = 60;
    map.put('y', 2);
    c.time = 120;
    expect(map.contains('x')).toBe(false);
    expect(map.keys()).toEqual(['y']);
    expect(map.entries()).toEqual([['y', 2]]);
    c.time = 200;
    expect(map.get('y')).toBeNull();
    expect(c.backend.size).toBe(0);
  });

  test('a reducing state starts afresh after its accumulator expired', () => {
    const c = new Ctx(KINDS[0]!, ttl);
    const sum = createStateHandle(c.backend, 'sum', reducingState((a, b) => (a as number) + (b as number), { ttl }), () => c.time) as ReducingState;
    sum.add(1);
    c.time = 50;
    sum.add(2);
    expect(sum.get()).toBe(3);
    c.time = 150; // last write at 50: expired
    sum.add(5);
    expect(sum.get()).toBe(5);
  });

  test('a value state with a default reads the default once expired', () => {
    const c = new Ctx(KINDS[0]!, ttl);
    const count = createStateHandle(c.backend, 'n', valueState(0, { ttl }), () => c.time) as ValueState;
    count.update(7);
    c.time = 100;
    expect(count.value()).toBe(0);
  });

  test('a snapshot with cleanupFullSnapshot keeps the unexpired part of a list and leaves the live state alone', () => {
    const c = new Ctx(KINDS[1]!, StateTtlConfig.newBuilder(TTL).cleanupFullSnapshot().build());
    const list = c.handle as ListState;
    list.add('early');
    c.time = 60;
    list.add('late');
    c.time = 120;
    const snapshot = c.snapshot();
    expect([...snapshot.values()].flat().map((e) => e.value)).toEqual([[{ v: 'late', ts: 60 }]]);
    expect(c.backend.entries()[0]!.value).toEqual([
      { v: 'early', ts: 0 },
      { v: 'late', ts: 60 },
    ]);
  });
});

describe('StateTtlConfig', () => {
  test("has Flink's defaults and refuses what Flink refuses", () => {
    const ttl = StateTtlConfig.newBuilder(1000).build();
    expect([ttl.ttlMs, ttl.updateType, ttl.stateVisibility, ttl.cleanupFullSnapshot, ttl.ttlTimeCharacteristic]).toEqual([1000, 'OnCreateAndWrite', 'NeverReturnExpired', false, 'ProcessingTime']);
    expect(StateTtlConfig.newBuilder(5).updateTtlOnReadAndWrite().returnExpiredIfNotCleanedUp().build().updateType).toBe(StateTtlConfig.UpdateType.OnReadAndWrite);
    expect(() => StateTtlConfig.newBuilder(0).build()).toThrow(/at least 1/);
    expect(() => StateTtlConfig.newBuilder(1.5).build()).toThrow(RangeError);
    expect(() => StateTtlConfig.newBuilder(10).setTtlTimeCharacteristic('EventTime' as 'ProcessingTime')).toThrow(/processing time only/);
  });
});
