/**
 * Allowed lateness, late firings, late data and state cleanup, as Flink documents them
 * (docs: "Windows" > "Allowed Lateness", "Getting late data as a side output", "Late
 * elements considerations") and tests them (WindowOperatorTest.testLateness,
 * testCleanupTimeOverflow, testSideOutputDueToLatenessTumbling/Sliding, and
 * WindowOperatorContractTest.testLateElementNotDropped / testCleanupTimerWithEmptyState).
 */
import { describe, expect, test } from 'vitest';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import { sliding, take, tumbling, windowHarness } from './helpers.ts';

describe('late data without allowed lateness', () => {
  test('an element for a window that has fired is dropped and counted (numLateRecordsDropped)', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@500 W999');
    expect(take(h)).toBe('a[0,1000)=1 W999');
    h.feed('a@700 a@999');
    expect(take(h)).toBe('');
    expect(h.lateRecordsDropped).toBe(2);
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('with a late output tag, late elements go to the side output instead (sideOutputLateData)', () => {
    const h = windowHarness({ assigner: tumbling(1000), lateOutputTag: 'late' });
    h.feed('a@500 W999 a:7@700 b@1000');
    expect(h.sideOutput('late')).toEqual([{ value: { key: 'a', v: 7 }, timestamp: 700 }]);
    expect(h.lateRecordsDropped).toBe(0);
    h.feed('W1999');
    expect(take(h)).toBe('a[0,1000)=1 W999 b[1000,2000)=1 W1999');
  });

  test('each late element is a record.late trace event: its value, the watermark it was behind, and where it went', () => {
    const dropped = windowHarness({ assigner: tumbling(1000) });
    dropped.feed('a@500 W1500 a:3@600');
    const sent = windowHarness({ assigner: tumbling(1000), lateOutputTag: 'late' });
    sent.feed('a@500 W1500 a:3@600 a@1600');
    const late = (h: typeof dropped) => h.trace.events.filter((e) => e.tag === 'record.late').map((e) => e.tag === 'record.late' && [e.value, e.timestamp, e.watermark, e.sideOutput]);
    expect(late(dropped)).toEqual([[{ key: 'a', v: 3 }, 600, 1500, null]]);
    expect(late(sent)).toEqual([[{ key: 'a', v: 3 }, 600, 1500, 'late']]);
  });

  test("lateness is decided per window: an element at the watermark still lands in its open window, one in a window whose max timestamp the watermark reached is late", () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('W1000 a@1000 a@999');
    expect(h.lateRecordsDropped).toBe(1);
    h.feed('W1999');
    expect(take(h)).toBe('W1000 a[1000,2000)=1 W1999');
  });
});

describe('allowed lateness', () => {
  test('a late element within the lateness fires the window again at once with the updated result (EventTimeTrigger late firing)', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500, aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@100 a:2@200 W999');
    expect(take(h)).toBe('a[0,1000)=3 W999');
    h.feed('a:4@300');
    expect(take(h)).toBe('a[0,1000)=7');
    h.feed('W1200 a:8@999');
    expect(take(h)).toBe('W1200 a[0,1000)=15');
    expect(h.lateRecordsDropped).toBe(0);
  });

  test('state is kept until max timestamp + allowed lateness (cleanupTime), then removed', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500 });
    h.feed('a@100 W999');
    expect(take(h)).toBe('a[0,1000)=1 W999');
    expect(h.stateSize()).toBe(1);
    expect(h.timers()).toEqual({ eventTime: 1, processingTime: 0 });
    h.feed('W1498');
    expect(h.stateSize()).toBe(1);
    h.feed('W1499');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
    expect(take(h)).toBe('W1498 W1499');
  });

  test('beyond the lateness an element is dropped and counted; the boundary is timestamp + lateness <= watermark', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500 });
    h.feed('a@100 W1498 a@999');
    expect(take(h)).toBe('a[0,1000)=1 W1498 a[0,1000)=2');
    h.feed('W1499 a@999');
    expect(h.lateRecordsDropped).toBe(1);
    expect(take(h)).toBe('W1499');
  });

  test('beyond the lateness an element goes to the late side output when one is set', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500, lateOutputTag: 'late' });
    h.feed('a@100 W2000 a@999 a@1600');
    expect(h.sideOutput('late')).toEqual([{ value: { key: 'a', v: 1 }, timestamp: 999 }]);
    expect(h.lateRecordsDropped).toBe(0);
    // a@1600's window [1000, 2000) is past its end but within the lateness: it fires at once.
    expect(take(h)).toBe('a[0,1000)=1 W2000 a[1000,2000)=1');
    h.feed('W2499');
    expect(take(h)).toBe('W2499');
    expect(h.stateSize()).toBe(0);
  });

  test('a window first created by a late element (within lateness) fires at once', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 2000 });
    h.feed('W2500 a@10');
    expect(take(h)).toBe('W2500 a[0,1000)=1');
    h.feed('W2999');
    expect(h.stateSize()).toBe(0);
  });

  test('a cleanup time past the end of time is not registered and does not overflow (testCleanupTimeOverflow)', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: MAX_WATERMARK - 10 });
    h.feed('a@100 W999');
    expect(take(h)).toBe('a[0,1000)=1 W999');
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
    h.feed('a@200');
    expect(take(h)).toBe('a[0,1000)=2');
  });
});

describe('late data and sliding windows (testSideOutputDueToLatenessSliding)', () => {
  test('an element late for some of its windows but not all is not late data', () => {
    const h = windowHarness({ assigner: sliding(2000, 1000), lateOutputTag: 'late' });
    h.feed('a@1500 W1999');
    expect(take(h)).toBe('a[0,2000)=1 W1999');
    h.feed('a@1600');
    expect(h.sideOutput('late')).toEqual([]);
    expect(h.lateRecordsDropped).toBe(0);
    h.feed('W2999');
    expect(take(h)).toBe('a[1000,3000)=2 W2999');
  });

  test('an element late for all of its windows is late data', () => {
    const h = windowHarness({ assigner: sliding(2000, 1000), lateOutputTag: 'late' });
    h.feed('a@2500 W2999 a@1600');
    expect(h.sideOutput('late')).toEqual([{ value: { key: 'a', v: 1 }, timestamp: 1600 }]);
  });
});
