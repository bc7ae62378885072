/**
 * Session windows and merging, checked against Flink's docs ("Windows" > "Session
 * Windows": windows of elements closer than the gap merge) and tests
 * (WindowOperatorTest.testSessionWindows, testMergeAndEvictor..., testPointSessions,
 * MergingWindowSetTest, EventTimeSessionWindowsTest, WindowOperatorContractTest
 * .testMergingWindowSetClearedAtGarbageCollection / testMergingLateWindows).
 */
import { describe, expect, test } from 'vitest';
import { KeyedStateBackend } from '../../../core/state/index.ts';
import { assignerOf, MergingWindowSet, type TimeWindow } from '../../../core/operators/windows/index.ts';
import { session, take, tumbling, windowHarness } from './helpers.ts';

describe('session windows (EventTimeSessionWindows)', () => {
  test('elements closer than the gap form one session [first, last + gap)', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@0 a@5 a@14 W22');
    expect(take(h)).toBe('W22');
    h.feed('W23');
    expect(take(h)).toBe('a[0,24)=3 W23');
  });

  test('windows that only touch merge: intersects is inclusive (TimeWindow.intersects)', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@0 a@10 b@0 b@11 W100');
    expect(take(h)).toBe('b[0,10)=1 a[0,20)=2 b[11,21)=1 W100');
  });

  test('sessions per key, out of order, gap 3000 (after WindowOperatorTest.testSessionWindows)', () => {
    const h = windowHarness({ assigner: session(3000), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('key2:1@0 key2:2@1000 key2:3@2500 key1:1@10 key1:2@1000');
    h.feed('W3000 W3999 W4000');
    expect(take(h)).toBe('W3000 key1[10,4000)=3 W3999 W4000');
    // key1's session is gone, so key1@2500 opens a new one; key2@5501 is 1 ms too far from [0, 5500).
    h.feed('key1:3@2500 key2:4@5501 key2:5@6000 key2:5@6000 key2:6@6050');
    h.feed('W12000');
    expect(take(h)).toBe('key2[0,5500)=6 key1[2500,5500)=3 key2[5501,9050)=20 W12000');
    expect(h.lateRecordsDropped).toBe(0);
    expect(h.stateSize()).toBe(0);
  });

  test('one element bridging two sessions merges them and their state; old timers go, one new timer comes (MergingWindowSet)', () => {
    const h = windowHarness({ assigner: session(10), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@0 a:2@5 a:4@20 a:8@30');
    // Two sessions, [0, 15) and [20, 40): two contents, one merging-set entry, two timers.
    expect(h.stateSize()).toBe(3);
    expect(h.timers()).toEqual({ eventTime: 2, processingTime: 0 });
    h.feed('a:16@12');
    expect(h.stateSize()).toBe(2);
    expect(h.timers()).toEqual({ eventTime: 1, processingTime: 0 });
    // The old sessions' ends (14 and 39 - the merged window ends at 40 too) fire nothing early.
    h.feed('W14 W38');
    expect(take(h)).toBe('W14 W38');
    h.feed('W39');
    expect(take(h)).toBe('a[0,40)=31 W39');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('bridging elements merge a chain of sessions into one', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@0 a@20 a@40');
    expect(h.timers().eventTime).toBe(3);
    h.feed('a@10');
    expect(h.timers().eventTime).toBe(2);
    h.feed('a@30 W100');
    expect(take(h)).toBe('a[0,50)=5 W100');
  });

  test('an element inside an existing session changes nothing but its contents', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@0 a@8 a@3 a@3');
    expect(h.timers().eventTime).toBe(1);
    h.feed('W17');
    expect(take(h)).toBe('a[0,18)=4 W17');
  });

  test('sessions of different keys never merge', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@0 b@5 a@9 W100');
    expect(take(h)).toBe('b[5,15)=1 a[0,19)=2 W100');
  });

  test('a late element that reaches a live session merges into it and is not late (the merged window is not late)', () => {
    const h = windowHarness({ assigner: session(10), lateOutputTag: 'late' });
    h.feed('a@100 W105 a@95');
    expect(h.sideOutput('late')).toEqual([]);
    h.feed('W109');
    expect(take(h)).toBe('W105 a[95,110)=2 W109');
  });

  test('a late element whose own session is already past cleanup time is late data (testMergingLateWindows)', () => {
    const h = windowHarness({ assigner: session(10) });
    h.feed('a@100 W200 a@50 a@189');
    expect(h.lateRecordsDropped).toBe(2);
    expect(take(h)).toBe('a[100,110)=1 W200');
    expect(h.stateSize()).toBe(0);
  });

  test('with allowed lateness, a fired session that a late element extends fires again when the watermark reaches the new end', () => {
    const h = windowHarness({ assigner: session(10), allowedLatenessMs: 100 });
    h.feed('a@0 W9');
    expect(take(h)).toBe('a[0,10)=1 W9');
    // [0, 10) is still alive (cleanup at 109); [5, 15) merges into [0, 15), whose end has not passed.
    h.feed('a@5');
    expect(take(h)).toBe('');
    h.feed('W14');
    expect(take(h)).toBe('a[0,15)=2 W14');
    // A late element inside the merged session fires it at once (late firing).
    h.feed('a@1');
    expect(take(h)).toBe('a[0,15)=3');
    h.feed('W113');
    expect(h.stateSize()).toBe(2); // the contents and the key's merging window set
    h.feed('W114');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('collect over merged sessions: the earlier session first, then the later, then the bridging element', () => {
    const h = windowHarness({ assigner: session(10), aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:2@20 a:1@0 a:3@10 W100');
    expect(take(h)).toBe('a[0,30)=[1,2,3] W100');
  });

  test('a count trigger on sessions merges the counts (CountTrigger.onMerge)', () => {
    const h = windowHarness({ assigner: session(10), trigger: { type: 'count', count: 3 } });
    h.feed('a@0 a@20');
    expect(take(h)).toBe('');
    h.feed('a@10');
    expect(take(h)).toBe('a[0,30)=3');
    h.feed('W100');
    expect(take(h)).toBe('W100');
    expect(h.stateSize()).toBe(0);
  });

  test('a tumbling assigner never merges', () => {
    const h = windowHarness({ assigner: tumbling(10) });
    h.feed('a@9 a@10 W100');
    expect(take(h)).toBe('a[0,10)=1 a[10,20)=1 W100');
  });
});

describe('MergingWindowSet (MergingWindowSetTest)', () => {
  const assigner = assignerOf({ type: 'session', gapMs: 10, time: 'event' });
  const backend = (): KeyedStateBackend => {
    const b = new KeyedStateBackend({ start: 0, end: 0 }, () => 0);
    b.setCurrentKey('k');
    return b;
  };
  const w = (start: number, end: number): TimeWindow => ({ start, end });

  test('a new window on its own is its own state window; no merge is reported', () => {
    const set = new MergingWindowSet(backend(), assigner);
    const merges: unknown[] = [];
    expect(set.addWindow(w(0, 10), (...args) => merges.push(args))).toEqual(w(0, 10));
    expect(set.stateWindowOf(w(0, 10))).toEqual(w(0, 10));
    expect(merges).toEqual([]);
  });

  test('a window inside an existing one returns the existing one and reports no merge', () => {
    const set = new MergingWindowSet(backend(), assigner);
    set.addWindow(w(0, 10), () => {});
    const merges: unknown[] = [];
    expect(set.addWindow(w(2, 8), (...args) => merges.push(args))).toEqual(w(0, 10));
    expect(merges).toEqual([]);
    expect(set.windows()).toEqual([w(0, 10)]);
  });

  test('a bridging window merges both; the merged window keeps the earliest state window', () => {
    const set = new MergingWindowSet(backend(), assigner);
    set.addWindow(w(0, 10), () => {});
    set.addWindow(w(20, 30), () => {});
    const merges: unknown[] = [];
    expect(set.addWindow(w(10, 20), (...args) => merges.push(args))).toEqual(w(0, 30));
    expect(merges).toEqual([[w(0, 30), [w(0, 10), w(20, 30)], w(0, 10), [w(20, 30)]]]);
    expect(set.stateWindowOf(w(0, 30))).toEqual(w(0, 10));
    expect(set.stateWindowOf(w(0, 10))).toBeNull();
    expect(set.windows()).toEqual([w(0, 30)]);
  });

  test('the set is keyed state: persisted, reloaded, and removed when the last window retires', () => {
    const b = backend();
    const set = new MergingWindowSet(b, assigner);
    set.addWindow(w(0, 10), () => {});
    set.addWindow(w(5, 15), () => {});
    set.persist();
    expect(b.size).toBe(1);
    const again = new MergingWindowSet(b, assigner);
    expect(again.windows()).toEqual([w(0, 15)]);
    expect(again.stateWindowOf(w(0, 15))).toEqual(w(0, 10));
    again.retireWindow(w(0, 15));
    again.persist();
    expect(b.size).toBe(0);
  });
});
