/**
 * GlobalWindows and count windows, after Flink's GlobalWindowsTest, WindowOperatorTest
 * (testCountTrigger: countWindow(n) is GlobalWindows + PurgingTrigger.of(CountTrigger.of(n)))
 * and EvictingWindowOperatorTest (countWindow(size, slide) is GlobalWindows + CountTrigger
 * of slide + CountEvictor of size). The global window never fires by itself (NeverTrigger),
 * is never cleaned up, and its results carry the end of time as their timestamp.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { MAX_WATERMARK, type JsonValue } from '../../../core/model/index.ts';
import { keyGroupOf } from '../../../core/graph/index.ts';
import { createWindowOperator } from '../../../core/operators/index.ts';
import { assignerOf, GLOBAL_WINDOW, maxTimestamp } from '../../../core/operators/windows/index.ts';
import { restoreKeyGroups, snapshotKeyGroups } from '../../../core/state/index.ts';
import { createOperatorHarness } from '../../../core/testing.ts';
import { config, global, takeGlobal, windowHarness } from './helpers.ts';

const countWindow = (size: number) => ({ assigner: global(), trigger: { type: 'purging', trigger: { type: 'count', count: size } } }) as const;
const slidingCountWindow = (size: number, slide: number) =>
  ({ assigner: global(), trigger: { type: 'count', count: slide }, evictor: { type: 'count', maxCount: size, evictAfter: false } }) as const;

describe('GlobalWindows', () => {
  test('one window per key, whatever the timestamp; its max timestamp is the end of time', () => {
    const assigner = assignerOf(global());
    expect(assigner.assignWindows(-5, 0, null)).toEqual([GLOBAL_WINDOW]);
    expect(assigner.assignWindows(10_000, 99, null)).toEqual([GLOBAL_WINDOW]);
    expect(maxTimestamp(GLOBAL_WINDOW)).toBe(MAX_WATERMARK);
    expect(assigner.isEventTime).toBe(false); // as Flink's GlobalWindows.isEventTime()
    expect(assigner.defaultTrigger().description).toBe('never');
  });

  test('the default NeverTrigger never fires, not even at the final watermark; the state stays', () => {
    const h = windowHarness({ assigner: global(), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@1 a:2@5000 b:3@-7 W10000 P100000');
    h.processWatermark(MAX_WATERMARK);
    expect(takeGlobal(h)).toBe('W10000 Wmax');
    expect(h.stateSize()).toBe(2);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('an event-time trigger on the global window fires with the final watermark only', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'event-time' }, aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@1 a:2@5000 W10000');
    expect(takeGlobal(h)).toBe('W10000');
    h.processWatermark(MAX_WATERMARK);
    expect(takeGlobal(h)).toBe('a=3 Wmax');
  });

  test('a continuous event-time trigger fires each key every interval of event time (testContinuousWatermarkTrigger)', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'continuous-event-time', intervalMs: 3000 }, aggregate: { kind: 'sum', expr: 'v' } });
    // a's first element at 0 schedules 3000, b's at 3000 schedules 6000; timestamps do not pick windows
    h.feed('a@0 b@3000 b@3999 a@20 a@999 b@1998 b@1999 b@1000 W1000 W2000');
    expect(takeGlobal(h)).toBe('W1000 W2000');
    h.feed('W3000 W4000 W5000');
    expect(takeGlobal(h)).toBe('a=3 W3000 W4000 W5000');
    h.feed('W6000');
    expect(takeGlobal(h)).toBe('b=5 a=3 W6000');
  });

  test('no lateness: an element is never late for the global window', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'count', count: 1 } });
    h.feed('W5000 a@1');
    expect(takeGlobal(h)).toBe('W5000 a=1');
    expect(h.lateRecordsDropped).toBe(0);
  });
});

describe('countWindow(size): GlobalWindows with a purging count trigger', () => {
  test('every size elements of a key, each firing alone (FIRE_AND_PURGE); a remainder is never emitted', () => {
    const h = windowHarness({ ...countWindow(3), aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1 a:2 b:10 a:3 b:20 a:4 a:5 b:30 a:6 a:7');
    expect(takeGlobal(h)).toBe('a=[1,2,3] b=[10,20,30] a=[4,5,6]');
    h.processWatermark(MAX_WATERMARK);
    expect(takeGlobal(h)).toBe('Wmax');
    // a's 7th element waits for two more (its contents and the trigger's count stay)
    expect(h.stateSize()).toBe(2);
  });

  test('the count survives a checkpoint and restore (testCountTrigger)', () => {
    const windowConfig = config({ ...countWindow(4), aggregate: { kind: 'sum', expr: 'v' } });
    const before = createOperatorHarness(createWindowOperator(windowConfig), { keySelector: 'key' }).open();
    before.feed('b@3000 b@3999 a@20 a@0 a@999 b@1998 b@1999');
    expect(takeGlobal(before)).toBe('b=4');
    const snapshot = snapshotKeyGroups(before.backend!, before.timerService!, (key) => keyGroupOf(key, 128));
    const after = createOperatorHarness(createWindowOperator(windowConfig), { keySelector: 'key' });
    restoreKeyGroups(after.backend!, after.timerService!, [snapshot]);
    after.open();
    // a's three elements and their count came back: its fourth fires
    after.feed('b@1000 a@10999');
    expect(takeGlobal(after)).toBe('a=4');
    after.feed('b@1000 b@1000 b@1000');
    expect(takeGlobal(after)).toBe('b=4');
  });

  test('timestamps play no part', () => {
    const h = windowHarness({ ...countWindow(2), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@1000 W2000 a:2@5 a:4');
    expect(takeGlobal(h)).toBe('W2000 a=3');
  });
});

describe('countWindow(size, slide): a count trigger every slide and a count evictor of size', () => {
  test('every slide elements, the last size elements of the key', () => {
    const h = windowHarness({ ...slidingCountWindow(3, 2), aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1 a:2 a:3 a:4 a:5 a:6 a:7');
    expect(takeGlobal(h)).toBe('a=[1,2] a=[2,3,4] a=[4,5,6]');
    // the evictor keeps at most 3 (4, 5, 6), plus 7 and the trigger's count
    expect(h.stateSize()).toBe(2);
  });

  test('a sum over the evicted window is computed from its elements at each firing', () => {
    const h = windowHarness({ ...slidingCountWindow(2, 1), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1 a:10 a:100 b:5');
    expect(takeGlobal(h)).toBe('a=1 a=11 a=110 b=5');
  });
});

/** Fires and records which elements each firing of a key's count window held. */
function firings(size: number, slide: number | null, n: number): number[][] {
  const h = windowHarness({ ...(slide === null ? countWindow(size) : slidingCountWindow(size, slide)), aggregate: { kind: 'collect', expr: 'i' } });
  for (let i = 0; i < n; i++) h.processElement({ key: 'k', i });
  return h.records().map((r) => (r.value as { value: JsonValue }).value as number[]);
}

