/**
 * Flink's ProcessWindowFunction.Context, the 4th argument of a window function (and the 3rd
 * of a windowAll's): the firing's window and times, side outputs with the result's
 * timestamp, per-window state that goes at the window's cleanup time (not at a purge), and
 * global state of the key across its windows; both are keyed state, so a snapshot keeps
 * them. A function that leaves the context out works as before.
 */
import { describe, expect, it } from 'vitest';
import {
  CountTrigger,
  createSimulation,
  EventTimeSessionWindows,
  PurgingTrigger,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  type DataStream,
  type JsonValue,
  type ProcessAllWindowFunction,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type RunReport,
  type WindowFunction,
} from '../../core/index.ts';
import { MAX_WATERMARK } from '../../core/model/index.ts';
import { createWindowOperator, type WindowOperatorConfig } from '../../core/operators/windows/index.ts';
import { WINDOW_FUNCTION_GLOBAL_STATE, WINDOW_FUNCTION_WINDOW_STATE } from '../../core/operators/windows/window-operator.ts';
import { createOperatorHarness, type OperatorTestHarness } from '../../core/testing.ts';
import type { OperatorSnapshot } from '../../core/state/index.ts';

type Item = [value: JsonValue, timestamp: number] | number;

/** Records at timestamps and watermarks (a bare number), in order, from one source. */
function seq(e: StreamExecutionEnvironment, items: Item[]): DataStream {
  return e.fromSequence(items.map((i) => (typeof i === 'number' ? { kind: 'watermark' as const, timestamp: i } : { kind: 'record' as const, value: i[0], timestamp: i[1] })));
}

function run(e: StreamExecutionEnvironment): RunReport {
  const sim = createSimulation({ streamGraph: e.getStreamGraph('process window context'), seed: 3 });
  sim.run();
  return sim.report();
}

function finished(e: StreamExecutionEnvironment): RunReport {
  const report = run(e);
  expect(report.failureCause ?? null).toBe(null);
  return report;
}

const env = (): StreamExecutionEnvironment => StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
const values = (report: RunReport, sink: string): JsonValue[] => report.sinks[sink]!.committed.map((r) => r.value);
const keyOf = (v: JsonValue): JsonValue => (v as { k: string }).k;
const counter = (v: JsonValue | null): number => (v === null ? 0 : (v as number));

/** Counts a window's firings in its window state and the key's in global state (over the collect aggregate: the elements). */
const firings: WindowFunction = (key, window, elements, ctx) => {
  const perWindow = ctx.windowState().getState('firings');
  const before = perWindow.value();
  perWindow.update(counter(before) + 1);
  const total = ctx.globalState().getState('firings');
  total.update(counter(total.value()) + 1);
  return [{ key, start: window.start, n: (elements as JsonValue[]).length, before, total: total.value() }];
};

describe('side outputs from a ProcessWindowFunction', () => {
  it("output(tag, value) lands in report.sideOutputs[tag] with the result's timestamp, end - 1", () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 100], [{ k: 'b' }, 300], [{ k: 'a' }, 1200], 5000])
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .process((key, window, elements, ctx) => {
        ctx.output('sizes', { key, size: elements.length });
        return [{ key, start: window.start }];
      })
      .print();
    const report = finished(e);
    expect(report.sideOutputs['sizes']).toEqual([
      { value: { key: 'a', size: 1 }, timestamp: 999 },
      { value: { key: 'b', size: 1 }, timestamp: 999 },
      { value: { key: 'a', size: 1 }, timestamp: 1999 },
    ]);
    expect(report.sinks['print-1']!.committed.map((r) => r.timestamp)).toEqual([999, 999, 1999]);
  });

  it('in the global window a side output is stamped as the result is, with the end of time', () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 1], [{ k: 'a' }, 2]])
      .keyBy(keyOf)
      .countWindow(2)
      .process((key, _window, elements, ctx) => {
        ctx.output('pairs', elements);
        return [key];
      })
      .print();
    const report = finished(e);
    expect(report.sinks['print-1']!.committed).toEqual([{ value: 'a', timestamp: MAX_WATERMARK }]);
    expect(report.sideOutputs['pairs']).toEqual([{ value: [{ k: 'a' }, { k: 'a' }], timestamp: MAX_WATERMARK }]);
  });

  it('aggregate and reduce with a window function, and a windowAll, get the context too', () => {
    const e = env();
    const stream = seq(e, [[{ k: 'a', v: 2 }, 100], [{ k: 'a', v: 3 }, 200], 5000]);
    const windowed = stream.keyBy(keyOf).window(TumblingEventTimeWindows.of(1000));
    const add = (x: JsonValue, y: JsonValue): JsonValue => ({ k: keyOf(x), v: (x as { v: number }).v + (y as { v: number }).v });
    windowed
      .reduce(add, (key, _w, result, ctx) => {
        ctx.output('reduced', result);
        return [key];
      })
      .print();
    stream
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .aggregate({ kind: 'count' }, (key, _w, result, ctx) => {
        ctx.output('counted', result);
        return [key];
      })
      .print();
    stream
      .windowAll(TumblingEventTimeWindows.of(1000))
      .process((window, all, ctx) => {
        const seen = ctx.globalState().getState('seen');
        seen.update(counter(seen.value()) + all.length);
        ctx.output('all', { end: window.end, seen: seen.value() });
        return [all.length];
      })
      .print();
    stream
      .windowAll(TumblingEventTimeWindows.of(1000))
      .aggregate({ kind: 'count' }, (_w, result, ctx) => {
        ctx.output('all-counted', result);
        return [result];
      })
      .print();
    const report = finished(e);
    expect(report.sideOutputs['reduced']).toEqual([{ value: { k: 'a', v: 5 }, timestamp: 999 }]);
    expect(report.sideOutputs['counted']).toEqual([{ value: 2, timestamp: 999 }]);
    expect(report.sideOutputs['all']).toEqual([{ value: { end: 1000, seen: 2 }, timestamp: 999 }]);
    expect(report.sideOutputs['all-counted']).toEqual([{ value: 2, timestamp: 999 }]);
  });
});

