/**
 * Conformance with Flink's IntervalJoinOperatorTest, cases written from its documented
 * behaviour: which pairs an interval with inclusive and exclusive bounds joins, that the
 * result does not depend on which side arrives first, that the pair's timestamp is the
 * larger one, that cleanup timers empty the buffers once the watermark has passed, that
 * late elements are dropped, that elements without timestamps fail, and that the buffers
 * and timers survive a snapshot and restore, also at another parallelism.
 */
import { describe, expect, test } from 'vitest';
import { IntervalJoinOperator, UserFunctionError, type IntervalJoinConfig, type ProcessJoinFunction } from '../../../core/operators/index.ts';
import { createTwoInputHarness, type TwoInputHarnessOptions } from '../../../core/testing.ts';
import type { JsonValue } from '../../../core/model/index.ts';
import { keyGroupOf, keyGroupRange } from '../../../core/graph/index.ts';

const key = (r: { value: JsonValue }) => (r.value as { k: string }).k;
const pairs: ProcessJoinFunction = {
  processElement(left, right, ctx, out) {
    out.collect(`${(left as { t: number }).t}:${(right as { t: number }).t}@${ctx.getLeftTimestamp()},${ctx.getRightTimestamp()}`);
  },
};

function join(lowerMs: number, upperMs: number, flags: { lowerExclusive?: boolean; upperExclusive?: boolean } = {}, extra: Partial<IntervalJoinConfig> = {}, options: TwoInputHarnessOptions = {}) {
  const config: IntervalJoinConfig = {
    bounds: { lowerMs, upperMs, lowerInclusive: flags.lowerExclusive !== true, upperInclusive: flags.upperExclusive !== true },
    keys: [key, key],
    fn: pairs,
    ...extra,
  };
  return createTwoInputHarness(new IntervalJoinOperator(config), { keySelectors: ['k', 'k'], ...options }).open();
}

const el = (t: number, k = 'a') => ({ k, t });

/** Every pair joined when lefts and rights with timestamps `ts` all arrive (lefts first or rights first). */
function joined(lowerMs: number, upperMs: number, ts: number[], flags?: { lowerExclusive?: boolean; upperExclusive?: boolean }, rightsFirst = false): string[] {
  const h = join(lowerMs, upperMs, flags);
  const lefts = () => ts.forEach((t) => h.processElement1(el(t), t));
  const rights = () => ts.forEach((t) => h.processElement2(el(t), t));
  if (rightsFirst) {
    rights();
    lefts();
  } else {
    lefts();
    rights();
  }
  return h.records().map((r) => (r.value as string).split('@')[0]!).sort();
}

describe('which pairs an interval joins', () => {
  test('[-1, 1] inclusive: a right element within one ms of the left one', () => {
    expect(joined(-1, 1, [1, 2, 3, 4])).toEqual(['1:1', '1:2', '2:1', '2:2', '2:3', '3:2', '3:3', '3:4', '4:3', '4:4']);
  });

  test('the result mirrors: it does not depend on which side arrives first', () => {
    expect(joined(-1, 1, [1, 2, 3, 4], {}, true)).toEqual(joined(-1, 1, [1, 2, 3, 4]));
    expect(joined(0, 2, [1, 2, 3, 4], {}, true)).toEqual(joined(0, 2, [1, 2, 3, 4]));
  });

  test('[-3, -1] with the upper bound exclusive: right in [left - 3, left - 2]', () => {
    expect(joined(-3, -1, [1, 2, 3, 4], { upperExclusive: true })).toEqual(['3:1', '4:1', '4:2']);
  });

  test('[-3, -1] with both inclusive', () => {
    expect(joined(-3, -1, [1, 2, 3, 4])).toEqual(['2:1', '3:1', '3:2', '4:1', '4:2', '4:3']);
  });

  test('[1, 3] with the lower bound exclusive: right in [left + 2, left + 3]', () => {
    expect(joined(1, 3, [1, 2, 3, 4], { lowerExclusive: true })).toEqual(['1:3', '1:4', '2:4']);
  });

  test('[0, 0] joins equal timestamps only; exclusive on either side joins nothing', () => {
    expect(joined(0, 0, [1, 2])).toEqual(['1:1', '2:2']);
    expect(joined(0, 0, [1, 2], { lowerExclusive: true })).toEqual([]);
    expect(joined(0, 0, [1, 2], { upperExclusive: true })).toEqual([]);
  });

  test('only equal keys meet', () => {
    const h = join(-5, 5);
    h.processElement1(el(1, 'a'), 1).processElement2(el(2, 'b'), 2).processElement2(el(3, 'a'), 3);
    expect(h.records().map((r) => r.value)).toEqual(['1:3@1,3']);
  });

  test('lower above upper is refused, as Flink\'s "lowerBound <= upperBound must be fulfilled"', () => {
    expect(() => join(2, 1)).toThrow('lowerBound <= upperBound must be fulfilled');
  });
});

