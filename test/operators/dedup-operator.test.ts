// The dedup operator in the harness: the first record of a key passes, the others are
// dropped; a Bloom filter drops some first records too (false positives), which the
// ground truth counts; its operator state restores to the same decisions.
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { createOperatorHarness } from '../../core/testing.ts';
import { DedupOperator, type DedupFilterSpec } from '../../core/operators/dedup/index.ts';
import type { JsonValue } from '../../core/index.ts';

const exact: DedupFilterSpec = { mode: 'exact' };
const bloom = (expectedItems: number, falsePositiveRate: number): DedupFilterSpec => ({ mode: 'bloom', expectedItems, falsePositiveRate });

function run(spec: DedupFilterSpec, keys: readonly JsonValue[], restored: JsonValue[] | null = null) {
  const op = new DedupOperator(spec);
  op.initializeState(restored);
  const h = createOperatorHarness(op, { keySelector: 'k', operatorId: 'd' }).open();
  keys.forEach((k, i) => h.processElement({ k, i }, i));
  const passed = h.records().map((r) => (r.value as { i: number }).i);
  const metrics = h.world.dedup.entries().find(([id]) => id === 'd')![1];
  return { op, h, passed, metrics };
}

describe('dedup, exact', () => {
  it('lets the first record of each key through and drops the rest', () => {
    const { h, passed, metrics } = run(exact, ['a', 'b', 'a', 'c', 'b', 'a', { x: 1 }, { x: 1 }, 1, '1']);
    expect(passed).toEqual([0, 1, 3, 6, 8, 9]);
    expect(h.records()[0]).toEqual({ value: { k: 'a', i: 0 }, timestamp: 0 });
    expect(metrics.dropped).toBe(4);
    expect(metrics.falsePositives).toBe(0);
    expect(metrics.keysSeen).toBe(6);
    // "a" is 3 bytes of canonical JSON, {"x":1} 7, 1 one, "1" three: plus 48 each.
    expect(metrics.exactSetBytes).toBe(3 + 3 + 3 + 7 + 1 + 3 + 6 * 48);
    expect(metrics.memoryBytes).toBe(metrics.exactSetBytes);
    expect(metrics.shape).toMatchObject({ mode: 'exact', bits: null, hashFunctions: null });
  });

  it('passes watermarks on', () => {
    const h = createOperatorHarness(new DedupOperator(exact), { keySelector: 'key' }).open();
    h.feed('a@1 a@2 W5 b@6');
    expect(h.output().map((e) => (e.kind === 'watermark' ? `W${e.timestamp}` : `${(e.value as { key: string }).key}@${e.timestamp}`))).toEqual(['a@1', 'W5', 'b@6']);
  });
});

