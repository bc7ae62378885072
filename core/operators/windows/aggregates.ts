/**
 * Window aggregates, folded incrementally as Flink's AggregateFunction is: the window
 * keeps one small accumulator, not its elements, and each element is added to it as it
 * arrives. A count keeps a number, an average keeps a sum and a count, and only `collect`
 * keeps every value (which is what a window without an aggregate costs in Flink: a
 * ListState holding the whole window). Accumulators are JSON so that they are state like
 * any other: snapshotted, restored, counted.
 *
 * Session windows merge, so every accumulator can also be merged with another. For
 * `collect`, merged sessions keep the values of the earlier session first.
 *
 * The value each aggregate reads is an expression over the record (`{"sum": "amount"}`).
 * A value of the wrong kind (a string where a sum needs a number) fails the record like a
 * user function that throws: the task fails.
 */
import { compileExpression, ExprRuntimeError, type CompiledExpr } from '../../expr/index.ts';
import { LimitExceededError, SimulationAssertionError } from '../../kernel/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { UserFunctionError } from '../user-function.ts';

/** An aggregate as a scenario writes it: `"count"`, `{"sum": expr}`, ... (`expr` null: the record's value). */
export type WindowAggregateSpec =
  | { readonly kind: 'count' }
  | { readonly kind: 'sum' | 'min' | 'max' | 'avg'; readonly expr: string }
  | { readonly kind: 'collect'; readonly expr: string | null };

/** The aggregate names a scenario may use, e.g. for messages listing them. */
export const AGGREGATE_KINDS = ['count', 'sum', 'min', 'max', 'avg', 'collect'] as const;

/**
 * An incremental aggregate over JSON accumulators (Flink's AggregateFunction with merge).
 * `add` and `merge` may change the accumulator they are given and return it.
 * @example
 * const avg = aggregateOf({ kind: 'avg', expr: 'v' });
 * avg.result(avg.add(avg.add(undefined, { v: 1 }, 0), { v: 2 }, 0)); // 1.5
 */
export interface WindowAggregate {
  /** The scenario form it was made from (absent for a DataStream API AggregateFunction). */
  readonly spec?: WindowAggregateSpec;
  /** Folds one record into the accumulator (`undefined`: the window's first record). */
  add(acc: JsonValue | undefined, value: JsonValue, timestamp: number | null): JsonValue;
  /** Folds accumulator `source` into `target` (sessions merging). */
  merge(target: JsonValue, source: JsonValue): JsonValue;
  /** The window's result. */
  result(acc: JsonValue): JsonValue;
  /**
   * The result of a window that its evictor emptied: an AggregateFunction's
   * getResult(createAccumulator()) (count 0, collect []), as Flink's evicting window applies
   * it to no elements. Absent for a reduce (sum, min, max, avg, maxBy): nothing to give, no result.
   */
  empty?(): JsonValue;
}

function numberOf(v: JsonValue, what: string, expr: CompiledExpr): number {
  if (typeof v === 'number') return v;
  throw new ExprRuntimeError(`${what} needs a number, found ${describe(v)}`, expr.source);
}

