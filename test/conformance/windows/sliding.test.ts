/**
 * Sliding event-time windows, checked against Flink's docs ("Windows" > "Sliding Windows":
 * an element belongs to size / slide windows; offsets shift the alignment) and
 * WindowOperatorTest.testSlidingEventTimeWindows, SlidingEventTimeWindowsTest.
 */
import { describe, expect, test } from 'vitest';
import { assignerOf } from '../../../core/operators/windows/index.ts';
import { sliding, take, windowHarness } from './helpers.ts';

describe('sliding event-time windows (SlidingEventTimeWindows)', () => {
  test('an element belongs to every window that contains it: size / slide of them (SlidingEventTimeWindowsTest.testWindowAssignment)', () => {
    const assigner = assignerOf({ type: 'sliding', sizeMs: 3000, slideMs: 1000, offsetMs: 0, time: 'event' });
    expect(assigner.assignWindows(2500, 0, null)).toEqual([
      { start: 2000, end: 5000 },
      { start: 1000, end: 4000 },
      { start: 0, end: 3000 },
    ]);
    expect(assigner.assignWindows(0, 0, null)).toEqual([
      { start: 0, end: 3000 },
      { start: -1000, end: 2000 },
      { start: -2000, end: 1000 },
    ]);
    expect(assigner.assignWindows(-1, 0, null)).toEqual([
      { start: -1000, end: 2000 },
      { start: -2000, end: 1000 },
      { start: -3000, end: 0 },
    ]);
  });

  test('WindowOperatorTest.testSlidingEventTimeWindows: size 3000, slide 1000, out-of-order input', () => {
    const h = windowHarness({ assigner: sliding(3000, 1000), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('key2@3999 key2@3000 key1@20 key1@0 key1@999 key2@1998 key2@1999 key2@1000');
    h.feed('W999');
    expect(take(h)).toBe('key1[-2000,1000)=3 W999');
    h.feed('W1999');
    expect(take(h)).toBe('key1[-1000,2000)=3 key2[-1000,2000)=3 W1999');
    h.feed('W2999');
    expect(take(h)).toBe('key1[0,3000)=3 key2[0,3000)=3 W2999');
    h.feed('W3999');
    expect(take(h)).toBe('key2[1000,4000)=5 W3999');
    h.feed('W4999');
    expect(take(h)).toBe('key2[2000,5000)=2 W4999');
    h.feed('W5999');
    expect(take(h)).toBe('key2[3000,6000)=2 W5999');
    h.feed('W6999 W7999');
    expect(take(h)).toBe('W6999 W7999');
    expect(h.stateSize()).toBe(0);
  });

  test('an offset shifts the window starts by the offset, modulo the slide (SlidingEventTimeWindowsTest.testWindowAssignmentWithOffset)', () => {
    const h = windowHarness({ assigner: sliding(1000, 500, 100) });
    h.feed('a@99 a@100 W2000');
    expect(take(h)).toBe('a[-900,100)=1 a[-400,600)=2 a[100,1100)=1 W2000');
    const assigner = assignerOf({ type: 'sliding', sizeMs: 1000, slideMs: 500, offsetMs: -100, time: 'event' });
    expect(assigner.assignWindows(0, 0, null)).toEqual([
      { start: -100, end: 900 },
      { start: -600, end: 400 },
    ]);
  });

  test('negative timestamps with an offset', () => {
    const h = windowHarness({ assigner: sliding(1000, 500, 100) });
    h.feed('a@-401 a@-400 W1000');
    expect(take(h)).toBe('a[-1400,-400)=1 a[-900,100)=2 a[-400,600)=1 W1000');
  });

  test('a slide larger than the size leaves gaps: an element in a gap is in no window and is not late data', () => {
    const h = windowHarness({ assigner: sliding(100, 1000), lateOutputTag: 'late' });
    h.feed('a@50 a@500 a@1099 a@1100 W5000');
    expect(take(h)).toBe('a[0,100)=1 a[1000,1100)=1 W5000');
    expect(h.sideOutput('late')).toEqual([]);
    expect(h.lateRecordsDropped).toBe(0);
  });

  test('each window of an element is aggregated separately: a sum counts the element once per window', () => {
    const h = windowHarness({ assigner: sliding(20, 10), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:5@15 a:1@25 W100');
    expect(take(h)).toBe('a[0,20)=5 a[10,30)=6 a[20,40)=1 W100');
  });
});
