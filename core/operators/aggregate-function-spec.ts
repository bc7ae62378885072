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
import { compileExpression, ExprSyntaxError } from '../expr/index.ts';
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
  const compiled = (name: 'add' | 'merge' | 'result', source: string) => compileExpression(source, { bindings: AGGREGATE_FUNCTION_BINDINGS[name], failurePrefix: `aggregate.${name}` });
  const addExpr = compiled('add', spec.add);
  const resultExpr = spec.result === null ? null : compiled('result', spec.result);
  const add = addExpr.evaluateWith;
  const merge = spec.merge === null ? null : compiled('merge', spec.merge).evaluateWith;
  const result = resultExpr === null ? null : resultExpr.evaluateWith;
  const createAccumulator = copier(spec.initial);
  // An add that is a list of scalars (`[acc[0] + 1, acc[1] + v]`) writes them over the
  // accumulator's instead of building a list per element, as the built-in avg does: the
  // window's state then needs no write, only the read that marked its key group changed.
  // The accumulator must then never leave: a result that could be the accumulator or hold
  // it (no result expression: the accumulator itself) would change with the next element,
  // so without a result the result is a copy (the top level is all that is written), and a
  // result expression that can hold it turns this off.
  const inPlace = addExpr.into !== null && (resultExpr === null || resultExpr.givesScalar || resultExpr.into !== null) ? addExpr.into : null;
  // One array of binding values per part, in AGGREGATE_FUNCTION_BINDINGS' order, refilled on
  // each call: an expression cannot keep or return the array itself, only the values in it,
  // and no call re-enters another, so nothing is allocated per record but what the
  // expression builds.
  const addBindings: [acc: JsonValue, value: JsonValue] = [null, null];
  const mergeBindings: [a: JsonValue, b: JsonValue] = [null, null];
  const resultBindings: [acc: JsonValue] = [null];
  const getResult = (acc: JsonValue): JsonValue => {
    if (result === null) return inPlace !== null && Array.isArray(acc) ? acc.slice() : acc;
    resultBindings[0] = acc;
    return result(null, null, resultBindings);
  };
  return {
    add(acc, value, timestamp) {
      const a = acc === undefined ? createAccumulator() : acc;
      addBindings[0] = a;
      addBindings[1] = value;
      if (inPlace !== null && Array.isArray(a) && a.length === inPlace.length) return inPlace.evaluateInto(a, value, timestamp, addBindings);
      return add(value, timestamp, addBindings);
    },
    merge(target, source) {
      if (merge === null) throw new TypeError('aggregate: this aggregate function has no merge, so it cannot be used on merging (session) windows');
      mergeBindings[0] = target;
      mergeBindings[1] = source;
      return merge(null, null, mergeBindings);
    },
    result: getResult,
    empty: () => getResult(createAccumulator()),
  };
}

/**
 * createAccumulator: `initial` afresh for each window, so that no two windows share one. A
 * primitive needs no copy; a flat list or object of primitives, the usual accumulator, is
 * copied in one step; anything deeper by cloneJson.
 */
function copier(initial: JsonValue): () => JsonValue {
  if (initial === null || typeof initial !== 'object') return () => initial;
  if (Array.isArray(initial)) return initial.every(isPrimitive) ? () => initial.slice() : () => cloneJson(initial);
  // Spread defines each field, so a `__proto__` field stays a field, as cloneJson keeps it.
  return Object.values(initial).every(isPrimitive) ? () => ({ ...initial }) : () => cloneJson(initial);
}

function isPrimitive(v: JsonValue): boolean {
  return v === null || typeof v !== 'object';
}
