/**
 * Continuous, purging and delta triggers, after Flink's ContinuousEventTimeTriggerTest,
 * ContinuousProcessingTimeTriggerTest, PurgingTriggerTest and WindowOperatorTest, and
 * FIRE versus FIRE_AND_PURGE as Flink's TriggerResult means them: FIRE emits and keeps the
 * contents, so the next firing carries everything so far; FIRE_AND_PURGE emits and drops
 * them, so the next firing carries only what came after.
 */
import { describe, expect, test } from 'vitest';
import { createWindowOperator, UserFunctionError } from '../../../core/operators/index.ts';
import { config, global, session, take, takeGlobal, tumbling, windowHarness } from './helpers.ts';

const sum = { kind: 'sum', expr: 'v' } as const;
const continuousEvent = (intervalMs: number) => ({ type: 'continuous-event-time', intervalMs }) as const;
const continuousProcessing = (intervalMs: number) => ({ type: 'continuous-processing-time', intervalMs }) as const;

describe('ContinuousEventTimeTrigger', () => {
  test('a watermark that jumps over a long window fires it once per interval, for every key: work, not a loop', () => {
    const h = windowHarness({ assigner: tumbling(86_400_000), trigger: continuousEvent(1000), aggregate: sum });
    h.feed('a:1@5 b:2@5 W86399999');
    // Flink fires each key's day-long window every second up to its end: 86,400 firings per key.
    expect(h.records()).toHaveLength(2 * 86_400);
    expect(h.stateSize()).toBe(0);
  });

  test('on the global window, whose end never comes, the end of input fails the operator, named, instead of firing for ever', () => {
    const h = windowHarness({ assigner: global(), trigger: continuousEvent(1000), aggregate: sum });
    h.feed('a:1@5');
    expect(() => h.processWatermark(Number.MAX_SAFE_INTEGER)).toThrow(UserFunctionError);
  });

  test('fires every interval of event time, aligned to the interval, then once at the window end', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: continuousEvent(100), aggregate: sum });
    // first element at 150: the first firing is at 150 - 150 % 100 + 100 = 200
    h.feed('a:1@150 a:2@420 W199');
    expect(take(h)).toBe('W199');
    h.feed('W200');
    expect(take(h)).toBe('a[0,1000)=3 W200');
    h.feed('a:4@700 W350');
    expect(take(h)).toBe('a[0,1000)=7 W350');
    // 400 .. 900, then the end (999): the last scheduled firing is clamped to the max timestamp
    h.feed('W999');
    expect(take(h)).toBe(`${'a[0,1000)=7 '.repeat(7)}W999`);
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('an element without a timestamp fails the operator, named, rather than firing from time 0 (Flink would align to Long.MIN_VALUE)', () => {
    for (const trigger of [continuousEvent(100), { type: 'purging', trigger: continuousEvent(100) } as const]) {
      const h = windowHarness({ assigner: tumbling(1000, 0, 'processing'), trigger, aggregate: sum });
      // A user error (it fails the task and names the operator), not an internal one.
      expect(() => h.processElement({ key: 'a', v: 1 }, null)).toThrow(UserFunctionError);
      expect(() => h.processElement({ key: 'a', v: 1 }, null)).toThrow(/continuous-event-time\(100\)\)? trigger got a record without a timestamp: give the source a timestamp/);
    }
    // With a timestamp, a processing-time window's continuous event-time trigger aligns to it.
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing'), trigger: continuousEvent(100), aggregate: sum });
    expect(() => h.processElement({ key: 'a', v: 1 }, 150)).not.toThrow();
  });

  test("negative timestamps align as Java's remainder does: -250 first fires at -250 - (-50) + 100 = -100", () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: continuousEvent(100), aggregate: sum });
    h.feed('a:1@-250 W-101');
    expect(take(h)).toBe('W-101');
    h.feed('W-100');
    expect(take(h)).toBe('a[-1000,0)=1 W-100');
  });

  test('an element behind the watermark fires its (still alive) window at once', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 1000, trigger: continuousEvent(500), aggregate: sum });
    h.feed('a:1@1 W1200');
    expect(take(h)).toBe('a[0,1000)=1 a[0,1000)=1 W1200');
    h.feed('a:2@2');
    expect(take(h)).toBe('a[0,1000)=3');
  });

  test('merging sessions keep the earliest next firing', () => {
    const h = windowHarness({ assigner: session(1000), trigger: continuousEvent(100), aggregate: sum });
    h.feed('a:1@0 a:2@950');
    h.feed('W99');
    expect(take(h)).toBe('W99');
    h.feed('W100');
    expect(take(h)).toBe('a[0,1950)=3 W100');
  });
});