const lateness = (windowFunction: WindowOperatorConfig['windowFunction'], extra: Partial<WindowOperatorConfig> = {}): WindowOperatorConfig => ({
  assigner: { type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' },
  trigger: null,
  aggregate: { kind: 'collect', expr: null },
  allowedLatenessMs: 500,
  lateOutputTag: null,
  windowFunction,
  ...extra,
});

function harness(config: WindowOperatorConfig, restore?: OperatorSnapshot[]): OperatorTestHarness {
  return createOperatorHarness(createWindowOperator(config), { keySelector: 'key', ...(restore === undefined ? {} : { restore }) }).open();
}

/** The window function's state the harness holds: state name, key and namespace -> value. */
function functionState(h: OperatorTestHarness): string[] {
  return h
    .backend!.entries()
    .filter((e) => e.state === WINDOW_FUNCTION_WINDOW_STATE || e.state === WINDOW_FUNCTION_GLOBAL_STATE)
    .map((e) => `${e.state === WINDOW_FUNCTION_WINDOW_STATE ? 'window' : 'global'} ${e.key} [${e.namespace}] ${JSON.stringify(e.value)}`);
}

describe('the firing and its times', () => {
  it('currentWatermark() is the watermark that fired the window; currentProcessingTime() the clock; window the firing window', () => {
    const seen: JsonValue[] = [];
    const h = harness(
      lateness((_key, window, _result, ctx) => {
        seen.push({ window: { ...ctx.window }, watermark: ctx.currentWatermark(), now: ctx.currentProcessingTime() });
        expect(ctx.window).toEqual(window);
        return [];
      }),
    );
    h.feed('a@100 P42 W1200 a@300 P50 W2500');
    expect(seen).toEqual([
      { window: { start: 0, end: 1000 }, watermark: 1200, now: 42 },
      // A late firing comes with the element, at the watermark of that moment.
      { window: { start: 0, end: 1000 }, watermark: 1200, now: 42 },
    ]);
  });

  it('through the DataStream API, at the watermarks of the sequence', () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 100], [{ k: 'a' }, 1100], 1500])
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .process((_key, window, _elements, ctx) => [{ start: window.start, watermark: ctx.currentWatermark() }])
      .print();
    expect(values(finished(e), 'print-1')).toEqual([
      { start: 0, watermark: 1500 },
      { start: 1000, watermark: MAX_WATERMARK },
    ]);
  });

  it('the context and its state handles are valid only while the function runs', () => {
    let kept: ProcessWindowContext | null = null;
    const h = harness(
      lateness((_key, _window, _result, ctx) => {
        kept = ctx;
        ctx.windowState().getState('x').update(1);
        return [];
      }),
    );
    h.feed('a@100 W999');
    expect(kept).not.toBe(null);
    const ctx = kept as unknown as ProcessWindowContext;
    expect(() => ctx.currentWatermark()).toThrow(/only while the function runs/);
    expect(() => ctx.window).toThrow(/only while the function runs/);
    expect(() => ctx.output('x', 1)).toThrow(/only while the function runs/);
    expect(() => ctx.globalState().getState('x')).toThrow(/only while the function runs/);
  });

  it("the backend's namespace is the window's again after the function moved it", () => {
    const h = harness(
      lateness((_key, _window, _result, ctx) => {
        ctx.globalState().getState('g').update(1);
        return [];
      }),
    );
    h.feed('a@100 W999');
    expect(h.backend!.currentNamespace).toBe('0,1000');
  });
});

