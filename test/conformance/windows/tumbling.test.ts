/**
 * Tumbling event-time windows with the default EventTimeTrigger, checked against Flink's
 * documented behaviour (docs: "Windows" > "Tumbling Windows", "Window Lifecycle") and its
 * WindowOperatorTest (testTumblingEventTimeWindows).
 */
import { describe, expect, test } from 'vitest';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import { createWindowOperator, isUserError, UserFunctionError } from '../../../core/operators/index.ts';
import { cover, intersects, maxTimestamp, windowStartWithOffset } from '../../../core/operators/windows/index.ts';
import { createOperatorHarness } from '../../../core/testing.ts';
import { config, take, tumbling, windowHarness } from './helpers.ts';

describe('TimeWindow arithmetic (Flink TimeWindow, TimeWindowTest)', () => {
  test('window start with offset, for positive and negative timestamps (TimeWindow.getWindowStartWithOffset)', () => {
    expect(windowStartWithOffset(0, 0, 1000)).toBe(0);
    expect(windowStartWithOffset(999, 0, 1000)).toBe(0);
    expect(windowStartWithOffset(1000, 0, 1000)).toBe(1000);
    expect(windowStartWithOffset(-1, 0, 1000)).toBe(-1000);
    expect(windowStartWithOffset(-1000, 0, 1000)).toBe(-1000);
    expect(windowStartWithOffset(-1001, 0, 1000)).toBe(-2000);
    expect(windowStartWithOffset(1500, 200, 1000)).toBe(1200);
    expect(windowStartWithOffset(100, 200, 1000)).toBe(-800);
    expect(windowStartWithOffset(100, -200, 1000)).toBe(-200);
    expect(windowStartWithOffset(-250, -200, 1000)).toBe(-1200);
  });

  test('max timestamp is end - 1; intersects counts touching windows; cover spans both', () => {
    expect(maxTimestamp({ start: -1000, end: 0 })).toBe(-1);
    expect(intersects({ start: 0, end: 5 }, { start: 5, end: 9 })).toBe(true);
    expect(intersects({ start: 0, end: 5 }, { start: 6, end: 9 })).toBe(false);
    expect(cover({ start: 3, end: 5 }, { start: 0, end: 4 })).toEqual({ start: 0, end: 5 });
  });
});

