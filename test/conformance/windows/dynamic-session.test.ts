/**
 * Session windows with a gap per element, after Flink's DynamicEventTimeSessionWindowsTest
 * and DynamicProcessingTimeSessionWindowsTest: each element opens [t, t + gap(element)),
 * windows that overlap or touch merge as with a fixed gap, and a gap that is not positive
 * fails the task (Flink: IllegalArgumentException, "0 < gap").
 */
import { describe, expect, test } from 'vitest';
import { UserFunctionError } from '../../../core/operators/index.ts';
import { assignerOf } from '../../../core/operators/windows/index.ts';
import { take, windowHarness } from './helpers.ts';

const dynamic = (gap: string | ((value: unknown) => number), time: 'event' | 'processing' = 'event') => ({ type: 'dynamic-session', gap, time }) as const;

describe('dynamic session gaps', () => {
  test('the gap comes from the element; windows merge as with a fixed gap', () => {
    expect(assignerOf(dynamic('v * 10')).assignWindows(5, 0, { v: 3 })).toEqual([{ start: 5, end: 35 }]);
    const h = windowHarness({ assigner: dynamic('v'), aggregate: { kind: 'collect', expr: 'v' } });
    // [0, 10) and [8, 13) merge; [20, 22) stays apart until [13, 20) bridges the two
    h.feed('a:10@0 a:5@8 a:2@20 b:1@0 W11');
    expect(take(h)).toBe('b[0,1)=[1] W11');
    h.feed('a:7@13 W30');
    expect(take(h)).toBe('a[0,22)=[10,5,2,7] W30'); // the earlier session, the later one, then the bridge
  });

  test('a long gap holds a session open that a short one would have closed', () => {
    const h = windowHarness({ assigner: dynamic('vip ? 100 : 10'), aggregate: { kind: 'count' } });
    h.processElement({ key: 'a', vip: true }, 0);
    h.processElement({ key: 'a', vip: false }, 50);
    h.processElement({ key: 'b', vip: false }, 0);
    h.processElement({ key: 'b', vip: false }, 50);
    h.processWatermark(200);
    expect(take(h)).toBe('b[0,10)=1 b[50,60)=1 a[0,100)=2 W200');
  });

  test('a TypeScript extractor (withDynamicGap), in processing time', () => {
    const h = windowHarness({ assigner: dynamic((value) => (value as { v: number }).v, 'processing'), aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('P0 a:10 P5 a:10 P14 a:1');
    h.feed('P15');
    expect(take(h)).toBe('a[0,15)=21');
  });

  test('a gap that is not a positive whole number fails the task with a user error', () => {
    for (const bad of ['0', '-5', '1.5', '"soon"']) {
      const h = windowHarness({ assigner: dynamic(bad), aggregate: { kind: 'count' } });
      expect(() => h.processElement({ key: 'a' }, 0)).toThrow(UserFunctionError);
    }
    const h = windowHarness({ assigner: dynamic('v'), aggregate: { kind: 'count' } });
    expect(() => h.processElement({ key: 'a', v: 0 }, 0)).toThrow(/dynamic session gap must be a whole number of ms between 1 and 10\^15 \(MAX_TIME_MS\)/);
    const missing = windowHarness({ assigner: dynamic('gap'), aggregate: { kind: 'count' } });
    expect(() => missing.processElement({ key: 'a' }, 0)).toThrow(UserFunctionError);
  });
});
