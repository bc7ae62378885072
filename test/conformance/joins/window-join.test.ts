/**
 * Conformance with Flink's window join and coGroup (JoinedStreams, CoGroupedStreams and
 * their CoGroupJoinITCase), cases written from the documented behaviour: a join emits every
 * pair of one key's elements of both sides in one window, first-side element by
 * first-side element in arrival order; a window with one side only joins nothing, but its
 * coGroup is called with an empty list; results carry the window's max timestamp; sessions
 * merge across the sides; a count trigger fires the join as it fires a window; allowed
 * lateness fires a window again with every pair; late elements are dropped and counted;
 * and the window contents survive a snapshot and a restore at another parallelism.
 */
import { describe, expect, test } from 'vitest';
import { CoGroupWindowOperator, joinAsCoGroup, type CoGroupFunction, type JoinWindowConfig } from '../../../core/operators/index.ts';
import { createTwoInputHarness, type TwoInputHarnessOptions } from '../../../core/testing.ts';
import type { JsonValue } from '../../../core/model/index.ts';
import { keyGroupOf, keyGroupRange } from '../../../core/graph/index.ts';

type El = { k: string; v: string };
const key = (r: { value: JsonValue }) => (r.value as El).k;
const tumbling = (sizeMs: number): JoinWindowConfig => ({ assigner: { type: 'tumbling', sizeMs, offsetMs: 0, time: 'event' }, trigger: null, allowedLatenessMs: 0 });
const pair = joinAsCoGroup((a, b) => `${(a as El).v}${(b as El).v}`);
const groups: CoGroupFunction = (first, second, k, window) => [`${String(k)}[${window.start},${window.end}) F:${first.map((e) => (e as El).v).join('')} S:${second.map((e) => (e as El).v).join('')}`];

function harness(window: JoinWindowConfig, fn: CoGroupFunction = pair, options: TwoInputHarnessOptions = {}) {
  return createTwoInputHarness(new CoGroupWindowOperator({ window, keys: [key, key], fn }), { keySelectors: ['k', 'k'], ...options }).open();
}

const el = (v: string, k = 'a'): El => ({ k, v });

describe('window join', () => {
  test("every pair of one key's elements in one window, first side outermost, in arrival order", () => {
    const h = harness(tumbling(3));
    h.processElement1(el('a1'), 0).processElement1(el('a2'), 1).processElement2(el('x'), 2).processElement2(el('y'), 1);
    h.processElement1(el('b1', 'b'), 2).processElement2(el('z', 'b'), 0);
    h.processBothWatermarks(2);
    expect(h.records()).toEqual([
      { value: 'a1x', timestamp: 2 },
      { value: 'a1y', timestamp: 2 },
      { value: 'a2x', timestamp: 2 },
      { value: 'a2y', timestamp: 2 },
      { value: 'b1z', timestamp: 2 },
    ]);
  });

  test('elements in different windows do not join, however close they are', () => {
    const h = harness(tumbling(3));
    h.processElement1(el('a'), 2).processElement2(el('x'), 3);
    h.processBothWatermarks(10);
    expect(h.records()).toEqual([]);
  });

  test('a window fires when the combined watermark passes it: the slower input holds it back', () => {
    const h = harness(tumbling(3));
    h.processElement1(el('a'), 0).processElement2(el('x'), 1);
    h.processWatermark1(5);
    expect(h.records()).toEqual([]);
    h.processWatermark2(2);
    expect(h.records().map((r) => r.value)).toEqual(['ax']);
  });

  test('session windows merge across both sides: a gap from either side keeps the session open', () => {
    const h = harness({ assigner: { type: 'session', gapMs: 5, time: 'event' }, trigger: null, allowedLatenessMs: 0 }, groups);
    h.processElement1(el('1'), 0).processElement2(el('2'), 4).processElement1(el('3'), 8).processElement2(el('4'), 20);
    h.processBothWatermarks(100);
    expect(h.records()).toEqual([
      { value: 'a[0,13) F:13 S:2', timestamp: 12 },
      { value: 'a[20,25) F: S:4', timestamp: 24 },
    ]);
  });

  test('a count trigger on the global window fires the join every n elements of a key, counting both sides', () => {
    const h = harness({ assigner: { type: 'global' }, trigger: { type: 'purging', trigger: { type: 'count', count: 3 } }, allowedLatenessMs: 0 });
    h.processElement1(el('a')).processElement2(el('x')).processElement1(el('b'));
    expect(h.records().map((r) => r.value)).toEqual(['ax', 'bx']);
    h.processElement2(el('y')).processElement2(el('z'));
    expect(h.records().map((r) => r.value)).toEqual(['ax', 'bx']);
    h.processElement1(el('c'));
    expect(h.records().map((r) => r.value)).toEqual(['ax', 'bx', 'cy', 'cz']);
  });

  test('a count evictor keeps the last elements of both sides together', () => {
    const h = harness({ ...tumbling(10), evictor: { type: 'count', maxCount: 2, evictAfter: false } });
    h.processElement1(el('a'), 1).processElement1(el('b'), 2).processElement2(el('x'), 3);
    h.processBothWatermarks(20);
    expect(h.records().map((r) => r.value)).toEqual(['bx']);
  });
});

