/**
 * Conformance with Flink's CoProcessOperatorTest and KeyedCoProcessOperatorTest (and the
 * CoMap/CoFlatMap operators), cases written from their documented behaviour: the current
 * key in both inputs and in timers, timestamps and the combined watermark seen by the
 * function, event- and processing-time timers with the timestamps Flink gives their
 * output, state shared by the two sides of a key, timers and state surviving a snapshot,
 * side outputs, and the non-keyed operator refusing timers and keyed state.
 */
import { describe, expect, test } from 'vitest';
import {
  CoProcessOperator,
  CoStreamFlatMap,
  CoStreamMap,
  NEEDS_KEYED_STATE,
  NEEDS_KEYED_TIMERS,
  valueState,
  type CoProcessFunction,
  type KeyedCoProcessFunction,
  type KeyFunction,
} from '../../../core/operators/index.ts';
import type { ValueState } from '../../../core/state/index.ts';
import { createTwoInputHarness } from '../../../core/testing.ts';
import type { JsonValue, StreamRecord } from '../../../core/model/index.ts';

// Flink's tests join an Integer stream (input 1) with a String stream (input 2), keyed by value.
const intKey: KeyFunction = (r: StreamRecord) => String(r.value);
const keys = [intKey, intKey] as const;

function keyed(fn: KeyedCoProcessFunction) {
  return createTwoInputHarness(new CoProcessOperator(fn, keys), { keySelectors: [intKey, intKey] }).open();
}

