/**
 * Operator state (Flink's OperatorStateStore through CheckpointedFunction): list state is
 * split among the new subtasks on restore, evenly and without losing or duplicating an
 * item; union list state goes whole to every subtask; at the old parallelism each subtask
 * gets back what it wrote. Shown on the store, then on operators in the test harness,
 * snapshotted at one parallelism and restored at another.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../core/model/index.ts';
import {
  createKeyedProcessOperator,
  CheckpointedOperator,
  MapOperator,
  valueState,
  type CheckpointedFunction,
  type KeyedProcessFunction,
  type StreamOperator,
} from '../../core/operators/index.ts';
import { assignOperatorState, OperatorStateStore, StateTtlConfig, type OperatorListState, type OperatorSnapshot } from '../../core/state/index.ts';
import { createOperatorHarness } from '../../core/testing.ts';
import { keyGroupOf } from '../../core/graph/index.ts';

/** The snapshots of `lists.length` subtasks, each holding its split list and union list. */
function snapshotsOf(lists: readonly (readonly JsonValue[])[], union: readonly (readonly JsonValue[])[] = lists.map(() => [])): JsonValue[] {
  return lists.map((items, subtask) => {
    const store = new OperatorStateStore();
    store.getListState('split').update(items);
    store.getUnionListState('union').update(union[subtask]!);
    return store.snapshot(subtask, lists.length);
  });
}

function restoredLists(snapshots: JsonValue[], parallelism: number, name: string): JsonValue[][] {
  return Array.from({ length: parallelism }, (_, i) => assignOperatorState(snapshots, i, parallelism).get(name)?.items ?? []);
}

const sorted = (xs: readonly JsonValue[]): string[] => xs.map((x) => JSON.stringify(x)).sort();

