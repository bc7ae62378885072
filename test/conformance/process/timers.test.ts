/**
 * Timers of a process function, as Flink's InternalTimerService and KeyedProcessOperator
 * have them: an event-time timer fires when the watermark reaches its time and not a
 * millisecond before; one timer per (key, time); a deleted timer never fires; onTimer runs
 * with the timer's key as the current key and emits at the timer's time; what the timers
 * emit goes out before the watermark that fired them. Processing-time timers fire once the
 * clock has passed their time, and what they emit has no timestamp.
 */
import { describe, expect, test } from 'vitest';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import { valueState, type KeyedProcessFunction } from '../../../core/operators/index.ts';
import { dsl, emitted, harness } from './helpers.ts';

/** Registers an event-time timer at the record's `at` field; onTimer emits the key, timer and state. */
const eventTimers = dsl({
  state: { n: { type: 'value', initial: 0 } },
  onElement: [
    { set: 'n', to: 'state.n + 1' },
    { if: 'contains($, "at")', then: [{ timer: 'event', at: 'at' }] },
    { if: 'contains($, "del")', then: [{ deleteTimer: 'event', at: 'del' }] },
  ],
  onTimer: [{ emit: '{key: key, timer: timer, n: state.n, ts: $timestamp, watermark: watermark}' }],
});

