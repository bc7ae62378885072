/**
 * `windowAll`: windows over the whole stream, not per key (Flink's AllWindowedStream). One
 * window sees every record, so it cannot be split over subtasks: Flink runs it at
 * parallelism 1 and refuses any other. It does so by keying the stream with one constant
 * key (its NullByteKeySelector) and running the keyed window operator; Weir does the same,
 * so a windowAll has keyed state and timers like any window, under the key 0. Everything
 * else (trigger, evictor, lateness, the window functions) is the keyed WindowedStream's.
 *
 * A result carries no key: `{window: {start, end}, value}` with timestamp end - 1, where a
 * keyed window gives `{key, window, value}`. `process(fn)` hands `fn` the window and all its
 * values (Flink's ProcessAllWindowFunction) and emits what it returns; `aggregate(agg, fn)`
 * and `reduce(r, fn)` hand it the incremental result instead. Each also gets Flink's
 * ProcessAllWindowFunction.Context: the window, side outputs, windowState and globalState
 * (the state of the one key, so of the whole stream); Flink's has no clocks, so neither
 * has this one.
 *
 * @example
 * hourlyTips.windowAll(TumblingEventTimeWindows.of(3_600_000)).maxBy('sumOfTips').map((r) => r.value);
 */
import type { KeySelector } from '../../graph/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { createWindowOperator, windowJson, type TimeWindow, type WindowAggregateSpec, type WindowAssignerSpec, type WindowOperatorConfig } from '../../operators/index.ts';
import type { Transformation, TransformationSink } from './transformation.ts';
import { WindowedStreamBase, type WindowFunction } from './windowed-stream-base.ts';
import type { AggregateFunction, ProcessWindowContext } from './windows.ts';

/** The key a windowAll gives every record, as Flink's NullByteKeySelector gives the byte 0. */
const ONE_KEY: KeySelector = { description: 'windowAll (one key)', select: () => 0 };

/**
 * Flink's ProcessAllWindowFunction.Context: `window`, `output(tag, value)`, `windowState()`
 * and `globalState()`, as a keyed window's context has them.
 * @example (window, values, ctx) => (ctx.output('sizes', values.length), [values.length])
 */
export type ProcessAllWindowContext = Pick<ProcessWindowContext, 'window' | 'output' | 'windowState' | 'globalState'>;

/** Flink's ProcessAllWindowFunction: the window and all of its values at once, and the firing's context. */
export type ProcessAllWindowFunction = (window: TimeWindow, elements: JsonValue[], context: ProcessAllWindowContext) => JsonValue[];

/** Flink's ProcessAllWindowFunction after an incremental aggregate: the window, the aggregate's result and the firing's context. */
export type AllWindowFunction = (window: TimeWindow, result: JsonValue, context: ProcessAllWindowContext) => JsonValue[];

/** A stream's handle on the operator that produced it, so setParallelism can be refused. */
export type MakeAllWindowStream<R> = (t: Transformation) => R;

const keyless: WindowFunction = (_key, window, result) => [{ window: windowJson(window), value: result }];
const dropKey = (fn: AllWindowFunction): WindowFunction => (_key, window, result, context) => fn(window, result, context);

export class AllWindowedStream<R> extends WindowedStreamBase<R> {
  constructor(
    private readonly env: TransformationSink,
    private readonly inputs: Transformation['inputs'],
    assigner: WindowAssignerSpec,
    private readonly make: MakeAllWindowStream<R>,
  ) {
    super(assigner);
  }

  /** Incremental aggregation: a scenario-style spec or a Flink AggregateFunction, then `windowFunction` if given. */
  aggregate(fn: AggregateFunction | WindowAggregateSpec, windowFunction?: AllWindowFunction): R {
    return this.aggregateWith(fn, windowFunction && dropKey(windowFunction));
  }

  /** Folds the window's values with `fn` (Flink's ReduceFunction), then `windowFunction` if given. */
  reduce(fn: (a: JsonValue, b: JsonValue) => JsonValue, windowFunction?: AllWindowFunction): R {
    return this.reduceWith(fn, windowFunction && dropKey(windowFunction));
  }

  /** Gives `fn` every element of the window when it fires (Flink's ProcessAllWindowFunction). */
  process(fn: ProcessAllWindowFunction): R {
    return this.build({ kind: 'collect', expr: null }, null, (_key, window, result, context) => fn(window, result as JsonValue[], context));
  }

  protected defaultWindowFunction(): WindowFunction {
    return keyless;
  }

  protected declare(config: WindowOperatorConfig): R {
    const keyed = this.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash' as const, key: ONE_KEY } }));
    const t = this.env.add('window-all', 'Window(All)', { kind: 'operator', create: () => createWindowOperator(config) }, keyed);
    t.parallelism = 1;
    return this.make(t);
  }
}
