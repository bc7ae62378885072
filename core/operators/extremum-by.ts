/**
 * Flink's `maxBy` and `minBy` as window aggregates: the result is the whole element whose
 * field (here: an expression over it) is the largest or smallest, not just that value as
 * `max` and `min` give. On a tie the element that came first is kept, as Flink's maxBy
 * does by default (`first = true`), so "the driver with the most tips this hour" names the
 * earliest such driver when two have the same sum.
 *
 * The accumulator is `[by, element]`: the compared value is computed once per element, and
 * the state stays JSON like every window's. Sessions that merge keep the earlier session's
 * element on a tie.
 *
 * @example
 * const best = extremumByAggregate({ kind: 'maxBy', expr: 'sumOfTips' });
 * best.result(best.add(best.add(undefined, { d: 1, sumOfTips: 5 }, 0), { d: 2, sumOfTips: 3 }, 0)); // { d: 1, sumOfTips: 5 }
 */
import { compileExpression, ExprRuntimeError } from '../expr/index.ts';
import type { JsonValue } from '../model/index.ts';
import type { WindowAggregate } from './windows/index.ts';

/** `{"maxBy": expr}` or `{"minBy": expr}` in a scenario's window `aggregate`. */
export interface ExtremumBySpec {
  readonly kind: 'maxBy' | 'minBy';
  readonly expr: string;
}

/** The aggregate kinds this file adds to the window operator's own. */
export const EXTREMUM_BY_KINDS = ['maxBy', 'minBy'] as const;

/**
 * The WindowAggregate of a maxBy or minBy (its expression compiled once).
 * @example windowOperatorConfig.aggregateFunction = extremumByAggregate({ kind: 'minBy', expr: 'price' })
 */
export function extremumByAggregate(spec: ExtremumBySpec): WindowAggregate {
  const expr = compileExpression(spec.expr);
  const comparable = (v: JsonValue): number | string => {
    if (typeof v === 'number' || typeof v === 'string') return v;
    throw new ExprRuntimeError(`${spec.kind} compares numbers or strings, found ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v}`, spec.expr);
  };
  /** Whether `candidate` beats `held` strictly: a tie keeps what is held. */
  const beats = (candidate: number | string, held: number | string): boolean => {
    if (typeof candidate !== typeof held) throw new ExprRuntimeError(`${spec.kind} cannot compare ${typeof held} ${JSON.stringify(held)} with ${typeof candidate} ${JSON.stringify(candidate)}`, spec.expr);
    return spec.kind === 'maxBy' ? candidate > held : candidate < held;
  };
  return {
    add(acc, value, timestamp) {
      const by = comparable(expr.evaluate(value, timestamp));
      if (acc === undefined) return [by, value];
      const held = acc as [number | string, JsonValue];
      return beats(by, held[0]) ? [by, value] : held;
    },
    merge(target, source) {
      const a = target as [number | string, JsonValue];
      const b = source as [number | string, JsonValue];
      return beats(b[0], a[0]) ? b : a;
    },
    result: (acc) => (acc as [number | string, JsonValue])[1],
  };
}
