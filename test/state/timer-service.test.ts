/**
 * The timer service against a model: a heap of registrations ordered by (time,
 * registration), popped lazily, each firing only if its (time, key, namespace) is still
 * registered. The service keeps a bucket per time instead; the firing order, the listing
 * and the counts must be the model's for any sequence of registrations, deletions and
 * watermarks, including timers registered while others fire.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { InternalTimerService, type Timer } from '../../core/state/index.ts';
import { id, TimerModel } from './timer-model.ts';

type Op =
  | { readonly kind: 'register'; readonly time: number; readonly key: number; readonly ns: string }
  | { readonly kind: 'delete'; readonly time: number; readonly key: number; readonly ns: string }
  | { readonly kind: 'advance'; readonly to: number; readonly echo: boolean };


const timer = (time: number, key: number, ns: string): Timer => ({ timestamp: time, key, keyId: key, namespace: ns });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('register' as const), time: fc.integer({ min: 0, max: 12 }), key: fc.integer({ min: 0, max: 4 }), ns: fc.constantFrom('w1', 'w2', '') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), time: fc.integer({ min: 0, max: 12 }), key: fc.integer({ min: 0, max: 4 }), ns: fc.constantFrom('w1', 'w2', '') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), to: fc.integer({ min: 0, max: 14 }), echo: fc.boolean() }) },
);

describe('InternalTimerService', () => {
  fcTest.prop([fc.array(op, { maxLength: 80 })])('fires, lists and counts event-time timers as the lazily-deleted heap does', (ops) => {
    const service = new InternalTimerService();
    const model = new TimerModel();
    let watermark = -1;
    for (const o of ops) {
      if (o.kind === 'register') {
        service.registerEventTimeTimer(timer(o.time, o.key, o.ns));
        model.register(timer(o.time, o.key, o.ns));
      } else if (o.kind === 'delete') {
        service.deleteEventTimeTimer(timer(o.time, o.key, o.ns));
        model.delete(timer(o.time, o.key, o.ns));
      } else {
        watermark = Math.max(watermark, o.to);
        const fired: string[] = [];
        const expected: string[] = [];
        // With `echo`, the first firing of a key 0 timer registers one more at the same time and one earlier: both fire in this advance.
        let echoed = false;
        const echo = (into: string[], register: (t: Timer) => void) => (t: Timer) => {
          into.push(id(t));
          if (o.echo && !echoed && t.key === 0) {
            echoed = true;
            register(timer(t.timestamp, 9, 'echo'));
            register(timer(Math.max(0, t.timestamp - 1), 8, 'echo'));
          }
        };
        service.advanceWatermark(watermark, echo(fired, (t) => service.registerEventTimeTimer(t)));
        echoed = false;
        model.advance(watermark, echo(expected, (t) => model.register(t)));
        expect(fired).toEqual(expected);
      }
      expect(service.listEventTimeTimers().map(id)).toEqual(model.list());
      expect(service.eventTimeTimers).toBe(model.list().length);
    }
  });

  it('fires a timer deleted and registered again at its first place, once', () => {
    const service = new InternalTimerService();
    service.registerEventTimeTimer(timer(5, 1, 'a'));
    service.registerEventTimeTimer(timer(5, 2, 'a'));
    service.deleteEventTimeTimer(timer(5, 1, 'a'));
    service.registerEventTimeTimer(timer(5, 1, 'a'));
    expect(service.listEventTimeTimers().map((t) => t.key)).toEqual([1, 2]);
    const fired: number[] = [];
    service.advanceWatermark(5, (t) => fired.push(t.key as number));
    expect(fired).toEqual([1, 2]);
    expect(service.eventTimeTimers).toBe(0);
  });

  it('gives the next processing time across buckets, skipping emptied ones', () => {
    const service = new InternalTimerService();
    service.registerProcessingTimeTimer(timer(30, 1, ''));
    expect(service.registerProcessingTimeTimer(timer(10, 1, ''))).toBe(true);
    service.deleteProcessingTimeTimer(timer(10, 1, ''));
    expect(service.nextProcessingTime()).toBe(30);
    const fired: number[] = [];
    service.onProcessingTime(29, (t) => fired.push(t.timestamp));
    expect(fired).toEqual([]);
    service.onProcessingTime(30, (t) => fired.push(t.timestamp));
    expect(fired).toEqual([30]);
    expect(service.nextProcessingTime()).toBeNull();
  });
});
