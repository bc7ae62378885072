/**
 * `windowAll`: windows over the whole stream, not per key (Flink's AllWindowedStream). One
 * window sees every record, so it cannot be split over subtasks: Flink runs it at
 * parallelism 1 and refuses any other. It does so by keying the stream with one constant
 * key (its NullByteKeySelector) and running the keyed window operator; Weir does the same,
 * so a windowAll has keyed state and timers like any window, under the key 0.
 *
 * A result carries no key: `{window: {start, end}, value}` with timestamp end - 1, where a
 * keyed window gives `{key, window, value}`. `process(fn)` hands `fn` the window and all its
 * values (Flink's ProcessAllWindowFunction) and emits what it returns.
 *
 * @example
 * hourlyTips.windowAll(TumblingEventTimeWindows.of(3_600_000)).maxBy('sumOfTips').map((r) => r.value);
 */
import type { KeySelector } from '../../graph/index.ts';
import type { JsonValue } from '../../model/index.ts';
import {
  createWindowOperator,
  extremumByAggregate,
  type TimeWindow,
  type WindowAggregate,
  type WindowAggregateSpec,
  type WindowAssignerSpec,
  type WindowOperatorConfig,
  type WindowTriggerSpec,
} from '../../operators/index.ts';
import type { Transformation, TransformationSink } from './transformation.ts';
import { fromAggregateFunction, type AggregateFunction } from './windows.ts';

/** The key a windowAll gives every record, as Flink's NullByteKeySelector gives the byte 0. */
const ONE_KEY: KeySelector = { description: 'windowAll (one key)', select: () => 0 };

/** Flink's ProcessAllWindowFunction: the window and all of its values at once. */
export type ProcessAllWindowFunction = (window: TimeWindow, elements: JsonValue[]) => JsonValue[];

/** A stream's handle on the operator that produced it, so setParallelism can be refused. */
export type MakeAllWindowStream<R> = (t: Transformation) => R;

export class AllWindowedStream<R> {
  #trigger: WindowTriggerSpec | null = null;
  #allowedLatenessMs = 0;
  #lateOutputTag: string | null = null;

  constructor(
    private readonly env: TransformationSink,
    private readonly inputs: Transformation['inputs'],
    private readonly assigner: WindowAssignerSpec,
    private readonly make: MakeAllWindowStream<R>,
  ) {}

  trigger(trigger: WindowTriggerSpec): this {
    this.#trigger = trigger;
    return this;
  }

  /** How long after its end (in event time) a window still accepts late elements. */
  allowedLateness(ms: number): this {
    this.#allowedLatenessMs = ms;
    return this;
  }

  /** Sends elements that arrive after their window is gone to the side output `tag`. */
  sideOutputLateData(tag: string): this {
    this.#lateOutputTag = tag;
    return this;
  }

  /** Incremental aggregation: a scenario-style spec or a Flink AggregateFunction. */
  aggregate(fn: AggregateFunction | WindowAggregateSpec): R {
    return 'kind' in fn ? this.#build(fn, null) : this.#build({ kind: 'count' }, fromAggregateFunction(fn));
  }

  /** Folds the window's values with `fn` (Flink's ReduceFunction). */
  reduce(fn: (a: JsonValue, b: JsonValue) => JsonValue): R {
    return this.aggregate({
      createAccumulator: () => null,
      add: (value, acc) => (acc === null ? value : fn(acc, value)),
      getResult: (acc) => acc,
      merge: (a, b) => (a === null ? b : b === null ? a : fn(a, b)),
    });
  }

  sum(field: string): R {
    return this.#build({ kind: 'sum', expr: field }, null);
  }
  min(field: string): R {
    return this.#build({ kind: 'min', expr: field }, null);
  }
  max(field: string): R {
    return this.#build({ kind: 'max', expr: field }, null);
  }
  /** The element with the largest `field` (the first one on a tie), as Flink's maxBy. */
  maxBy(field: string): R {
    return this.#build({ kind: 'count' }, extremumByAggregate({ kind: 'maxBy', expr: field }));
  }
  /** The element with the smallest `field` (the first one on a tie), as Flink's minBy. */
  minBy(field: string): R {
    return this.#build({ kind: 'count' }, extremumByAggregate({ kind: 'minBy', expr: field }));
  }

  /** Gives `fn` every element of the window when it fires (Flink's ProcessAllWindowFunction). */
  process(fn: ProcessAllWindowFunction): R {
    return this.#declare({ kind: 'collect', expr: null }, null, (_key, timeWindow, result) => fn(timeWindow, result as JsonValue[]));
  }

  #build(aggregate: WindowAggregateSpec, aggregateFunction: WindowAggregate | null): R {
    return this.#declare(aggregate, aggregateFunction, (_key, timeWindow, result) => [{ window: { start: timeWindow.start, end: timeWindow.end }, value: result }]);
  }

  #declare(aggregate: WindowAggregateSpec, aggregateFunction: WindowAggregate | null, windowFunction: NonNullable<WindowOperatorConfig['windowFunction']>): R {
    const config: WindowOperatorConfig = {
      assigner: this.assigner,
      trigger: this.#trigger,
      // With an aggregate function the operator ignores `aggregate`: the placeholder is never folded.
      aggregate,
      allowedLatenessMs: this.#allowedLatenessMs,
      lateOutputTag: this.#lateOutputTag,
      windowFunction,
      ...(aggregateFunction === null ? {} : { aggregateFunction }),
    };
    const keyed = this.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash' as const, key: ONE_KEY } }));
    const t = this.env.add('window-all', 'Window(All)', { kind: 'operator', create: () => createWindowOperator(config) }, keyed);
    t.parallelism = 1;
    return this.make(t);
  }
}