describe('redistribution on restore', () => {
  test('at the same parallelism each subtask gets back exactly its own list', () => {
    const snaps = snapshotsOf([[1, 2, 3], [], [4]]);
    expect(restoredLists(snaps.slice().reverse(), 3, 'split')).toEqual([[1, 2, 3], [], [4]]);
  });

  test('rescaled, split lists are dealt out in contiguous, even shares (old subtasks in index order)', () => {
    const snaps = snapshotsOf([
      [1, 2, 3, 4],
      [5, 6, 7],
    ]);
    expect(restoredLists(snaps, 3, 'split')).toEqual([
      [1, 2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(restoredLists(snaps, 1, 'split')).toEqual([[1, 2, 3, 4, 5, 6, 7]]);
  });

  test('the extra items of the next state start where the last state ran out of them (round robin)', () => {
    const stores = [0, 1].map(() => new OperatorStateStore());
    stores[0]!.getListState('a').update(['a1', 'a2']);
    stores[0]!.getListState('b').update(['b1', 'b2']);
    const snaps = stores.map((s, i) => s.snapshot(i, 2));
    const shares = [0, 1, 2].map((i) => assignOperatorState(snaps, i, 3));
    expect(shares.map((m) => m.get('a')!.items)).toEqual([['a1'], ['a2'], []]);
    expect(shares.map((m) => m.get('b')!.items)).toEqual([['b2'], [], ['b1']]);
  });

  test('union lists go whole to every subtask', () => {
    const snaps = snapshotsOf([[], []], [['x'], ['y', 'z']]);
    expect(restoredLists(snaps, 3, 'union')).toEqual([
      ['x', 'y', 'z'],
      ['x', 'y', 'z'],
      ['x', 'y', 'z'],
    ]);
    expect(restoredLists(snaps, 2, 'union')).toEqual([
      ['x', 'y', 'z'],
      ['x', 'y', 'z'],
    ]);
  });

  test('one name has one mode', () => {
    const store = new OperatorStateStore();
    store.getListState('buffer');
    expect(() => store.getUnionListState('buffer')).toThrow(/one redistribution mode/);
    const restored = new OperatorStateStore(assignOperatorState(snapshotsOf([[1]]), 0, 1));
    expect(() => restored.getUnionListState('split')).toThrow(/getListState/);
  });

  const lists = fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom('a', 'b')), { maxLength: 12 }), { minLength: 1, maxLength: 6 });
  fcTest.prop([lists, fc.integer({ min: 1, max: 8 })])('after rescaling from p to q, the split lists hold the old items as a multiset, in shares that differ by at most one', (old, q) => {
    const now = restoredLists(snapshotsOf(old), q, 'split');
    expect(sorted(now.flat())).toEqual(sorted(old.flat()));
    if (q !== old.length) {
      const sizes = now.map((l) => l.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  fcTest.prop([lists, fc.integer({ min: 1, max: 8 })])('after rescaling, every subtask holds the whole old union of a union list', (old, q) => {
    const now = restoredLists(snapshotsOf(old.map(() => []), old), q, 'union');
    for (const l of now) expect(sorted(l)).toEqual(sorted(old.flat()));
  });

  fcTest.prop([lists, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })])('rescaling twice (p to q to r) still loses and duplicates nothing', (old, q, r) => {
    const middle = restoredLists(snapshotsOf(old), q, 'split');
    const last = restoredLists(snapshotsOf(middle), r, 'split');
    expect(sorted(last.flat())).toEqual(sorted(old.flat()));
  });
});

/** Flink's BufferingSink idea as a map: it remembers every value it saw in operator list state, and emits how many it holds. */
function rememberingMap(): CheckpointedFunction & { map(v: JsonValue): JsonValue } {
  return {
    initializeState(ctx) {
      const self = this as unknown as { seen: JsonValue[]; state: OperatorListState; restored: boolean };
      self.state = ctx.getOperatorStateStore().getListState('seen');
      self.seen = ctx.isRestored() ? self.state.get() : [];
      self.restored = ctx.isRestored();
    },
    snapshotState() {
      const self = this as unknown as { seen: JsonValue[]; state: OperatorListState };
      self.state.update(self.seen);
    },
    map(v) {
      const self = this as unknown as { seen: JsonValue[] };
      self.seen.push(v);
      return self.seen.length;
    },
  };
}

function mapOperator(fn: ReturnType<typeof rememberingMap>): StreamOperator {
  const own = Object.create(fn) as typeof fn;
  return new CheckpointedOperator(new MapOperator((v) => own.map(v)), own);
}

describe('a CheckpointedFunction in the harness', () => {
  test('its operator list state survives a snapshot and is split on restore at another parallelism', () => {
    const fn = rememberingMap();
    const old = [0, 1].map((subtask) => createOperatorHarness(mapOperator(fn), { subtaskIndex: subtask, parallelism: 2 }).open());
    old[0]!.feed('a b c');
    old[1]!.feed('d');
    expect(old[0]!.records().map((r) => r.value)).toEqual([1, 2, 3]);
    const snapshots: OperatorSnapshot[] = old.map((h) => h.snapshot(7));
    const fresh = [0, 1, 2].map((subtask) => createOperatorHarness(mapOperator(fn), { subtaskIndex: subtask, parallelism: 3, restore: snapshots }).open());
    fresh.forEach((h) => h.feed('z'));
    // 4 items over 3 subtasks: 2, 1, 1; each then adds one.
    expect(fresh.map((h) => h.records()[0]!.value)).toEqual([3, 2, 2]);
  });

  test('a keyed process function keeps operator state beside its keyed TTL state; both come back at another parallelism', () => {
    type Self = { total: number; state: OperatorListState };
    const ttl = StateTtlConfig.newBuilder(100).build();
    const fn: KeyedProcessFunction<{ last: ReturnType<typeof valueState> }> = {
      state: { last: valueState(null, { ttl }) },
      initializeState(ctx) {
        const self = this as unknown as Self;
        self.state = ctx.getOperatorStateStore().getUnionListState('totals');
        self.total = self.state.get().reduce<number>((a, b) => a + (b as number), 0);
      },
      snapshotState() {
        const self = this as unknown as Self;
        self.state.update([self.total]);
      },
      processElement(value, ctx, out) {
        const self = this as unknown as Self;
        self.total++;
        const last = ctx.getState('last');
        out.collect({ before: last.value(), total: self.total });
        last.update((value as { v: JsonValue }).v);
      },
    };
    const h = createOperatorHarness(createKeyedProcessOperator(fn), { keySelector: 'key', parallelism: 1 }).open();
    h.feed('a:1 b:2 P50 a:3');
    const snapshot = h.snapshot();
    const restored = [0, 1].map((subtask) => createOperatorHarness(createKeyedProcessOperator(fn), { keySelector: 'key', subtaskIndex: subtask, parallelism: 2, restore: [snapshot], startProcessingTimeMs: 120 }).open());
    // Each key goes to the subtask that owns its key group, as keyBy would send it.
    const owner = (key: string) => restored.find((r) => {
      const group = keyGroupOf(key, 128);
      return group >= r.backend!.keyGroupRange.start && group <= r.backend!.keyGroupRange.end;
    })!;
    owner('a').feed('a:9');
    owner('b').feed('b:9');
    const outputs = restored.flatMap((r) => r.records().map((x) => x.value));
    // 'a' was written at 50 (alive at 120), 'b' at 0 (expired at 100); each subtask's union total starts at 3.
    expect(owner('a')).not.toBe(owner('b'));
    expect(outputs).toContainEqual({ before: 3, total: 4 });
    expect(outputs).toContainEqual({ before: null, total: 4 });
  });
});