describe('timestamps', () => {
  test("the pair's timestamp is the larger of the two; the context knows both", () => {
    const h = join(-5, 5);
    h.processElement1(el(4), 4).processElement2(el(2), 2).processElement2(el(7), 7);
    expect(h.records()).toEqual([
      { value: '4:2@4,2', timestamp: 4 },
      { value: '4:7@4,7', timestamp: 7 },
    ]);
  });

  test('an element without a timestamp fails the task, on either side', () => {
    expect(() => join(-1, 1).processElement1(el(1), null)).toThrow(UserFunctionError);
    expect(() => join(-1, 1).processElement2(el(1), null)).toThrow('the right input has no timestamp');
  });
});

describe('cleanup and lateness', () => {
  test('a buffered element stays until the watermark passes its last chance to join, then its cleanup timer removes it', () => {
    const h = join(-1, 2);
    h.processElement1(el(10), 10);
    expect(h.stateSize()).toBe(1);
    expect(h.timers().eventTime).toBe(1);
    // A right element at 12 can still join the left one at 10: the left waits until watermark 12.
    h.processBothWatermarks(11);
    expect(h.stateSize()).toBe(1);
    h.processElement2(el(12), 12);
    expect(h.records().map((r) => r.value)).toEqual(['10:12@10,12']);
    h.processBothWatermarks(12);
    // The left one is gone; the right one at 12 waits for lefts up to 13 (12 + 1).
    h.processBothWatermarks(13);
    expect(h.stateSize()).toBe(0);
    expect(h.timers().eventTime).toBe(0);
  });

  test('cleanup with a negative upper bound: a left element is removed at its own time', () => {
    const h = join(-3, -1);
    h.processElement1(el(10), 10);
    h.processBothWatermarks(9);
    expect(h.stateSize()).toBe(1);
    h.processBothWatermarks(10);
    expect(h.stateSize()).toBe(0);
  });

  test('a late element (timestamp below the watermark) is dropped and counted, or sent to the side output', () => {
    const h = join(-5, 5);
    h.processElement2(el(8), 8).processBothWatermarks(10).processElement1(el(7), 7);
    expect(h.records()).toEqual([]);
    expect(h.metrics.lateRecordsDropped).toBe(1);
    const s = join(-5, 5, {}, { leftLateTag: 'lateLeft', rightLateTag: 'lateRight' });
    s.processBothWatermarks(10).processElement1(el(7), 7).processElement2(el(3), 3).processElement1(el(10), 10);
    expect(s.sideOutput('lateLeft').map((r) => [r.value, r.timestamp])).toEqual([[{ k: 'a', t: 7 }, 7]]);
    expect(s.sideOutput('lateRight').map((r) => r.timestamp)).toEqual([3]);
    expect(s.stateSize()).toBe(1);
    // Each is a record.late trace event, with the watermark it was behind and where it went.
    const late = (x: typeof h) => x.trace.events.flatMap((e) => (e.tag === 'record.late' ? [[e.timestamp, e.watermark, e.sideOutput]] : []));
    expect(late(h)).toEqual([[7, 10, null]]);
    expect(late(s)).toEqual([[7, 10, 'lateLeft'], [3, 10, 'lateRight']]);
  });

  test('the watermark is the minimum of both inputs: one input ahead does not make the other late', () => {
    const h = join(-5, 5);
    h.processWatermark1(100);
    h.processElement2(el(50), 50).processElement1(el(52), 52);
    expect(h.records().map((r) => r.value)).toEqual(['52:50@52,50']);
    expect(h.watermarks()).toEqual([]);
    h.processWatermark2(60);
    expect(h.watermarks()).toEqual([60]);
  });
});

describe('snapshot and restore', () => {
  test('buffers and cleanup timers are restored: a restored join still finds and still cleans up', () => {
    const h = join(-2, 2);
    h.processElement1(el(5), 5).processElement2(el(9), 9);
    const snapshot = h.snapshot(1);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    const r = join(-2, 2, {}, {}, { restore: [snapshot] });
    r.processElement2(el(6), 6).processElement1(el(8), 8);
    // Oldest first among the other side's buffered timestamps.
    expect(r.records().map((x) => x.value)).toEqual(['5:6@5,6', '8:6@8,6', '8:9@8,9']);
    r.processBothWatermarks(20);
    expect(r.stateSize()).toBe(0);
  });

  test('rescaled to two subtasks, each key is restored in exactly one of them', () => {
    const h = join(-2, 2);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const k of keys) h.processElement1(el(5, k), 5);
    const snapshot = h.snapshot(1);
    const found = [0, 1].map((subtaskIndex) => {
      const r = join(-2, 2, {}, {}, { restore: [snapshot], subtaskIndex, parallelism: 2 });
      const range = keyGroupRange(128, 2, subtaskIndex);
      // Only the keys whose key group the subtask owns: the runtime would send it no other.
      const own = keys.filter((k) => keyGroupOf(k, 128) >= range.start && keyGroupOf(k, 128) <= range.end);
      for (const k of own) r.processElement2(el(6, k), 6);
      expect(r.records().length).toBe(own.length);
      expect(r.stateSize()).toBe(own.length * 2);
      return own.length;
    });
    expect(found[0]! + found[1]!).toBe(keys.length);
    expect(found.every((n) => n > 0)).toBe(true);
  });
});