describe('dedup, Bloom filter', () => {
  it('leaves a record.deduplicated trace event per dropped record, false positives marked', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `k${(i * 7) % 2000}`);
    const b = run(bloom(500, 0.05), keys);
    const drops = b.h.trace.events.flatMap((e) => (e.tag === 'record.deduplicated' ? [e] : []));
    expect(drops).toHaveLength(b.metrics.dropped);
    expect(drops.filter((e) => e.falsePositive)).toHaveLength(b.metrics.falsePositives);
    expect(drops.every((e) => e.operator === 'd' && !b.passed.includes((e.value as { i: number }).i))).toBe(true);
  });

  it('sized for fewer keys than key groups at a tiny rate, it still tells the keys apart: k is capped by a group\'s own bits', () => {
    // 10 keys at p = 1e-300: the textbook k is 997, but each of the 128 groups has 113 bits.
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
    const b = run(bloom(10, 1e-300), keys);
    expect(b.metrics.shape).toMatchObject({ mode: 'bloom', hashFunctions: 78 });
    expect(b.metrics.falsePositives).toBe(0);
    expect(b.passed).toHaveLength(40);
  });

  it('drops every duplicate, and some first records (false positives), which it counts', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `k${(i * 7) % 2000}`);
    const truth = run(exact, keys);
    // Sized for 500 keys and fed 2000: the filter fills up and false positives pile up.
    const b = run(bloom(500, 0.05), keys);
    expect(b.metrics.dropped - b.metrics.falsePositives).toBe(truth.metrics.dropped);
    expect(b.metrics.falsePositives).toBeGreaterThan(100);
    expect(b.passed.length).toBe(truth.passed.length - b.metrics.falsePositives);
    // Whatever a Bloom filter lets through, an exact set lets through too.
    const exactPassed = new Set(truth.passed);
    expect(b.passed.every((i) => exactPassed.has(i))).toBe(true);
    expect(b.metrics.keysSeen).toBe(2000);
    expect(b.metrics.exactSetBytes).toBe(truth.metrics.exactSetBytes);
    // 500 at 5%: 3118 bits, 25 per key group of 128, one 32-bit word each.
    expect(b.metrics.shape).toMatchObject({ mode: 'bloom', bits: 25 * 128, hashFunctions: 4, filterBytes: 4 * 128 });
    expect(b.metrics.memoryBytes).toBe(512);
  });

  it('rarely errs when sized for the keys it sees', () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `user-${i % 20_000}`);
    const b = run(bloom(20_000, 0.01), keys);
    // The rate reaches 1% only when the filter holds all 20,000 keys; on the way it is
    // lower, so fewer than 1% of the new keys are dropped (about 0.2% here).
    expect(b.metrics.falsePositives).toBeGreaterThan(0);
    expect(b.metrics.falsePositives).toBeLessThan(100);
    expect(b.metrics.dropped - b.metrics.falsePositives).toBe(20_000);
  });

  fcTest.prop([fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -5, max: 50 })), { maxLength: 300 }), fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.001, max: 0.9, noNaN: true })])(
    'never lets a duplicate through (no false negatives), whatever the sizing',
    (keys, n, p) => {
      const { passed } = run(bloom(n, p), keys);
      const seen = new Set<string>();
      for (const i of passed) {
        const key = JSON.stringify(keys[i]);
        expect(seen.has(key)).toBe(false);
        seen.add(key);
      }
    },
  );

  fcTest.prop([fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 2, maxLength: 600 }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'restored from its snapshot halfway, drops exactly what the uninterrupted filter drops',
    (keys, fraction) => {
      const spec = bloom(100, 0.1);
      const whole = run(spec, keys);
      const cut = Math.floor(keys.length * fraction);
      const first = run(spec, keys.slice(0, cut));
      const state = JSON.parse(JSON.stringify(first.op.snapshotState())) as JsonValue;
      const second = run(spec, keys.slice(cut), [state]);
      expect([...first.passed, ...second.passed.map((i) => i + cut)]).toEqual(whole.passed);
      expect(first.metrics.falsePositives + second.metrics.falsePositives).toBe(whole.metrics.falsePositives);
      expect(second.metrics.keysSeen).toBe(whole.metrics.keysSeen);
    },
  );

  it('snapshots only the key groups it holds, compactly, and reuses a clean group', () => {
    const { op } = run(bloom(1000, 0.01), ['a', 'b']);
    const first = op.snapshotState() as { bitsPerGroup: number; hashFunctions: number; groups: { keyGroup: number; bits: string; keys: string[] }[] };
    expect(first.bitsPerGroup).toBe(75);
    expect(first.hashFunctions).toBe(7);
    expect(first.groups.map((g) => g.keys).flat().sort()).toEqual(['"a"', '"b"']);
    // 75 bits are 3 words, 12 bytes, 16 base64 characters.
    expect(first.groups.every((g) => g.bits.length === 16)).toBe(true);
    const second = op.snapshotState() as typeof first;
    expect(second.groups[0]).toBe(first.groups[0]);
  });

  it('refuses a snapshot of a filter of another size', () => {
    const { op } = run(bloom(1000, 0.01), ['a']);
    const state = op.snapshotState();
    expect(() => run(bloom(1000, 0.02), ['a'], [state])).toThrow(/restored Bloom filter has 75 bits and 7 hash functions per key group/);
  });
});