describe('KeyedCoProcessOperator', () => {
  test('the current key is the element\'s key, on either input', () => {
    const h = keyed({
      processElement1: (v, ctx, out) => out.collect(`${String(ctx.getCurrentKey())},${String(v)}`),
      processElement2: (v, ctx, out) => out.collect(`${String(ctx.getCurrentKey())},${String(v)}`),
    });
    h.processElement1(5, 12).processElement2('42', 13);
    expect(h.records()).toEqual([
      { value: '5,5', timestamp: 12 },
      { value: '42,42', timestamp: 13 },
    ]);
  });

  test('the function sees the timestamp and the combined watermark: the minimum of the two inputs', () => {
    const describe = (v: JsonValue, ctx: { timestamp(): number | null; timerService(): { currentWatermark(): number } }) =>
      `${String(v)}WM:${ctx.timerService().currentWatermark()} TS:${ctx.timestamp()}`;
    const h = keyed({
      processElement1: (v, ctx, out) => out.collect(describe(v, ctx)),
      processElement2: (v, ctx, out) => out.collect(describe(v, ctx)),
    });
    h.processWatermark1(17).processWatermark2(17).processElement1(5, 12);
    h.processWatermark1(42).processElement2('6', 13);
    h.processWatermark2(50);
    expect(h.output()).toEqual([
      { kind: 'watermark', timestamp: 17 },
      { kind: 'record', value: '5WM:17 TS:12', timestamp: 12 },
      // Input 1 is at 42 but input 2 still at 17: the operator's watermark stays 17.
      { kind: 'record', value: '6WM:17 TS:13', timestamp: 13 },
      { kind: 'watermark', timestamp: 42 },
    ]);
  });

  test('processing time is the clock', () => {
    const h = keyed({
      processElement1: (v, ctx, out) => out.collect(`${String(v)}PT:${ctx.timerService().currentProcessingTime()}`),
      processElement2: (v, ctx, out) => out.collect(`${String(v)}PT:${ctx.timerService().currentProcessingTime()}`),
    });
    h.setProcessingTime(17).processElement1(5, null).setProcessingTime(42).processElement2('6', null);
    expect(h.records().map((r) => r.value)).toEqual(['5PT:17', '6PT:42']);
  });

  test("event-time timers fire at the combined watermark, with the timer's time as timestamp and the key that set them", () => {
    const h = keyed({
      processElement1(v, ctx, out) {
        out.collect(`INPUT1:${String(v)}`);
        ctx.timerService().registerEventTimeTimer(5);
      },
      processElement2(v, ctx, out) {
        out.collect(`INPUT2:${String(v)}`);
        ctx.timerService().registerEventTimeTimer(6);
      },
      onTimer(t, ctx, out) {
        out.collect(`${ctx.timeDomain()}:${String(ctx.getCurrentKey())}@${t}`);
      },
    });
    h.processElement1(17, 42).processElement2('18', 42);
    h.processWatermark1(5);
    expect(h.records().map((r) => r.value)).toEqual(['INPUT1:17', 'INPUT2:18']);
    h.processWatermark2(5);
    h.processBothWatermarks(6);
    expect(h.output().slice(2)).toEqual([
      { kind: 'record', value: 'event:17@5', timestamp: 5 },
      { kind: 'watermark', timestamp: 5 },
      { kind: 'record', value: 'event:18@6', timestamp: 6 },
      { kind: 'watermark', timestamp: 6 },
    ]);
  });

  test('processing-time timers fire when the clock has passed them; their output has no timestamp', () => {
    const h = keyed({
      processElement1: (_v, ctx) => ctx.timerService().registerProcessingTimeTimer(5),
      processElement2: (_v, ctx) => ctx.timerService().registerProcessingTimeTimer(6),
      onTimer: (t, ctx, out) => out.collect(`${ctx.timeDomain()}:${String(ctx.getCurrentKey())}@${t}`),
    });
    h.processElement1(17, null).processElement2('18', null);
    h.setProcessingTime(5);
    expect(h.records()).toEqual([]);
    h.setProcessingTime(7);
    expect(h.records()).toEqual([
      { value: 'processing:17@5', timestamp: null },
      { value: 'processing:18@6', timestamp: null },
    ]);
  });

  test('both sides of a key share its state; a timer reads and clears it', () => {
    const h = keyed({
      state: { seen: valueState() },
      processElement1(v, ctx) {
        (ctx.getState('seen') as ValueState).update(`INPUT1:${String(v)}`);
        ctx.timerService().registerEventTimeTimer(6);
      },
      processElement2(v, ctx, out) {
        out.collect(`${String(v)} sees ${String((ctx.getState('seen') as ValueState).value())}`);
      },
      onTimer(_t, ctx, out) {
        out.collect(`STATE:${String((ctx.getState('seen') as ValueState).value())}`);
        (ctx.getState('seen') as ValueState).clear();
      },
    });
    h.processElement1(17, 1).processElement2('17', 2).processElement2('18', 3);
    h.processBothWatermarks(6);
    expect(h.records().map((r) => r.value)).toEqual(['17 sees INPUT1:17', '18 sees null', 'STATE:INPUT1:17']);
    expect(h.stateSize()).toBe(0);
  });

  test('state and timers survive a snapshot and restore', () => {
    const fn: KeyedCoProcessFunction = {
      state: { seen: valueState() },
      processElement1(v, ctx) {
        (ctx.getState('seen') as ValueState).update(v);
        ctx.timerService().registerEventTimeTimer(5);
      },
      processElement2: (_v, ctx) => ctx.timerService().registerProcessingTimeTimer(6),
      onTimer: (t, ctx, out) => out.collect(`${ctx.timeDomain()}:${String((ctx.getState('seen') as ValueState).value())}@${t}`),
    };
    const h = keyed(fn);
    h.processElement1(17, 1).processElement2('17', 2);
    const snapshot = h.snapshot(1);
    const r = createTwoInputHarness(new CoProcessOperator(fn, keys), { keySelectors: [intKey, intKey], restore: [snapshot] }).open();
    r.setProcessingTime(10).processBothWatermarks(10);
    expect(r.records()).toEqual([
      { value: 'processing:17@6', timestamp: null },
      { value: 'event:17@5', timestamp: 5 },
    ]);
  });

  test('side outputs carry the element\'s timestamp', () => {
    const h = keyed({
      processElement1: (v, ctx) => ctx.output('ints', v),
      processElement2: (v, ctx, out) => out.collect(v),
    });
    h.processElement1(3, 7).processElement2('x', 8);
    expect(h.sideOutput('ints').map((r) => [r.value, r.timestamp])).toEqual([[3, 7]]);
    expect(h.records()).toEqual([{ value: 'x', timestamp: 8 }]);
  });
});