describe('windowState: per key and window, gone at the cleanup time', () => {
  it('a late firing sees the count of the first firing; the next window starts at null (DataStream API)', () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 100], 999, [{ k: 'a' }, 200], 1200, [{ k: 'a' }, 1100], 3000])
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .allowedLateness(500)
      .process((key, window, elements, ctx) => {
        const count = ctx.windowState().getState('firings');
        const before = count.value();
        count.update(counter(before) + 1);
        return [{ key, start: window.start, n: elements.length, before }];
      })
      .print();
    expect(values(finished(e), 'print-1')).toEqual([
      { key: 'a', start: 0, n: 1, before: null },
      { key: 'a', start: 0, n: 2, before: 1 },
      { key: 'a', start: 1000, n: 1, before: null },
    ]);
  });

  it('is removed at the cleanup time (max timestamp + allowed lateness), not before', () => {
    const h = harness(lateness(firings));
    h.feed('a@100 b@150 W999 a@200');
    expect(h.records().map((r) => r.value)).toEqual([
      { key: 'a', start: 0, n: 1, before: null, total: 1 },
      { key: 'b', start: 0, n: 1, before: null, total: 1 },
      { key: 'a', start: 0, n: 2, before: 1, total: 2 },
    ]);
    expect(functionState(h)).toEqual(['global "a" [] {"firings":2}', 'window "a" [0,1000] {"firings":2}', 'global "b" [] {"firings":1}', 'window "b" [0,1000] {"firings":1}']);
    h.feed('W1498');
    expect(functionState(h)).toHaveLength(4);
    h.feed('W1499');
    expect(functionState(h)).toEqual(['global "a" [] {"firings":2}', 'global "b" [] {"firings":1}']);
  });

  it('without allowed lateness it lasts for the firing alone', () => {
    const h = harness(lateness(firings, { allowedLatenessMs: 0 }));
    h.feed('a@100 W999 a@1100 W1999');
    expect(h.records().map((r) => (r.value as { before: JsonValue }).before)).toEqual([null, null]);
    expect(functionState(h)).toEqual(['global "a" [] {"firings":2}']);
  });

  it('in processing time it goes when the window fires, its cleanup time', () => {
    const h = harness(lateness(firings, { assigner: { type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'processing' } }));
    h.feed('P100 a a P1000');
    expect(h.records().map((r) => r.value)).toEqual([{ key: 'a', start: 0, n: 2, before: null, total: 1 }]);
    expect(functionState(h)).toEqual(['global "a" [] {"firings":1}']);
  });

  it('a purging trigger clears the contents, not the window state', () => {
    const h = harness(lateness(firings, { trigger: { type: 'purging', trigger: { type: 'count', count: 1 } } }));
    h.feed('a@100 a@200 a@300');
    expect(h.records().map((r) => r.value)).toEqual([
      { key: 'a', start: 0, n: 1, before: null, total: 1 },
      { key: 'a', start: 0, n: 1, before: 1, total: 2 },
      { key: 'a', start: 0, n: 1, before: 2, total: 3 },
    ]);
    h.feed('W1499');
    expect(functionState(h)).toEqual(['global "a" [] {"firings":3}']);
  });

  it('clear() removes one state; update(undefined) is refused', () => {
    const h = harness(
      lateness((_key, _window, _result, ctx) => {
        const store = ctx.windowState();
        store.getState('x').update(1);
        store.getState('y').update(2);
        store.getState('x').clear();
        expect(store.getState('x').value()).toBe(null);
        expect(() => store.getState('y').update(undefined as unknown as JsonValue)).toThrow(/JSON/);
        return [];
      }),
    );
    h.feed('a@100 W999');
    expect(functionState(h)).toEqual(['window "a" [0,1000] {"y":2}']);
  });

  it('is refused on merging (session) windows, as in Flink; globalState works there', () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 100], 5000])
      .keyBy(keyOf)
      .window(EventTimeSessionWindows.withGap(100))
      .process((key, _window, _elements, ctx) => [ctx.windowState().getState('x').value() ?? key])
      .print();
    expect(run(e).failureCause).toMatch(/per-window state is not allowed when using merging/);

    const ok = env();
    seq(ok, [[{ k: 'a' }, 100], [{ k: 'a' }, 1000], 5000])
      .keyBy(keyOf)
      .window(EventTimeSessionWindows.withGap(100))
      .process((_key, window, _elements, ctx) => {
        const sessions = ctx.globalState().getState('sessions');
        sessions.update(counter(sessions.value()) + 1);
        return [{ start: window.start, sessions: sessions.value() }];
      })
      .print();
    expect(values(finished(ok), 'print-1')).toEqual([
      { start: 100, sessions: 1 },
      { start: 1000, sessions: 2 },
    ]);
  });
});