describe('count windows, properties', () => {
  fcTest.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 60 })])('tumbling: every element of a complete window is emitted exactly once, in order', (size, n) => {
    const fired = firings(size, null, n);
    expect(fired).toHaveLength(Math.floor(n / size));
    expect(fired.flat()).toEqual(Array.from({ length: Math.floor(n / size) * size }, (_, i) => i));
  });

  fcTest.prop([fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 60 })])(
    'sliding: a firing after every slide elements holds the last size; element i is in the firings at k*slide with i < k*slide <= i + size',
    (size, slide, n) => {
      const fired = firings(size, slide, n);
      expect(fired).toHaveLength(Math.floor(n / slide));
      fired.forEach((elements, k) => {
        const end = (k + 1) * slide;
        expect(elements).toEqual(Array.from({ length: Math.min(size, end) }, (_, j) => end - Math.min(size, end) + j));
      });
      for (let i = 0; i < n; i++) {
        let expected = 0;
        for (let end = slide; end <= n; end += slide) if (i < end && end <= i + size) expected++;
        expect(fired.filter((elements) => elements.includes(i))).toHaveLength(expected);
        // away from the start and the end, that is size / slide windows when slide divides size
        if (size % slide === 0 && i >= size && i + size <= n - (n % slide)) expect(expected).toBe(size / slide);
      }
    },
  );
});
