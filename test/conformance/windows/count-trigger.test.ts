/**
 * The count trigger, checked against Flink's CountTrigger (docs: "Windows" > "Triggers":
 * "fires once the number of elements in a window exceeds the given limit", it returns FIRE
 * and keeps the contents; CountTriggerTest) and against how a custom trigger combines with
 * the window operator's cleanup (docs: "Windows" > "Triggers": a trigger replaces the
 * default one; state is still removed at the window's cleanup time).
 */
import { describe, expect, test } from 'vitest';
import { session, sliding, take, tumbling, windowHarness } from './helpers.ts';

describe('count trigger (CountTrigger)', () => {
  test('fires every n elements per key and window, keeping the contents (FIRE, not FIRE_AND_PURGE)', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'count', count: 2 }, aggregate: { kind: 'sum', expr: 'v' } });
    h.feed('a:1@1 b:100@1 a:2@2');
    expect(take(h)).toBe('a[0,1000)=3');
    h.feed('a:3@3');
    expect(take(h)).toBe('');
    h.feed('a:4@4 b:200@5');
    expect(take(h)).toBe('a[0,1000)=10 b[0,1000)=300');
  });

  test('counts per window: a new window starts counting from zero', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'count', count: 2 } });
    h.feed('a@999 a@1000 a@1001 a@5');
    expect(take(h)).toBe('a[1000,2000)=2 a[0,1000)=2');
  });

  test('replaces the event-time trigger: the watermark fires nothing, and a remainder below n is dropped at cleanup', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'count', count: 2 } });
    h.feed('a@1 a@2 a@3');
    expect(take(h)).toBe('a[0,1000)=2');
    expect(h.stateSize()).toBe(2); // the contents and the trigger's count
    h.feed('W999');
    expect(take(h)).toBe('W999');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('with allowed lateness the window keeps counting until max timestamp + lateness', () => {
    const h = windowHarness({ assigner: tumbling(1000), allowedLatenessMs: 1000, trigger: { type: 'count', count: 2 } });
    h.feed('a@1 W1500 a@2');
    expect(take(h)).toBe('W1500 a[0,1000)=2');
    h.feed('a@3 W1999 a@4');
    expect(take(h)).toBe('W1999');
    expect(h.lateRecordsDropped).toBe(1);
    expect(h.stateSize()).toBe(0);
  });

  test('an element in two sliding windows counts in both', () => {
    const h = windowHarness({ assigner: sliding(20, 10), trigger: { type: 'count', count: 2 } });
    h.feed('a@5 a@15');
    expect(take(h)).toBe('a[0,20)=2');
    h.feed('a@25');
    expect(take(h)).toBe('a[10,30)=2');
  });

  test('on processing-time windows the state is removed when the clock passes the window', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing'), trigger: { type: 'count', count: 3 } });
    h.feed('P1 a a a a P1000');
    expect(take(h)).toBe('a[0,1000)=3');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('count 1 fires on every element', () => {
    const h = windowHarness({ assigner: session(10), trigger: { type: 'count', count: 1 } });
    h.feed('a@0 a@5 a@30');
    expect(take(h)).toBe('a[0,10)=1 a[0,15)=2 a[30,40)=1');
  });
});

describe('the other triggers can be set explicitly', () => {
  test('an explicit event-time trigger behaves as the default', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'event-time' } });
    h.feed('a@1 W999');
    expect(take(h)).toBe('a[0,1000)=1 W999');
  });

  test('a processing-time trigger on event-time windows fires by the clock; cleanup still follows the watermark', () => {
    const h = windowHarness({ assigner: tumbling(1000), trigger: { type: 'processing-time' } });
    h.feed('a@1 W999');
    expect(take(h)).toBe('W999');
    expect(h.stateSize()).toBe(0);
    h.feed('a@1000 P1999');
    expect(take(h)).toBe('');
    h.feed('P2000');
    expect(take(h)).toBe('a[1000,2000)=1');
  });
});
