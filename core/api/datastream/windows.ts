/**
 * Window assigners and triggers for the DataStream API, with Flink's names
 * (`TumblingEventTimeWindows.of(1000)`, `CountTrigger.of(n)`), and the AggregateFunction and
 * ProcessWindowFunction shapes. `WindowedStream` (in data-stream.ts) uses them to build the
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
import type { TimeWindow, WindowAggregate, WindowAssignerSpec, WindowTriggerSpec } from '../../operators/index.ts';

export const TumblingEventTimeWindows = {
  of: (sizeMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'tumbling', sizeMs, offsetMs, time: 'event' }),
};
export const TumblingProcessingTimeWindows = {
  of: (sizeMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'tumbling', sizeMs, offsetMs, time: 'processing' }),
};
export const SlidingEventTimeWindows = {
  of: (sizeMs: number, slideMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'sliding', sizeMs, slideMs, offsetMs, time: 'event' }),
};
export const SlidingProcessingTimeWindows = {
  of: (sizeMs: number, slideMs: number, offsetMs = 0): WindowAssignerSpec => ({ type: 'sliding', sizeMs, slideMs, offsetMs, time: 'processing' }),
};
export const EventTimeSessionWindows = {
  withGap: (gapMs: number): WindowAssignerSpec => ({ type: 'session', gapMs, time: 'event' }),
};
export const ProcessingTimeSessionWindows = {
  withGap: (gapMs: number): WindowAssignerSpec => ({ type: 'session', gapMs, time: 'processing' }),
};
export const CountTrigger = {
  of: (count: number): WindowTriggerSpec => ({ type: 'count', count }),
};

/** Flink's AggregateFunction; the accumulator is JSON, as all state is. */
export interface AggregateFunction {
  createAccumulator(): JsonValue;
  add(value: JsonValue, accumulator: JsonValue): JsonValue;
  getResult(accumulator: JsonValue): JsonValue;
  merge(a: JsonValue, b: JsonValue): JsonValue;
}

/** Flink's ProcessWindowFunction: all of a window's elements at once. */
export type ProcessWindowFunction = (key: JsonValue, window: TimeWindow, elements: JsonValue[]) => JsonValue[];

/** Adapts a Flink AggregateFunction to the window operator's aggregate. */
export function fromAggregateFunction(fn: AggregateFunction): WindowAggregate {
  return {
    add: (acc, value) => fn.add(value, acc === undefined ? fn.createAccumulator() : acc),
    merge: (target, source) => fn.merge(target, source),
    result: (acc) => fn.getResult(acc),
  };
}