describe('coGroup', () => {
  test('called per key and window with both lists, one of them possibly empty', () => {
    const h = harness(tumbling(3), groups);
    h.processElement1(el('1'), 0).processElement2(el('2'), 1).processElement1(el('3'), 2);
    h.processElement1(el('4', 'b'), 1);
    h.processElement2(el('5', 'c'), 4);
    h.processBothWatermarks(10);
    expect(h.records()).toEqual([
      { value: 'a[0,3) F:13 S:2', timestamp: 2 },
      { value: 'b[0,3) F:4 S:', timestamp: 2 },
      { value: 'c[3,6) F: S:5', timestamp: 5 },
    ]);
  });

  test('what the function throws fails the task with the operator named', () => {
    const h = harness(tumbling(3), () => {
      throw new Error('boom');
    });
    h.processElement1(el('1'), 0);
    expect(() => h.processBothWatermarks(5)).toThrow(/boom/);
  });
});

describe('lateness', () => {
  test('allowed lateness: a late element fires the window again, with every pair', () => {
    const h = harness({ ...tumbling(3), allowedLatenessMs: 5 });
    h.processElement1(el('a'), 0).processElement2(el('x'), 1);
    h.processBothWatermarks(3);
    expect(h.records().map((r) => r.value)).toEqual(['ax']);
    h.processElement2(el('y'), 2);
    expect(h.records().map((r) => r.value)).toEqual(['ax', 'ax', 'ay']);
  });

  test('after the cleanup time an element is late: dropped and counted, never joined', () => {
    const h = harness(tumbling(3));
    h.processElement1(el('a'), 0);
    h.processBothWatermarks(5);
    h.processElement2(el('x'), 1);
    h.processBothWatermarks(10);
    expect(h.records()).toEqual([]);
    expect(h.metrics.lateRecordsDropped).toBe(1);
  });

  test('an element without a timestamp fails an event-time join', () => {
    const h = harness(tumbling(3));
    expect(() => h.processElement1(el('a'))).toThrow(/without a timestamp/);
  });
});

describe('snapshot and restore', () => {
  test('the elements waiting in open windows are restored, and join with what comes after', () => {
    const h = harness(tumbling(10));
    h.processElement1(el('a'), 1).processElement2(el('x', 'b'), 2);
    const snapshot = h.snapshot(1);
    const r = harness(tumbling(10), pair, { restore: [snapshot] });
    r.processElement2(el('x'), 3).processElement1(el('b', 'b'), 4);
    r.processBothWatermarks(20);
    expect(r.records().map((x) => x.value).sort()).toEqual(['ax', 'bx']);
  });

  test('rescaled to two subtasks, each key waits in exactly the subtask that owns its key group', () => {
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    const h = harness(tumbling(10));
    for (const k of keys) h.processElement1(el(k, k), 1);
    const snapshot = h.snapshot(1);
    const joined: string[] = [];
    for (const subtaskIndex of [0, 1]) {
      const r = harness(tumbling(10), pair, { restore: [snapshot], subtaskIndex, parallelism: 2 });
      const range = keyGroupRange(128, 2, subtaskIndex);
      const mine = keys.filter((k) => {
        const group = keyGroupOf(k, 128);
        return group >= range.start && group <= range.end;
      });
      for (const k of mine) r.processElement2(el('!', k), 2);
      r.processBothWatermarks(20);
      joined.push(...r.records().map((x) => x.value as string));
    }
    expect(joined.sort()).toEqual(keys.map((k) => `${k}!`));
  });
});
