/**
 * What a keyed `WindowedStream` and a non-keyed `AllWindowedStream` share (Flink's two
 * classes repeat it; here it is written once): the trigger, the evictor, allowed lateness,
 * the late side output, and the incremental window functions (aggregate, reduce, sum, min,
 * max, maxBy, minBy), which all become one WindowOperatorConfig. The two differ only in how
 * the operator is declared (a windowAll is keyed by one constant key at parallelism 1) and
 * in what a result looks like without a window function (a windowAll's has no key).
 *
 * With an evictor, Flink keeps every element and applies the aggregate or reduce when the
 * window fires; so does Weir, for every function here.
 */
import type { JsonValue } from '../../model/index.ts';
import {
  canMerge,
  extremumByAggregate,
  type WindowAggregate,
  type WindowAggregateSpec,
  type WindowAssignerSpec,
  type WindowEvictorSpec,
  type WindowOperatorConfig,
  type WindowTriggerSpec,
} from '../../operators/index.ts';
import { fromAggregateFunction, type AggregateFunction } from './windows.ts';

/** The function called with each firing's key, window, aggregate result and context (Flink's ProcessWindowFunction after an aggregate). */
export type WindowFunction = NonNullable<WindowOperatorConfig['windowFunction']>;

/** Flink's ReduceFunction as an AggregateFunction over JSON (null: no element yet). */
function reduceAggregate(fn: (a: JsonValue, b: JsonValue) => JsonValue): AggregateFunction {
  return {
    createAccumulator: () => null,
    add: (value, acc) => (acc === null ? value : fn(acc, value)),
    getResult: (acc) => acc,
    merge: (a, b) => (a === null ? b : b === null ? a : fn(a, b)),
  };
}

/**
 * `trigger` if it can serve `assigner`'s windows: Flink's `.trigger(...)` refuses one that
 * cannot merge on session windows, when the job is built.
 * @throws Error naming the trigger
 */
export function checkedTrigger(assigner: WindowAssignerSpec, trigger: WindowTriggerSpec): WindowTriggerSpec {
  const merging = assigner.type === 'session' || assigner.type === 'dynamic-session';
  if (merging && !canMerge(trigger)) throw new Error(`a ${trigger.type} trigger cannot be used with session windows, which merge (as Flink refuses it)`);
  return trigger;
}

/** Flink's allowedLateness check. @throws RangeError for anything but a whole number of ms >= 0 */
export function checkedLateness(ms: number): number {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`allowedLateness: a whole number of ms >= 0, got ${ms}`);
  return ms;
}

export abstract class WindowedStreamBase<R> {
  #trigger: WindowTriggerSpec | null = null;
  #evictor: WindowEvictorSpec | null = null;
  #allowedLatenessMs = 0;
  #lateOutputTag: string | null = null;

  constructor(protected readonly assigner: WindowAssignerSpec) {}

  /** Replaces the assigner's default trigger (Flink's `.trigger(...)`, which refuses one that cannot merge on session windows). */
  trigger(trigger: WindowTriggerSpec): this {
    this.#trigger = checkedTrigger(this.assigner, trigger);
    return this;
  }

  /** Evicts elements when the window fires (Flink's `.evictor(...)`); the window then keeps all its elements. */
  evictor(evictor: WindowEvictorSpec): this {
    this.#evictor = evictor;
    return this;
  }

  /** How long after its end (in event time) a window still accepts late elements. */
  allowedLateness(ms: number): this {
    this.#allowedLatenessMs = checkedLateness(ms);
    return this;
  }

  /** Sends elements that arrive after their window is gone to the side output `tag`. */
  sideOutputLateData(tag: string): this {
    this.#lateOutputTag = tag;
    return this;
  }

  sum(field: string): R {
    return this.build({ kind: 'sum', expr: field }, null);
  }
  min(field: string): R {
    return this.build({ kind: 'min', expr: field }, null);
  }
  max(field: string): R {
    return this.build({ kind: 'max', expr: field }, null);
  }
  /** The element with the largest `field` (the first one on a tie), as Flink's maxBy. */
  maxBy(field: string): R {
    return this.build({ kind: 'count' }, extremumByAggregate({ kind: 'maxBy', expr: field }));
  }
  /** The element with the smallest `field` (the first one on a tie), as Flink's minBy. */
  minBy(field: string): R {
    return this.build({ kind: 'count' }, extremumByAggregate({ kind: 'minBy', expr: field }));
  }

  /** Incremental aggregation (a scenario-style spec or a Flink AggregateFunction), then `windowFunction` if given. */
  protected aggregateWith(fn: AggregateFunction | WindowAggregateSpec, windowFunction?: WindowFunction): R {
    return 'kind' in fn ? this.build(fn, null, windowFunction) : this.build({ kind: 'count' }, fromAggregateFunction(fn), windowFunction);
  }

  /** Flink's reduce(ReduceFunction[, window function]). */
  protected reduceWith(fn: (a: JsonValue, b: JsonValue) => JsonValue, windowFunction?: WindowFunction): R {
    // A reduce of no elements has nothing to give: a window its evictor emptied emits nothing.
    return this.build({ kind: 'count' }, fromAggregateFunction(reduceAggregate(fn), false), windowFunction);
  }

  /** Declares the window operator and returns the stream it produces. */
  protected abstract declare(config: WindowOperatorConfig): R;

  /** The window function when none is given: a windowAll drops the key. */
  protected abstract defaultWindowFunction(): WindowFunction | undefined;

  protected build(aggregate: WindowAggregateSpec, aggregateFunction: WindowAggregate | null, windowFunction?: WindowFunction): R {
    const fn = windowFunction ?? this.defaultWindowFunction();
    return this.declare({
      assigner: this.assigner,
      trigger: this.#trigger,
      // With an aggregate function the operator ignores `aggregate`: the placeholder is never folded.
      aggregate,
      allowedLatenessMs: this.#allowedLatenessMs,
      lateOutputTag: this.#lateOutputTag,
      ...(this.#evictor === null ? {} : { evictor: this.#evictor }),
      ...(aggregateFunction === null ? {} : { aggregateFunction }),
      ...(fn === undefined ? {} : { windowFunction: fn }),
    });
  }
}
