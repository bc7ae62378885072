/**
 * Flink's AggregateFunction written as data, for a scenario's window: `initial` is the
 * value createAccumulator gives, `add` folds an element into the accumulator, `merge`
 * folds one session's accumulator into another's, `result` is getResult. The three are
 * expressions, compiled once here; the accumulator is a JSON value in the window's keyed
 * state, so it is checkpointed, restored and inspected like a built-in aggregate's.
 *
 * The names are those of the process function's aggregating state (`acc` and `value` in
 * `add`, `acc` in `result`) and of its reducing state (`a` and `b` in `merge`), so an
 * expression means the same in both places. `add` also reads the element itself, as the
 * built-in aggregates' expressions do: `value` is the element's value (also `$`), its
 * fields are plain names, and `$timestamp` is its timestamp.
 *
 * @example
 * const avg = expressionAggregate({ kind: 'function', initial: [0, 0], add: '[acc[0] + v, acc[1] + 1]', merge: '[a[0] + b[0], a[1] + b[1]]', result: 'acc[0] / acc[1]' });
 * avg.result(avg.add(avg.add(undefined, { v: 1 }, 0), { v: 2 }, 0)); // 1.5
 */
import { compileExpression, ExprRuntimeError, ExprSyntaxError } from '../expr/index.ts';
import { cloneJson, type JsonValue } from '../model/index.ts';
import type { WindowAggregate } from './windows/index.ts';

/** `"aggregate": {"initial": v, "add": expr, "merge": expr, "result": expr}` of a scenario's window. */
export interface AggregateFunctionSpec {
  readonly kind: 'function';
  /** createAccumulator's value, copied for each window. */
  readonly initial: JsonValue;
  readonly add: string;
  /** Needed only by merging (session) windows; null: the function cannot merge. */
  readonly merge: string | null;
  /** null: the accumulator is the result. */
  readonly result: string | null;
}

/** The fields of an aggregate function, in the order a message lists them. */
export const AGGREGATE_FUNCTION_FIELDS = ['initial', 'add', 'merge', 'result'] as const;

/** The names each part of an aggregate function reads besides (for `add`) the element. */
export const AGGREGATE_FUNCTION_BINDINGS = { add: ['acc', 'value'], merge: ['a', 'b'], result: ['acc'] } as const;

const SEES = { add: 'acc, value and the element', merge: 'a and b (the two accumulators)', result: 'acc (the accumulator)' } as const;

/**
 * Why the `part` expression of an aggregate function cannot be used, or null. `merge` and
 * `result` see only their bindings: they run without an element.
 * @example aggregateFunctionProblem('a + x', 'merge') // "a merge expression sees only a and b (the two accumulators), not 'x'"
 */
export function aggregateFunctionProblem(source: string, part: 'add' | 'merge' | 'result'): string | null {
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings: AGGREGATE_FUNCTION_BINDINGS[part] }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (part === 'add' || fields.length === 0) return null;
  return `a ${part} expression sees only ${SEES[part]}, not ${fields.map((f) => `'${f}'`).join(', ')}`;
}

/**
 * The window aggregate of an aggregate function spec. A window its evictor emptied gives
 * the result of `initial`, as Flink's evicting window applies getResult(createAccumulator()).
 */
export function expressionAggregate(spec: AggregateFunctionSpec): WindowAggregate {
  const part = (name: 'add' | 'merge' | 'result', source: string) => {
    const expr = compileExpression(source, { bindings: AGGREGATE_FUNCTION_BINDINGS[name] });
    return (value: JsonValue, timestamp: number | null, bindings: Readonly<Record<string, JsonValue>>): JsonValue => {
      try {
        return expr.evaluate(value, timestamp, bindings);
      } catch (e) {
        if (e instanceof ExprRuntimeError) throw new ExprRuntimeError(`aggregate.${name}: ${e.detail}`, e.source);
        throw e;
      }
    };
  };
  const add = part('add', spec.add);
  const merge = spec.merge === null ? null : part('merge', spec.merge);
  const result = spec.result === null ? null : part('result', spec.result);
  const { initial } = spec;
  // A primitive needs no copy; an object or list is copied so that no two windows share one.
  const createAccumulator = initial === null || typeof initial !== 'object' ? () => initial : () => cloneJson(initial);
  const getResult = (acc: JsonValue): JsonValue => (result === null ? acc : result(null, null, { acc }));
  return {
    add: (acc, value, timestamp) => add(value, timestamp, { acc: acc === undefined ? createAccumulator() : acc, value }),
    merge(target, source) {
      if (merge === null) throw new TypeError('aggregate: this aggregate function has no merge, so it cannot be used on merging (session) windows');
      return merge(null, null, { a: target, b: source });
    },
    result: getResult,
    empty: () => getResult(createAccumulator()),
  };
}