describe('globalState: per key, across windows', () => {
  it("survives from one window to the next of the same key, apart from other keys' state", () => {
    const e = env();
    seq(e, [[{ k: 'a' }, 100], [{ k: 'b' }, 150], [{ k: 'a' }, 200], [{ k: 'a' }, 1100], [{ k: 'b' }, 2100], 5000])
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .process((key, window, elements, ctx) => {
        const seen = ctx.globalState().getState('seen');
        seen.update(counter(seen.value()) + elements.length);
        return [{ key, start: window.start, seen: seen.value() }];
      })
      .print();
    expect(values(finished(e), 'print-1')).toEqual([
      { key: 'a', start: 0, seen: 2 },
      { key: 'b', start: 0, seen: 1 },
      { key: 'a', start: 1000, seen: 3 },
      { key: 'b', start: 2000, seen: 2 },
    ]);
  });
});

describe('snapshot and restore', () => {
  it('keep window and global state; the restored window state still goes at its cleanup time', () => {
    const before = harness(lateness(firings));
    before.feed('a@100 W999');
    const snapshot = before.snapshot(1);
    // What comes after the snapshot is lost with the failure.
    before.feed('a@150');

    const after = harness(lateness(firings), [snapshot]);
    expect(functionState(after)).toEqual(['global "a" [] {"firings":1}', 'window "a" [0,1000] {"firings":1}']);
    after.feed('W999 a@200');
    expect(after.records().map((r) => r.value)).toEqual([{ key: 'a', start: 0, n: 2, before: 1, total: 2 }]);
    after.feed('W1499 a@1100 W1999');
    expect(after.records().map((r) => r.value)).toEqual([
      { key: 'a', start: 0, n: 2, before: 1, total: 2 },
      { key: 'a', start: 1000, n: 1, before: null, total: 3 },
    ]);
    expect(functionState(after)).toEqual(['global "a" [] {"firings":3}', 'window "a" [1000,2000] {"firings":1}']);
    after.feed('W2499');
    expect(functionState(after)).toEqual(['global "a" [] {"firings":3}']);
  });
});

describe('functions without the context', () => {
  it('3-argument ProcessWindowFunctions and window functions, and 2-argument windowAll ones, work as before', () => {
    const keyed: ProcessWindowFunction = (key, window, elements) => [{ key, start: window.start, n: elements.length }];
    const all: ProcessAllWindowFunction = (window, elements) => [{ end: window.end, n: elements.length }];
    const e = env();
    const stream = seq(e, [[{ k: 'a' }, 100], [{ k: 'a' }, 200], 5000]);
    stream.keyBy(keyOf).window(TumblingEventTimeWindows.of(1000)).process(keyed).print();
    stream
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .aggregate({ kind: 'count' }, (key, window, result) => [{ key, end: window.end, result }])
      .print();
    stream.windowAll(TumblingEventTimeWindows.of(1000)).process(all).print();
    stream
      .windowAll(TumblingEventTimeWindows.of(1000))
      .trigger(PurgingTrigger.of(CountTrigger.of(2)))
      .reduce(
        (x) => x,
        (window, result) => [{ start: window.start, result }],
      )
      .print();
    const report = finished(e);
    expect(values(report, 'print-1')).toEqual([{ key: 'a', start: 0, n: 2 }]);
    expect(values(report, 'print-2')).toEqual([{ key: 'a', end: 1000, result: 2 }]);
    expect(values(report, 'print-3')).toEqual([{ end: 1000, n: 2 }]);
    expect(values(report, 'print-4')).toEqual([{ start: 0, result: { k: 'a' } }]);
  });
});