function finite(v: number, what: string, expr: CompiledExpr): number {
  if (Number.isFinite(v)) return v;
  throw new ExprRuntimeError(`${what} overflowed to ${v}`, expr.source);
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** Numbers with numbers, strings with strings (code-unit order), as Flink's min/max compare Comparables. */
function comparable(v: JsonValue, what: string, expr: CompiledExpr): number | string {
  if (typeof v === 'number' || typeof v === 'string') return v;
  throw new ExprRuntimeError(`${what} compares numbers or strings, found ${describe(v)}`, expr.source);
}

function extreme(kind: 'min' | 'max', expr: CompiledExpr): WindowAggregate['merge'] {
  return (a, b) => {
    const x = comparable(a, kind, expr);
    const y = comparable(b, kind, expr);
    if (typeof x !== typeof y) throw new ExprRuntimeError(`${kind} cannot compare ${describe(x)} with ${describe(y)}`, expr.source);
    const takeB = kind === 'min' ? y < x : y > x;
    return takeB ? y : x;
  };
}

/** Aggregates by spec: a window operator is made afresh at every deployment from the same spec, and an aggregate holds no state of its own. */
const aggregates = new WeakMap<WindowAggregateSpec, WindowAggregate>();

/**
 * The aggregate a spec describes; its expression is compiled here, once per spec.
 * @example aggregateOf({ kind: 'sum', expr: 'amount' })
 */
export function aggregateOf(spec: WindowAggregateSpec): WindowAggregate {
  let aggregate = aggregates.get(spec);
  if (aggregate === undefined) aggregates.set(spec, (aggregate = makeAggregate(spec)));
  return aggregate;
}

function makeAggregate(spec: WindowAggregateSpec): WindowAggregate {
  switch (spec.kind) {
    case 'count':
      return {
        spec,
        add: (acc) => (acc === undefined ? 1 : (acc as number) + 1),
        merge: (a, b) => (a as number) + (b as number),
        result: (acc) => acc,
        empty: () => 0,
      };
    case 'sum': {
      const expr = compileExpression(spec.expr);
      return {
        spec,
        add(acc, value, timestamp) {
          const v = numberOf(expr.evaluate(value, timestamp), 'sum', expr);
          return acc === undefined ? v : finite((acc as number) + v, 'sum', expr);
        },
        merge: (a, b) => finite((a as number) + (b as number), 'sum', expr),
        result: (acc) => acc,
      };
    }
    case 'min':
    case 'max': {
      const expr = compileExpression(spec.expr);
      const pick = extreme(spec.kind, expr);
      return {
        spec,
        add(acc, value, timestamp) {
          const v = comparable(expr.evaluate(value, timestamp), spec.kind, expr);
          return acc === undefined ? v : pick(acc, v);
        },
        merge: pick,
        result: (acc) => acc,
      };
    }
    case 'avg': {
      // The accumulator is [sum, count]; the result is their IEEE quotient.
      const expr = compileExpression(spec.expr);
      return {
        spec,
        add(acc, value, timestamp) {
          const v = numberOf(expr.evaluate(value, timestamp), 'avg', expr);
          if (acc === undefined) return [v, 1];
          const pair = acc as [number, number];
          pair[0] = finite(pair[0] + v, 'avg', expr);
          pair[1] += 1;
          return pair;
        },
        merge(a, b) {
          const x = a as [number, number];
          const y = b as [number, number];
          return [finite(x[0] + y[0], 'avg', expr), x[1] + y[1]];
        },
        result: (acc) => (acc as [number, number])[0] / (acc as [number, number])[1],
      };
    }
    case 'collect': {
      const expr = spec.expr === null ? null : compileExpression(spec.expr);
      return {
        spec,
        add(acc, value, timestamp) {
          const v = expr === null ? value : expr.evaluate(value, timestamp);
          if (acc === undefined) return [v];
          (acc as JsonValue[]).push(v);
          return acc;
        },
        merge(a, b) {
          const target = a as JsonValue[];
          for (const v of b as JsonValue[]) target.push(v);
          return target;
        },
        result: (acc) => (acc as JsonValue[]).slice(),
        empty: () => [],
      };
    }
  }
}

/**
 * `aggregate` with what it throws naming its operator and itself, as a map's failure names
 * the map: the window operator calls it as it calls its trigger, so without this a failure
 * would name only the expression (`"page"`), not the window or the aggregate it belongs to.
 * `subject` names the operator and the aggregate (see aggregateSubject).
 * @example namedAggregate(aggregateOf(spec), 'perSecond', `window 'perSecond': its aggregate ${aggregateSubject(spec)}`)
 */
export function namedAggregate(aggregate: WindowAggregate, operator: string, subject: string): WindowAggregate {
  const spec = aggregate.spec;
  const fail = (e: unknown): never => {
    // Weir's own failures (a broken invariant, a limit) are not the user's: they stop the run as they are.
    if (e instanceof UserFunctionError || e instanceof SimulationAssertionError || e instanceof LimitExceededError) throw e;
    throw new UserFunctionError(operator, e, subject);
  };
  const named: WindowAggregate = {
    ...(spec === undefined ? {} : { spec }),
    add(acc, value, timestamp) {
      try {
        return aggregate.add(acc, value, timestamp);
      } catch (e) {
        return fail(e);
      }
    },
    merge(target, source) {
      try {
        return aggregate.merge(target, source);
      } catch (e) {
        return fail(e);
      }
    },
    result(acc) {
      try {
        return aggregate.result(acc);
      } catch (e) {
        return fail(e);
      }
    },
  };
  const empty = aggregate.empty;
  if (empty !== undefined) {
    named.empty = () => {
      try {
        return empty.call(aggregate);
      } catch (e) {
        return fail(e);
      }
    };
  }
  return named;
}

/**
 * An aggregate as a failure names it: the kind, and the expression it reads (none for count,
 * a collect of the whole value, or an aggregate function, whose messages say which part failed).
 * @example aggregateSubject({ kind: 'sum', expr: 'page' }) // 'sum over "page"'
 */
export function aggregateSubject(spec: { readonly kind: string; readonly expr?: string | null }): string {
  return typeof spec.expr === 'string' ? `${spec.kind} over ${JSON.stringify(spec.expr)}` : spec.kind;
}

/**
 * A short name of an aggregate, for messages.
 * @example describeAggregate({ kind: 'sum', expr: 'amount' }) // 'sum(amount)'
 */
export function describeAggregate(spec: WindowAggregateSpec): string {
  if (spec.kind === 'count') return 'count';
  if (spec.kind === 'collect' && spec.expr === null) return 'collect';
  return `${spec.kind}(${spec.expr})`;
}
