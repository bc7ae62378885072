/**
 * The user functions of connected streams, with Flink's names. `connect` puts two streams,
 * possibly of different types, into one operator that sees each element together with the
 * side it came from: map1 / map2, flatMap1 / flatMap2, processElement1 / processElement2.
 * On keyed connected streams (both sides keyed by keys that compare equal) the two sides
 * of one key share that key's state and timers, which is how a join is written by hand:
 * keep what one side brought until the other side's match arrives.
 */
import type { JsonValue } from '../../model/index.ts';
import type { Collector, OnTimerContext, ProcessContext, StateDescriptors, TimerService } from '../process/index.ts';

/** Flink's CoMapFunction. @example const f: CoMapFunction = { map1: (v) => v, map2: (v) => ({ other: v }) }; */
export interface CoMapFunction {
  map1(value: JsonValue, timestamp: number | null): JsonValue;
  map2(value: JsonValue, timestamp: number | null): JsonValue;
}

/** Flink's CoFlatMapFunction. @example const f: CoFlatMapFunction = { flatMap1: (v, out) => out.collect(v), flatMap2: () => {} }; */
export interface CoFlatMapFunction {
  flatMap1(value: JsonValue, out: Collector): void;
  flatMap2(value: JsonValue, out: Collector): void;
}

/**
 * What a non-keyed CoProcessFunction may use: the element's timestamp, side outputs and the
 * clocks. Timers and keyed state need keyed connected streams; asking for them throws, as
 * Flink's CoProcessOperator does.
 * @example ctx.output('odd', value);
 */
export interface CoProcessContext {
  timestamp(): number | null;
  timerService(): TimerService;
  output(tag: string, value: JsonValue): void;
}

/** Flink's CoProcessFunction (non-keyed connected streams). @example const f: CoProcessFunction = { processElement1: (v, _c, out) => out.collect(v), processElement2: () => {} }; */
export interface CoProcessFunction {
  processElement1(value: JsonValue, ctx: CoProcessContext, out: Collector): void;
  processElement2(value: JsonValue, ctx: CoProcessContext, out: Collector): void;
}

/**
 * Flink's KeyedCoProcessFunction: both sides see the same key's state and timers.
 * @example
 * const join: KeyedCoProcessFunction<{ ride: ValueStateDescriptor }> = {
 *   state: { ride: valueState() },
 *   processElement1(ride, ctx) { ctx.getState('ride').update(ride); },
 *   processElement2(fare, ctx, out) { out.collect({ ride: ctx.getState('ride').value(), fare }); },
 * };
 */
export interface KeyedCoProcessFunction<S extends StateDescriptors = StateDescriptors> {
  readonly state?: S;
  processElement1(value: JsonValue, ctx: ProcessContext<S>, out: Collector): void;
  processElement2(value: JsonValue, ctx: ProcessContext<S>, out: Collector): void;
  /** Called for each timer that fires, with its key as the current key. */
  onTimer?(timestamp: number, ctx: OnTimerContext<S>, out: Collector): void;
}

/** What a ProcessJoinFunction may use (Flink's ProcessJoinFunction.Context). @example out.collect({ lag: ctx.getRightTimestamp() - ctx.getLeftTimestamp() }); */
export interface ProcessJoinContext {
  getLeftTimestamp(): number;
  getRightTimestamp(): number;
  /** The joined pair's timestamp: the larger of the two. */
  getTimestamp(): number;
  output(tag: string, value: JsonValue): void;
}

/** Flink's ProcessJoinFunction: called once per pair an interval join finds. @example const f: ProcessJoinFunction = { processElement: (l, r, _c, out) => out.collect({ l, r }) }; */
export interface ProcessJoinFunction {
  processElement(left: JsonValue, right: JsonValue, ctx: ProcessJoinContext, out: Collector): void;
}
