/**
 * Window assigners, triggers and evictors for the DataStream API, with Flink's names
 * (`TumblingEventTimeWindows.of(1000)`, `GlobalWindows.create()`, `CountTrigger.of(n)`,
 * `PurgingTrigger.of(...)`, `CountEvictor.of(n)`), and the AggregateFunction and
 * ProcessWindowFunction shapes, with the context a ProcessWindowFunction gets. Each returns plain data (a spec); where Flink takes a
 * user function (a dynamic session gap, a DeltaFunction) the spec holds the function. `WindowedStream` (in data-stream.ts) uses them to build the
 * same WindowOperator a scenario's `window` builds.
 *
 * @example
 * stream.keyBy((v) => v.user)
 *   .window(TumblingEventTimeWindows.of(1000))
 *   .allowedLateness(500)
 *   .sideOutputLateData('late')
 *   .sum('amount');
 */
import type { JsonValue } from '../../model/index.ts';
import type {
  DeltaFunctionSpec,
  SessionGapSpec,
  TimeWindow,
  WindowAggregate,
  WindowAssignerSpec,
  WindowEvictorSpec,
  WindowOperatorConfig,
  WindowStagger as WindowStaggerName,
  WindowTriggerSpec,
} from '../../operators/index.ts';

/** Flink's WindowStagger, for TumblingProcessingTimeWindows.of(size, offset, stagger). */
export const WindowStagger = Object.freeze({ ALIGNED: 'aligned', RANDOM: 'random', NATURAL: 'natural' } as const);
export type WindowStagger = WindowStaggerName;

export const TumblingEventTimeWindows = {
  /** With a stagger, the shift comes from the processing time of the subtask's first element, as in Flink. */
  of: (sizeMs: number, offsetMs = 0, stagger: WindowStagger = WindowStagger.ALIGNED): WindowAssignerSpec =>
    stagger === 'aligned' ? { type: 'tumbling', sizeMs, offsetMs, time: 'event' } : { type: 'tumbling', sizeMs, offsetMs, time: 'event', stagger },
};
export const TumblingProcessingTimeWindows = {
  of: (sizeMs: number, offsetMs = 0, stagger: WindowStagger = WindowStagger.ALIGNED): WindowAssignerSpec =>
    stagger === 'aligned' ? { type: 'tumbling', sizeMs, offsetMs, time: 'processing' } : { type: 'tumbling', sizeMs, offsetMs, time: 'processing', stagger },
};
export const SlidingEventTimeWindows = {
  of: (sizeMs: number, slideMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'sliding', sizeMs, slideMs, offsetMs, time: 'event' }),
};
export const SlidingProcessingTimeWindows = {
  of: (sizeMs: number, slideMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'sliding', sizeMs, slideMs, offsetMs, time: 'processing' }),
};
export const EventTimeSessionWindows = {
  withGap: (gapMs: number): WindowAssignerSpec => ({ type: 'session', gapMs, time: 'event' }),
  /** The gap per element (Flink's SessionWindowTimeGapExtractor): whole ms, > 0. */
  withDynamicGap: (gap: SessionGapSpec): WindowAssignerSpec => ({ type: 'dynamic-session', gap, time: 'event' }),
};
export const ProcessingTimeSessionWindows = {
  withGap: (gapMs: number): WindowAssignerSpec => ({ type: 'session', gapMs, time: 'processing' }),
  withDynamicGap: (gap: SessionGapSpec): WindowAssignerSpec => ({ type: 'dynamic-session', gap, time: 'processing' }),
};
/** One window per key for all time; it fires only by the trigger you give it (its default never fires). */
export const GlobalWindows = {
  create: (): WindowAssignerSpec => ({ type: 'global' }),
};