describe('ContinuousProcessingTimeTrigger', () => {
  test('fires every interval of processing time from the first element, and at the window end', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing'), trigger: continuousProcessing(100), aggregate: sum });
    h.feed('P150 a:1 a:2');
    h.feed('P200');
    expect(take(h)).toBe('');
    h.feed('P201');
    expect(take(h)).toBe('a[0,1000)=3');
    h.feed('a:4 P1000');
    expect(take(h)).toBe(`${'a[0,1000)=7 '.repeat(7)}a[0,1000)=7`);
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('on the global window it fires for ever, every interval', () => {
    const h = windowHarness({ assigner: global(), trigger: continuousProcessing(1000), aggregate: sum });
    h.feed('P10 a:1 P1001 a:2 P2001');
    expect(takeGlobal(h)).toBe('a=1 a=3');
  });
});

describe('PurgingTrigger: FIRE becomes FIRE_AND_PURGE', () => {
  test('a count trigger keeps the contents; a purging count trigger starts over after each firing', () => {
    const keeping = windowHarness({ assigner: tumbling(1000), trigger: { type: 'count', count: 2 }, aggregate: sum });
    keeping.feed('a:1@1 a:2@2 a:3@3 a:4@4');
    expect(take(keeping)).toBe('a[0,1000)=3 a[0,1000)=10');
    const purging = windowHarness({ assigner: tumbling(1000), trigger: { type: 'purging', trigger: { type: 'count', count: 2 } }, aggregate: sum });
    purging.feed('a:1@1 a:2@2 a:3@3 a:4@4');
    expect(take(purging)).toBe('a[0,1000)=3 a[0,1000)=7');
  });

  test('a purging event-time trigger: a late firing carries only the late elements', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 500, trigger: { type: 'purging', trigger: { type: 'event-time' } }, aggregate: sum });
    h.feed('a:1@1 a:2@2 W999');
    expect(take(h)).toBe('a[0,1000)=3 W999');
    h.feed('a:4@3');
    expect(take(h)).toBe('a[0,1000)=4');
    h.feed('W1499');
    expect(h.stateSize()).toBe(0);
  });

  test('a purging continuous trigger emits what came since the last firing', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'purging', trigger: continuousEvent(500) }, aggregate: sum });
    h.feed('a:1@1 a:2@2 W500 a:4@600 W999');
    expect(take(h)).toBe('a[0,1000)=3 W500 a[0,1000)=4 W999');
  });

  test('purging drops the contents, not the trigger state: the count goes on', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'purging', trigger: { type: 'count', count: 3 } }, aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1 a:2 a:3 a:4 a:5 a:6');
    expect(takeGlobal(h)).toBe('a=[1,2,3] a=[4,5,6]');
  });
});

describe('DeltaTrigger: fires when delta(last fired, element) > threshold', () => {
  const delta = { type: 'delta', threshold: 5, delta: 'new.v - old.v' } as const;

  test('the first element is only the reference; a firing keeps the contents and moves the reference', () => {
    const h = windowHarness({ assigner: global(), trigger: delta, aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1 a:3 a:7 a:10 a:12 a:13');
    // 7 - 1 = 6 > 5 fires; 12 - 7 = 5 does not (strictly greater); 13 - 7 = 6 fires
    expect(takeGlobal(h)).toBe('a=[1,3,7] a=[1,3,7,10,12,13]');
  });

  test('purging delta: each firing holds the elements since the previous one', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'purging', trigger: delta }, aggregate: { kind: 'collect', expr: 'v' } });
    h.feed('a:1 a:3 a:7 a:10 a:12 a:13');
    expect(takeGlobal(h)).toBe('a=[1,3,7] a=[10,12,13]');
  });

  test('a delta function in TypeScript; per key', () => {
    const h = windowHarness({ assigner: global(), trigger: { type: 'delta', threshold: 0.5, delta: (a, b) => Math.abs((b as { v: number }).v - (a as { v: number }).v) }, aggregate: sum });
    h.feed('a:1 b:1 a:2 b:1 b:0');
    expect(takeGlobal(h)).toBe('a=3 b=2');
  });

  test('cannot be used with session windows, as Flink refuses (canMerge is false)', () => {
    expect(() => createWindowOperator(config({ assigner: session(10), trigger: delta }))).toThrow(/cannot be used with merging \(session\) windows/);
    expect(() => createWindowOperator(config({ assigner: session(10), trigger: { type: 'purging', trigger: delta } }))).toThrow(/merging/);
  });
});
