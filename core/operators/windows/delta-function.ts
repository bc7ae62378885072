/**
 * Flink's DeltaFunction measures how far apart two data points are: `getDelta(old, new)`,
 * a number. The delta trigger fires when the newest element is far enough from the one of
 * the last firing; the delta evictor drops the elements far from the newest. In the
 * DataStream API it is a function; in a scenario it is an expression in which `old` and
 * `new` are the two record values (`new.speed - old.speed`).
 */
import { compileExpression, ExprRuntimeError } from '../../expr/index.ts';
import type { JsonValue } from '../../model/index.ts';

/** A delta function as a scenario writes it (an expression over `old` and `new`) or as the DataStream API takes it. */
export type DeltaFunctionSpec = string | ((oldValue: JsonValue, newValue: JsonValue) => number);

/** The names an expression of a delta function reads the two values by. */
export const DELTA_BINDINGS = ['old', 'new'] as const;

/**
 * The callable form of a delta function; an expression is compiled here, once.
 * @example deltaFunctionOf('new.v - old.v')({ v: 1 }, { v: 4 }) // 3
 */
export function deltaFunctionOf(spec: DeltaFunctionSpec): (oldValue: JsonValue, newValue: JsonValue) => number {
  if (typeof spec === 'function') return spec;
  const expr = compileExpression(spec, { bindings: DELTA_BINDINGS });
  return (oldValue, newValue) => {
    const delta = expr.evaluate(newValue, null, { old: oldValue, new: newValue });
    if (typeof delta !== 'number') throw new ExprRuntimeError(`a delta function returns a number, found ${JSON.stringify(delta)}`, spec);
    return delta;
  };
}

/** A short description of a delta function, for messages. */
export function describeDelta(spec: DeltaFunctionSpec): string {
  return typeof spec === 'function' ? 'fn' : spec;
}
