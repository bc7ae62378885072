/**
 * Evictors, after Flink's EvictingWindowOperatorTest (re-expressed, with its inputs and
 * expected sums): CountEvictor, TimeEvictor and DeltaEvictor, each before and after the
 * window function, on the global window with a count trigger and on tumbling windows. What
 * an evictor removes is gone from the window's state (FLINK-4369: the list state is
 * rewritten), so a later firing of the same window does not see it again; the aggregate is
 * computed from the elements left at each firing.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../../core/model/index.ts';
import { evictorOf, type WindowEvictorSpec } from '../../../core/operators/windows/index.ts';
import { global, session, take, takeGlobal, tumbling, windowHarness } from './helpers.ts';

const count2 = { type: 'count', count: 2 } as const;
const sum = { kind: 'sum', expr: 'v' } as const;
const countEvictor = (maxCount: number, evictAfter = false): WindowEvictorSpec => ({ type: 'count', maxCount, evictAfter });
const timeEvictor = (windowSizeMs: number, evictAfter = false): WindowEvictorSpec => ({ type: 'time', windowSizeMs, evictAfter });
const deltaEvictor = (threshold: number, evictAfter = false): WindowEvictorSpec => ({ type: 'delta', threshold, delta: 'new.v - old.v', evictAfter });

describe('the evictors themselves', () => {
  test('count keeps the last maxCount in arrival order; time keeps what is within windowSize of the newest; delta drops what is >= threshold from the last', () => {
    const elements: [JsonValue, number | null][] = [
      [{ v: 1 }, 10],
      [{ v: 5 }, 30],
      [{ v: 2 }, 20],
    ];
    expect(evictorOf(countEvictor(2)).evictBefore(elements)).toEqual(elements.slice(1));
    expect(evictorOf(countEvictor(5)).evictBefore(elements)).toBe(elements);
    // newest 30, cutoff 30 - 10 = 20: timestamps <= 20 go (Flink's `<= evictCutoff`)
    expect(evictorOf(timeEvictor(10)).evictBefore(elements)).toEqual([[{ v: 5 }, 30]]);
    // last v = 2; delta(element, last) = 2 - v: 1 for v=1, -3 for v=5, 0 for v=2
    expect(evictorOf(deltaEvictor(1)).evictBefore(elements)).toEqual(elements.slice(1));
    expect(evictorOf(deltaEvictor(1, true)).evictBefore(elements)).toBe(elements);
    expect(evictorOf(deltaEvictor(1, true)).evictAfter(elements)).toEqual(elements.slice(1));
  });
});

describe('CountEvictor (testCountEvictorEvictAfter, testCountEvictorEvictBefore)', () => {
  const feedOne = 'b@3000 b@3999 a@20 a@0 a@999 b@1998 b@1999 b@1000';

  test('evict after: the function sees everything, then all but the last 4 go', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: countEvictor(4, true), aggregate: sum });
    h.feed(feedOne);
    expect(takeGlobal(h)).toBe('b=2 a=2 b=4');
    h.feed('a@10999 b@1000');
    expect(takeGlobal(h)).toBe('a=4 b=6');
    h.feed('b@1000 b@1000');
    expect(takeGlobal(h)).toBe('b=6');
  });

  test('evict before: the function sees the last 3 only, and only those stay', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: countEvictor(3), aggregate: sum });
    h.feed(feedOne);
    expect(takeGlobal(h)).toBe('b=2 a=2 b=3');
    h.feed('a@10999 b@1000');
    expect(takeGlobal(h)).toBe('a=3 b=3');
  });

  test('on a tumbling window with a late firing: the late firing sees what the first one left', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500, evictor: countEvictor(2), aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1@1 a:2@2 a:3@3 W999');
    expect(take(h)).toBe('a[0,1000)=[2,3] W999');
    h.feed('a:4@4');
    expect(take(h)).toBe('a[0,1000)=[3,4]');
    h.feed('W1499');
    expect(h.stateSize()).toBe(0);
  });
});

describe('TimeEvictor (testTimeEvictorEvictBefore, testTimeEvictorEvictAfter, testTimeEvictorNoTimestamp)', () => {
  test('evict before, on tumbling windows of 4 s with a count trigger of 2: keeps 2 s before the newest', () => {
    const h = windowHarness({ assigner: tumbling(4000), trigger: count2, evictor: timeEvictor(2000), aggregate: sum });
    h.feed('b@1000 b@3999 a@20 a@0 a@999 a@5999 b@3500 b@2001 b@1001');
    expect(take(h)).toBe('b[0,4000)=1 a[0,4000)=2 b[0,4000)=3');
    h.feed('a@6500 b@1002');
    expect(take(h)).toBe('a[4000,8000)=2 b[0,4000)=3');
  });

  test('evict after, on the global window: each firing counts everything, then drops what is 2 s older than the newest', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: timeEvictor(2000, true), aggregate: sum });
    h.feed('b@1000 b@4000 a@20 a@0 a@999 b@3500 b@2001 b@1001');
    expect(takeGlobal(h)).toBe('b=2 a=2 b=3');
    h.feed('a@10999 b@1002');
    expect(takeGlobal(h)).toBe('a=4 b=5');
  });

  test('elements without timestamps are never evicted by time', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: timeEvictor(2000, true), aggregate: sum });
    h.feed('b b a a a b b b');
    expect(takeGlobal(h)).toBe('b=2 a=2 b=4');
    h.feed('a b');
    expect(takeGlobal(h)).toBe('a=4 b=6');
  });
});

describe('DeltaEvictor (testDeltaEvictorEvictBefore, testDeltaEvictorEvictAfter): delta(element, last) >= threshold goes', () => {
  const feed = 'b:1@3000 b:4@3999 a:1@20 a:1@0 a:5@999 b:5@1998 b:6@1999 b:1@1000';

  test('before the function', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: deltaEvictor(2), aggregate: sum });
    h.feed(feed);
    expect(takeGlobal(h)).toBe('b=4 a=2 b=11');
    h.feed('a:3 b:10');
    expect(takeGlobal(h)).toBe('a=8 b=10');
  });

  test('after the function', () => {
    const h = windowHarness({ assigner: global(), trigger: count2, evictor: deltaEvictor(2, true), aggregate: sum });
    h.feed(feed);
    expect(takeGlobal(h)).toBe('b=5 a=2 b=15');
    h.feed('a:3 b:10');
    expect(takeGlobal(h)).toBe('a=10 b=22');
  });
});

describe('evicting windows and the rest of the window operator', () => {
  test('a process window function gets the elements left by evictBefore, in arrival order', () => {
    const seen: JsonValue[] = [];
    const h = windowHarness({
      assigner: tumbling(1000),
      evictor: countEvictor(2),
      aggregate: { kind: 'collect', expr: null },
      windowFunction: (key, window, elements) => {
        seen.push(elements);
        return [{ key, start: window.start, n: (elements as JsonValue[]).length }];
      },
    });
    h.feed('a:1@5 a:2@1 a:3@9 W999');
    expect(seen).toEqual([[{ key: 'a', v: 2 }, { key: 'a', v: 3 }]]);
    expect(h.records()).toEqual([{ value: { key: 'a', start: 0, n: 2 }, timestamp: 999 }]);
  });

  test('sessions merge their element lists (earlier session first), then the evictor applies at the firing', () => {
    const h = windowHarness({ assigner: session(10), evictor: countEvictor(3), aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1@0 a:2@20 a:3@25 a:4@10 W100');
    expect(take(h)).toBe('a[0,35)=[2,3,4] W100');
  });

  test('a purging trigger empties the element list after the firing', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'purging', trigger: count2 }, evictor: countEvictor(1), aggregate: sum });
    h.feed('a:1 a:2 a:3 a:4');
    expect(takeGlobal(h)).toBe('a=2 a=4');
  });

  test('nothing left after evictBefore: a reduce (sum) emits nothing; count gives 0 and collect the empty list, as Flink applies an AggregateFunction to no elements', () => {
    const none = windowHarness({ assigner: global(), trigger: count2, evictor: countEvictor(0), aggregate: sum });
    none.feed('a:1 a:2');
    expect(takeGlobal(none)).toBe('');
    const zero = windowHarness({ assigner: global(), trigger: count2, evictor: countEvictor(0), aggregate: { kind: 'count' } });
    zero.feed('a:1 a:2');
    expect(takeGlobal(zero)).toBe('a=0');
    const empty = windowHarness({ assigner: global(), trigger: count2, evictor: countEvictor(0), aggregate: { kind: 'collect', expr: 'v' } });
    empty.feed('a:1 a:2');
    expect(takeGlobal(empty)).toBe('a=[]');
    expect(empty.stateSize()).toBe(0);
  });
});

/**
 * A plain model of EvictingWindowOperator on one global window with a count trigger: the
 * list of (v, t), and at each firing evictBefore, the function over what is left,
 * evictAfter. Written from the Flink evictors' contracts, not from Weir's code.
 */