export const EventTimeTrigger = {
  create: (): WindowTriggerSpec => ({ type: 'event-time' }),
};
export const ProcessingTimeTrigger = {
  create: (): WindowTriggerSpec => ({ type: 'processing-time' }),
};
export const CountTrigger = {
  of: (count: number): WindowTriggerSpec => ({ type: 'count', count }),
};
/** Turns every FIRE of `trigger` into FIRE_AND_PURGE. */
export const PurgingTrigger = {
  of: (trigger: WindowTriggerSpec): WindowTriggerSpec => ({ type: 'purging', trigger }),
};
export const ContinuousEventTimeTrigger = {
  of: (intervalMs: number): WindowTriggerSpec => ({ type: 'continuous-event-time', intervalMs }),
};
export const ContinuousProcessingTimeTrigger = {
  of: (intervalMs: number): WindowTriggerSpec => ({ type: 'continuous-processing-time', intervalMs }),
};
/** Fires when delta(last fired element, element) > threshold (Flink's DeltaTrigger). */
export const DeltaTrigger = {
  of: (threshold: number, delta: DeltaFunctionSpec): WindowTriggerSpec => ({ type: 'delta', threshold, delta }),
};

export const CountEvictor = {
  of: (maxCount: number, doEvictAfter = false): WindowEvictorSpec => ({ type: 'count', maxCount, evictAfter: doEvictAfter }),
};
export const TimeEvictor = {
  of: (windowSizeMs: number, doEvictAfter = false): WindowEvictorSpec => ({ type: 'time', windowSizeMs, evictAfter: doEvictAfter }),
};
export const DeltaEvictor = {
  of: (threshold: number, delta: DeltaFunctionSpec, doEvictAfter = false): WindowEvictorSpec => ({ type: 'delta', threshold, delta, evictAfter: doEvictAfter }),
};

/** Flink's AggregateFunction; the accumulator is JSON, as all state is. */
export interface AggregateFunction {
  createAccumulator(): JsonValue;
  add(value: JsonValue, accumulator: JsonValue): JsonValue;
  getResult(accumulator: JsonValue): JsonValue;
  merge(a: JsonValue, b: JsonValue): JsonValue;
}

/**
 * Flink's ProcessWindowFunction.Context, for the firing at hand: `window`,
 * `currentProcessingTime()`, `currentWatermark()`, `output(tag, value)` (a side output, with
 * the result's timestamp), `windowState()` (state of this key and window, gone at the
 * window's cleanup time) and `globalState()` (state of this key across its windows). It is
 * valid only while the function runs.
 * @example
 * (key, window, elements, ctx) => {
 *   const firings = ctx.windowState().getState('firings');
 *   firings.update(((firings.value() as number | null) ?? 0) + 1);
 *   if (firings.value() !== 1) ctx.output('updates', { key, start: window.start });
 *   return [{ key, n: elements.length }];
 * }
 */
export type ProcessWindowContext = Parameters<NonNullable<WindowOperatorConfig['windowFunction']>>[3];

/** Flink's KeyedStateStore, as `windowState()` and `globalState()` give it: `getState(name)`. */
export type KeyedStateStore = ReturnType<ProcessWindowContext['windowState']>;

/** A value state of a window function (Flink's ValueState): `value()` (null until updated), `update(v)`, `clear()`; JSON, as all state is. */
export type WindowValueState = ReturnType<KeyedStateStore['getState']>;

/** Flink's ProcessWindowFunction: all of a window's elements at once, and the firing's context (which a function may leave out). */
export type ProcessWindowFunction = (key: JsonValue, window: TimeWindow, elements: JsonValue[], context: ProcessWindowContext) => JsonValue[];

/**
 * Adapts a Flink AggregateFunction to the window operator's aggregate. A window its evictor
 * emptied gives `getResult(createAccumulator())`, as Flink's AggregateApplyWindowFunction
 * does over no elements (`emptyResult` false: nothing, for a reduce in this shape).
 */
export function fromAggregateFunction(fn: AggregateFunction, emptyResult = true): WindowAggregate {
  const aggregate: WindowAggregate = {
    add: (acc, value) => fn.add(value, acc === undefined ? fn.createAccumulator() : acc),
    merge: (target, source) => fn.merge(target, source),
    result: (acc) => fn.getResult(acc),
  };
  return emptyResult ? { ...aggregate, empty: () => fn.getResult(fn.createAccumulator()) } : aggregate;
}