describe('CoProcessOperator (not keyed)', () => {
  const collectAll: CoProcessFunction = {
    processElement1: (v, ctx, out) => out.collect(`${String(v)}WM:${ctx.timerService().currentWatermark()} TS:${ctx.timestamp()}`),
    processElement2: (v, ctx, out) => out.collect(`${String(v)}WM:${ctx.timerService().currentWatermark()} TS:${ctx.timestamp()}`),
  };

  test('sees timestamps and the combined watermark, and forwards the watermark', () => {
    const h = createTwoInputHarness(new CoProcessOperator(collectAll, null)).open();
    h.processBothWatermarks(17).processElement1(5, 12).processWatermark2(42).processElement2('6', 13);
    expect(h.output()).toEqual([
      { kind: 'watermark', timestamp: 17 },
      { kind: 'record', value: '5WM:17 TS:12', timestamp: 12 },
      { kind: 'record', value: '6WM:17 TS:13', timestamp: 13 },
    ]);
  });

  test('timers and keyed state need a keyed stream (Flink\'s messages)', () => {
    const timers = createTwoInputHarness(
      new CoProcessOperator({ processElement1: (_v, ctx) => ctx.timerService().registerEventTimeTimer(1), processElement2: () => {} } satisfies CoProcessFunction, null),
    ).open();
    expect(() => timers.processElement1(1, 1)).toThrow(NEEDS_KEYED_TIMERS);
    const state = createTwoInputHarness(
      new CoProcessOperator({ processElement1: (_v, ctx) => void (ctx as unknown as { getState(n: string): unknown }).getState('x'), processElement2: () => {} } satisfies CoProcessFunction, null),
    ).open();
    expect(() => state.processElement1(1, 1)).toThrow(NEEDS_KEYED_STATE);
  });

  test('an idle input does not hold back the other; both idle keeps the watermark', () => {
    const h = createTwoInputHarness(new CoProcessOperator(collectAll, null)).open();
    h.processWatermark1(10);
    expect(h.watermarks()).toEqual([]);
    h.processWatermarkStatus2(true);
    expect(h.watermarks()).toEqual([10]);
    h.processWatermark1(20);
    h.processWatermarkStatus1(true);
    h.processWatermark2(30);
    expect(h.watermarks()).toEqual([10, 20]);
    // Input 2 comes back at 30: the minimum of the active inputs is 30.
    h.processWatermarkStatus2(false);
    expect(h.watermarks()).toEqual([10, 20, 30]);
  });
});

describe('CoMap and CoFlatMap', () => {
  test('map1 and map2 keep each element\'s timestamp', () => {
    const h = createTwoInputHarness(new CoStreamMap({ map1: (v) => `1:${String(v)}`, map2: (v) => `2:${String(v)}` })).open();
    h.processElement1('a', 1).processElement2('b', 2).processBothWatermarks(5);
    expect(h.output()).toEqual([
      { kind: 'record', value: '1:a', timestamp: 1 },
      { kind: 'record', value: '2:b', timestamp: 2 },
      { kind: 'watermark', timestamp: 5 },
    ]);
  });

  test('flatMap1 and flatMap2 emit any number of records', () => {
    const h = createTwoInputHarness(
      new CoStreamFlatMap({
        flatMap1: (v, out) => (v as number[]).forEach((x) => out.collect(x)),
        flatMap2: () => {},
      }),
    ).open();
    h.processElement1([1, 2, 3], 4).processElement2('ignored', 5);
    expect(h.records()).toEqual([1, 2, 3].map((value) => ({ value, timestamp: 4 })));
  });

  test('what a function throws names the operator', () => {
    const h = createTwoInputHarness(new CoStreamMap({ map1: () => { throw new Error('boom'); }, map2: (v) => v }), { operatorId: 'combine' }).open();
    expect(() => h.processElement1(1, 1)).toThrow(/boom/);
  });
});