function model(events: readonly { v: number; t: number }[], every: number, evictor: WindowEvictorSpec): number[][] {
  const evict = (list: { v: number; t: number }[]): { v: number; t: number }[] => {
    if (list.length === 0) return list;
    switch (evictor.type) {
      case 'count':
        return list.length > evictor.maxCount ? list.slice(list.length - evictor.maxCount) : list;
      case 'time': {
        const newest = Math.max(...list.map((e) => e.t));
        return list.filter((e) => e.t > newest - evictor.windowSizeMs);
      }
      case 'delta': {
        const last = list[list.length - 1]!.v;
        return list.filter((e) => last - e.v < evictor.threshold);
      }
    }
  };
  let list: { v: number; t: number }[] = [];
  let seen = 0;
  const fired: number[][] = [];
  for (const e of events) {
    list.push(e);
    if (++seen < every) continue;
    seen = 0;
    const before = evictor.evictAfter ? list : evict(list);
    fired.push(before.map((x) => x.v));
    list = evictor.evictAfter ? evict(before) : before;
  }
  return fired;
}

const evictorSpec = fc.oneof(
  fc.record({ type: fc.constant('count' as const), maxCount: fc.integer({ min: 0, max: 6 }), evictAfter: fc.boolean() }),
  fc.record({ type: fc.constant('time' as const), windowSizeMs: fc.integer({ min: 0, max: 50 }), evictAfter: fc.boolean() }),
  fc.record({ type: fc.constant('delta' as const), threshold: fc.integer({ min: -5, max: 20 }), delta: fc.constant('new.v - old.v'), evictAfter: fc.boolean() }),
);

describe('evictors, property', () => {
  fcTest.prop([fc.array(fc.record({ v: fc.integer({ min: -20, max: 20 }), t: fc.integer({ min: 0, max: 100 }) }), { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), evictorSpec])(
    'every firing holds what the model of EvictingWindowOperator says, in arrival order',
    (events, every, evictor) => {
      const h = windowHarness({ assigner: global(), trigger: { type: 'count', count: every }, evictor, aggregate: { kind: 'collect', expr: 'v' } });
      for (const { v, t } of events) h.processElement({ key: 'k', v }, t);
      expect(h.records().map((r) => (r.value as { value: number[] }).value)).toEqual(model(events, every, evictor));
    },
  );
});