describe('event-time timers', () => {
  test('fire when the watermark reaches their time, not before', () => {
    const h = harness(eventTimers);
    h.processElement({ key: 'a', at: 100 }, 1);
    h.processWatermark(98).processWatermark(99);
    expect(h.records()).toEqual([]);
    h.processWatermark(100);
    expect(emitted(h)).toEqual([[{ key: 'a', timer: { timestamp: 100, domain: 'event' }, n: 1, ts: 100, watermark: 100 }, 100]]);
  });

  test('fire with their own key as the current key, in time order, before the watermark goes on', () => {
    const h = harness(eventTimers);
    h.processElement({ key: 'b', at: 20 }, 1);
    h.processElement({ key: 'a', at: 10 }, 2);
    h.processElement({ key: 'a' }, 3);
    h.processWatermark(50);
    expect(h.output()).toEqual([
      { kind: 'record', value: { key: 'a', timer: { timestamp: 10, domain: 'event' }, n: 2, ts: 10, watermark: 50 }, timestamp: 10 },
      { kind: 'record', value: { key: 'b', timer: { timestamp: 20, domain: 'event' }, n: 1, ts: 20, watermark: 50 }, timestamp: 20 },
      { kind: 'watermark', timestamp: 50 },
    ]);
  });

  test('are one per key and time: registering twice fires once; other keys have their own', () => {
    const h = harness(eventTimers);
    h.processElement({ key: 'a', at: 10 }, 1);
    h.processElement({ key: 'a', at: 10 }, 2);
    h.processElement({ key: 'b', at: 10 }, 3);
    expect(h.timers()).toEqual({ eventTime: 2, processingTime: 0 });
    h.processWatermark(10);
    expect(h.records().map((r) => (r.value as { key: string }).key)).toEqual(['a', 'b']);
  });

  test('a deleted timer does not fire; deleting removes only that key', () => {
    const h = harness(eventTimers);
    h.processElement({ key: 'a', at: 10 }, 1);
    h.processElement({ key: 'b', at: 10 }, 1);
    h.processElement({ key: 'a', del: 10 }, 2);
    h.processWatermark(MAX_WATERMARK);
    expect(h.records().map((r) => (r.value as { key: string }).key)).toEqual(['b']);
  });

  test('a timer the watermark has already passed fires with the next watermark', () => {
    const h = harness(eventTimers);
    h.processWatermark(100);
    h.processElement({ key: 'a', at: 50 }, 120);
    expect(h.records()).toEqual([]);
    h.processWatermark(101);
    expect(emitted(h)).toEqual([[{ key: 'a', timer: { timestamp: 50, domain: 'event' }, n: 1, ts: 50, watermark: 101 }, 50]]);
  });

  test('onTimer can register the next timer; one reached by the same watermark fires in the same pass', () => {
    const h = harness(
      dsl({
        onElement: [{ timer: 'event', at: '$timestamp' }],
        onTimer: [{ emit: 'timer.timestamp' }, { if: 'timer.timestamp < 30', then: [{ timer: 'event', at: 'timer.timestamp + 10' }] }],
      }),
    );
    h.processElement({ key: 'a' }, 10);
    h.processWatermark(25);
    expect(emitted(h)).toEqual([
      [10, 10],
      [20, 20],
    ]);
    h.processWatermark(MAX_WATERMARK);
    expect(emitted(h).slice(2)).toEqual([[30, 30]]);
  });

  test('the final watermark fires every remaining timer; endInput adds nothing', () => {
    const h = harness(eventTimers);
    h.processElement({ key: 'a', at: 1_000_000 }, 1);
    h.processWatermark(MAX_WATERMARK);
    expect(h.records()).toHaveLength(1);
    h.endInput();
    expect(h.records()).toHaveLength(1);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('watermark is null before the first one', () => {
    const h = harness(dsl({ onElement: [{ emit: 'watermark' }] }));
    h.processElement({ key: 'a' }, 1).processWatermark(5).processElement({ key: 'a' }, 7);
    expect(h.records().map((r) => r.value)).toEqual([null, 5]);
  });
});

describe('processing-time timers', () => {
  const spec = dsl({
    onElement: [{ timer: 'processing', at: 'now + 100' }, { emit: '{registered: now + 100}' }],
    onTimer: [{ emit: '{key: key, timer: timer, now: now, ts: $timestamp}' }],
  });

  test('fire once the clock has passed their time, with no output timestamp', () => {
    const h = harness(spec);
    h.setProcessingTime(50);
    h.processElement({ key: 'a' }, 7);
    h.setProcessingTime(150);
    expect(h.records()).toHaveLength(1);
    h.setProcessingTime(151);
    expect(emitted(h)).toEqual([
      [{ registered: 150 }, 7],
      [{ key: 'a', timer: { timestamp: 150, domain: 'processing' }, now: 151, ts: 150 }, null],
    ]);
  });

  test('are one per key and time, fire in time order, and ignore watermarks', () => {
    const h = harness(spec);
    h.processElement({ key: 'b' }, null);
    h.processElement({ key: 'b' }, null);
    h.setProcessingTime(10);
    h.processElement({ key: 'a' }, null);
    h.processWatermark(MAX_WATERMARK);
    expect(h.timers().processingTime).toBe(2);
    h.setProcessingTime(1000);
    expect(h.records().slice(3).map((r) => (r.value as { key: string; now: number }).key)).toEqual(['b', 'a']);
    expect(h.records().slice(3).map((r) => (r.value as { key: string; now: number }).now)).toEqual([101, 111]);
  });

  test('a deleted processing-time timer does not fire', () => {
    const h = harness(
      dsl({
        onElement: [{ if: 'v > 0', then: [{ timer: 'processing', at: 'v' }], else: [{ deleteTimer: 'processing', at: '-v' }] }],
        onTimer: [{ emit: 'timer.timestamp' }],
      }),
    );
    h.feed('a:10 a:20 a:-10 P1000');
    expect(h.records().map((r) => r.value)).toEqual([20]);
  });
});

describe('the TypeScript interface', () => {
  test('ctx.timestamp() in onTimer is the timer time; timeDomain and the timer service agree', () => {
    const seen: unknown[] = [];
    const fn: KeyedProcessFunction<{ last: ReturnType<typeof valueState> }> = {
      state: { last: valueState() },
      processElement(_value, ctx) {
        ctx.getState('last').update(ctx.timestamp());
        ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 5);
        ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 5);
      },
      onTimer(timestamp, ctx, out) {
        seen.push([timestamp, ctx.timestamp(), ctx.timeDomain(), ctx.getCurrentKey(), ctx.getState('last').value(), ctx.timerService().currentWatermark()]);
        out.collect(timestamp);
      },
    };
    const h = harness(fn);
    h.processElement({ key: 'k' }, 10);
    h.processWatermark(15);
    h.setProcessingTime(6);
    expect(seen).toEqual([
      [15, 15, 'event', 'k', 10, 15],
      [5, 5, 'processing', 'k', 10, 15],
    ]);
    expect(emitted(h)).toEqual([
      [15, 15],
      [5, null],
    ]);
  });

  test('a timer time that is not a whole number fails the task', () => {
    const h = harness({ processElement: (_v, ctx) => ctx.timerService().registerEventTimeTimer(1.5) });
    expect(() => h.feed('a')).toThrow("a timer's time is a whole number of milliseconds between -10^15 and 10^15 (MAX_TIME_MS), found 1.5");
    const d = harness(dsl({ onElement: [{ timer: 'event', at: '"soon"' }] }));
    expect(() => d.feed('a')).toThrow(`onElement[0].at: a timer's time is a whole number of milliseconds between -10^15 and 10^15 (MAX_TIME_MS), found the string "soon"`);
  });
});
