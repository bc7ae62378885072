/**
 * Flink's incremental TTL cleanup (TtlIncrementalCleanup, heap backend), on by default as
 * Flink's cleanup in background is: each access of a TTL'd state checks a few more of its
 * entries (5 by default) and removes the expired ones, so state written once and never read
 * again does not stay for ever; with runCleanupForEveryRecord, each record runs a step too.
 * disableCleanupInBackground turns it off, and the RocksDB backend, whose compaction-filter
 * cleanup Weir does not model, never runs it.
 */
import { describe, expect, test } from 'vitest';
import { createSimulation, StateTtlConfig, validateScenario, type JsonValue } from '../../core/index.ts';
import { dsl, harness } from '../conformance/process/helpers.ts';

type Ttl = Record<string, JsonValue> | number;

/** Ten keys write once at 0; at 200 (TTL 100, all expired) key `z` writes `accesses` times. */
function liveEntriesAfter(ttl: Ttl, accesses: number, extraMarbles = ''): number {
  const h = harness(dsl({ state: { seen: { type: 'value', ttl } }, onElement: [{ set: 'seen', to: 'v' }] }));
  h.feed('k0 k1 k2 k3 k4 k5 k6 k7 k8 k9 P200');
  for (let i = 0; i < accesses; i++) h.feed('z');
  if (extraMarbles !== '') h.feed(extraMarbles);
  return h.backend!.size;
}

describe('incremental cleanup (heap backend)', () => {
  test("by default 5 entries are checked per access: expired values nobody reads go, a few per access", () => {
    // Each `set` is one access: one step of 5 entries (of 11: ten expired, z's own alive).
    expect(liveEntriesAfter(100, 0)).toBe(10);
    const one = liveEntriesAfter(100, 1);
    expect(one).toBeGreaterThanOrEqual(11 - 5);
    expect(one).toBeLessThanOrEqual(11 - 4);
    expect(liveEntriesAfter(100, 2)).toBeLessThan(one);
    // Three steps cover all 11 entries: only z is left.
    expect(liveEntriesAfter(100, 3)).toBe(1);
  });

  test('cleanupSize sets how many entries a step checks', () => {
    expect(liveEntriesAfter({ time: 100, cleanupIncrementally: { cleanupSize: 2 } }, 1)).toBe(9);
    expect(liveEntriesAfter({ time: 100, cleanupIncrementally: { cleanupSize: 100 } }, 1)).toBe(1);
  });

  test('disableCleanupInBackground leaves expired values until they are read', () => {
    expect(liveEntriesAfter({ time: 100, cleanupInBackground: false }, 5)).toBe(11);
  });

  test('runCleanupForEveryRecord also steps on records that touch no TTL state', () => {
    const h = harness(
      dsl({
        state: { seen: { type: 'value', ttl: { time: 100, cleanupIncrementally: { cleanupSize: 3, runCleanupForEveryRecord: true } } } },
        onElement: [{ if: 'v == 1', then: [{ set: 'seen', to: 'v' }] }],
      }),
    );
    h.feed('k0 k1 k2 k3 k4 k5 P200');
    const before = h.backend!.size;
    // v = 2: no state access at all, only the per-record step (3 entries each).
    h.feed('x:2');
    expect(before - h.backend!.size).toBe(3);
    h.feed('x:2');
    expect(h.backend!.size).toBe(0);
  });

  test('a list or map loses its expired elements and keeps the live ones', () => {
    const h = harness(dsl({ state: { recent: { type: 'list', ttl: 100 } }, onElement: [{ add: 'recent', value: 'v' }] }));
    h.feed('a:1 P60 a:2 P150 b:3');
    // b's add checked a's list: element 1 (written at 0) expired, element 2 (at 60) not.
    const a = h.backend!.entries().find((e) => e.key === '"a"')!;
    expect((a.value as { v: JsonValue }[]).map((e) => e.v)).toEqual([2]);
  });

  test('the builder: cleanupIncrementally, disableCleanupInBackground, and the default', () => {
    expect(StateTtlConfig.newBuilder(10).build().incrementalCleanup).toEqual({ cleanupSize: 5, runCleanupForEveryRecord: false });
    expect(StateTtlConfig.newBuilder(10).disableCleanupInBackground().build().incrementalCleanup).toBe(null);
    expect(StateTtlConfig.newBuilder(10).disableCleanupInBackground().cleanupIncrementally(7, true).build().incrementalCleanup).toEqual({ cleanupSize: 7, runCleanupForEveryRecord: true });
    expect(() => StateTtlConfig.newBuilder(10).cleanupIncrementally(0, false).build()).toThrow(/at least 1/);
  });
});

describe('in a job', () => {
  function stateSize(stateBackend: string): number {
    const records = Array.from({ length: 40 }, (_, i) => ({ key: i, value: { k: i < 20 ? `old${i}` : 'hot' }, timestamp: i, at: i < 20 ? 0 : 1000 + i }));
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'ttl',
        seed: 1,
        config: { parallelism: 1, stateBackend, checkpointing: { interval: 500 } },
        topics: { t: { partitions: 1, records } },
        job: {
          name: 'ttl',
          operators: [
            { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } },
            { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
            { id: 'p', type: 'process', input: 'k', state: { seen: { type: 'value', ttl: 100 } }, onElement: [{ set: 'seen', to: 'true' }] },
            { id: 'out', type: 'sink', input: 'p', sink: { type: 'print' } },
          ],
        },
      },
      'ttl.json',
    );
    if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
    const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
    sim.run();
    const checkpoints = sim.report().checkpoints.filter((c) => c.status === 'COMPLETED');
    return checkpoints[checkpoints.length - 1]!.stateSize;
  }

  test('the hashmap backend cleans expired state in the background, so the last checkpoint is smaller than with RocksDB', () => {
    const hashmap = stateSize('hashmap');
    const rocksdb = stateSize('rocksdb');
    expect(hashmap).toBeLessThan(rocksdb);
  });
});