describe('tumbling event-time windows (TumblingEventTimeWindows + EventTimeTrigger)', () => {
  test('an element at end - 1 belongs to the window; one at end belongs to the next (windows are [start, end))', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@999 a@1000 W5000');
    expect(take(h)).toBe('a[0,1000)=1 a[1000,2000)=1 W5000');
  });

  test('a watermark equal to the max timestamp fires the window; one less does not (EventTimeTrigger.onEventTime)', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@0 a@500 b@999 W998');
    expect(take(h)).toBe('W998');
    h.feed('W999');
    expect(take(h)).toBe('a[0,1000)=2 b[0,1000)=1 W999');
  });

  test("WindowOperatorTest.testTumblingEventTimeWindows: out-of-order input, size 3000", () => {
    const h = windowHarness({ assigner: tumbling(3000), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('key2@3999 key2@3000 key1@20 key1@0 key1@999 key2@1998 key2@1999 key2@1000');
    h.feed('W999 W1999');
    expect(take(h)).toBe('W999 W1999');
    h.feed('W2999');
    expect(take(h)).toBe('key1[0,3000)=3 key2[0,3000)=3 W2999');
    h.feed('W3999 W4999 W5999');
    expect(take(h)).toBe('W3999 W4999 key2[3000,6000)=2 W5999');
    h.feed('W6999 W7999');
    expect(take(h)).toBe('W6999 W7999');
  });

  test('a watermark that jumps over several windows fires them in time order, results before the watermark', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@2500 a@10 a@1200 a@1300');
    h.processWatermark(10_000);
    expect(take(h)).toBe('a[0,1000)=1 a[1000,2000)=2 a[2000,3000)=1 W10000');
  });

  test('negative timestamps: -1 is in [-1000, 0), -1001 in [-2000, -1000)', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@-1 a@-1000 a@-1001 W-1002');
    expect(take(h)).toBe('W-1002');
    h.feed('W-1001');
    expect(take(h)).toBe('a[-2000,-1000)=1 W-1001');
    h.feed('W-1');
    expect(take(h)).toBe('a[-1000,0)=2 W-1');
  });

  test('an offset shifts every window start (TumblingEventTimeWindows.of(size, offset))', () => {
    const h = windowHarness({ assigner: tumbling(1000, 200) });
    h.feed('a@199 a@200 a@-801 W5000');
    expect(take(h)).toBe('a[-1800,-800)=1 a[-800,200)=1 a[200,1200)=1 W5000');
    const g = windowHarness({ assigner: tumbling(1000, -200) });
    g.feed('a@0 a@799 a@800 W5000');
    expect(take(g)).toBe('a[-200,800)=2 a[800,1800)=1 W5000');
  });

  test('the result is {key, window: {start, end}, value} with timestamp end - 1 (CONTRACT 1.1)', () => {
    const h = windowHarness({ assigner: tumbling(1000), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:2@10 a:3@20 W999');
    expect(h.records()).toEqual([{ value: { key: 'a', window: { start: 0, end: 1000 }, value: 5 }, timestamp: 999 }]);
  });

  test('keys can be any JSON value', () => {
    const h = createOperatorHarness(createWindowOperator(config({ assigner: tumbling(10) })), { keySelector: '[k, k * 2]' }).open();
    h.processElement({ k: 1 }, 1).processElement({ k: 2 }, 2).processElement({ k: 1 }, 3).processWatermark(9);
    expect(h.records().map((r) => r.value)).toEqual([
      { key: [1, 2], window: { start: 0, end: 10 }, value: 2 },
      { key: [2, 4], window: { start: 0, end: 10 }, value: 1 },
    ]);
  });

  test('each firing is traced as window.fired with task, operator, key and window', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.setProcessingTime(42);
    h.feed('a@5 W999');
    expect(h.trace.events.filter((e) => e.tag === 'window.fired')).toEqual([
      { tag: 'window.fired', timeMs: 42, task: 'win#0', attempt: 1, operator: 'win', key: 'a', start: 0, end: 1000 },
    ]);
  });

  test('with no allowed lateness, the window state and its timers are removed when it fires (cleanup time = max timestamp)', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@5 b@6 a@1005');
    expect(h.stateSize()).toBe(3);
    expect(h.timers()).toEqual({ eventTime: 3, processingTime: 0 });
    h.feed('W999');
    expect(h.stateSize()).toBe(1);
    expect(h.timers()).toEqual({ eventTime: 1, processingTime: 0 });
    h.feed('W1999');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('the final watermark of a bounded input fires every window; endInput adds nothing', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    h.feed('a@5 b@123456');
    h.processWatermark(MAX_WATERMARK);
    h.endInput();
    expect(take(h)).toBe(`a[0,1000)=1 b[123000,124000)=1 W${MAX_WATERMARK}`);
    expect(h.stateSize()).toBe(0);
  });

  test('a record without a timestamp fails the task: event-time windows need timestamps', () => {
    const h = windowHarness({ assigner: tumbling(1000) });
    let thrown: unknown;
    try {
      h.processElement({ key: 'a', v: 1 }, null);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UserFunctionError);
    expect(isUserError(thrown)).toBe(true);
    expect(String(thrown)).toMatch(/without a timestamp/);
  });

  test('a window operator needs a keyed stream', () => {
    const h = createOperatorHarness(createWindowOperator(config({ assigner: tumbling(1000) })));
    expect(() => h.open()).toThrow(/needs a keyed stream/);
  });
});
