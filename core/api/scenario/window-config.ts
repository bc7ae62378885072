/**
 * From a scenario's `window` or `windowAll` fields to the window operator's config. Two
 * things a scenario has that the operator's own spec does not: Flink's maxBy and minBy and
 * an AggregateFunction written as expressions, which become the operator's aggregate
 * function, and the non-keyed window.
 *
 * Flink runs `windowAll` as a keyed window whose key selector gives one constant key (its
 * NullByteKeySelector, the byte 0), at parallelism 1, so one subtask sees the whole stream.
 * Weir does the same with the key 0, and leaves the key out of the result, which has none
 * in Flink either: `{"window": {"start", "end"}, "value": aggregate}`.
 *
 * A scenario's `process` expression is Flink's ProcessWindowFunction after the aggregate
 * (`aggregate(agg, processWindowFunction)`): it is compiled once here and called per
 * firing with the key, the window and the aggregate's result.
 */
import { bindingMembers, compileExpression } from '../../expr/index.ts';
import type { KeySelector } from '../../graph/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { expressionAggregate, extremumByAggregate, GLOBAL_WINDOW, isGlobalWindow, windowJson, type ExtremumBySpec, type TimeWindow, type WindowAggregateSpec, type WindowOperatorConfig } from '../../operators/index.ts';
import { PROCESS_BINDINGS } from './read-window.ts';
import type { ScenarioAggregateSpec, ScenarioWindowConfig } from './types.ts';

type WindowFunction = NonNullable<WindowOperatorConfig['windowFunction']>;

function isExtremumBy(spec: ScenarioAggregateSpec): spec is ExtremumBySpec {
  return spec.kind === 'maxBy' || spec.kind === 'minBy';
}

/** The key every record of a windowAll gets. */
export const WINDOW_ALL_KEY = 0;

/** The key selector of a windowAll: one key for every record. */
export const WINDOW_ALL_KEY_SELECTOR: KeySelector = { description: 'windowAll (one key)', select: () => WINDOW_ALL_KEY };

/** A windowAll's result without a process function: the window and the value, no key. */
export const keylessResult: WindowFunction = (_key, window, result) => [{ window: windowJson(window), value: result }];

/** A `process` expression as a window function: one record per firing. */
function processFunction(source: string, all: boolean): WindowFunction {
  const names: readonly string[] = all ? PROCESS_BINDINGS.windowAll : PROCESS_BINDINGS.window;
  const { evaluateWith } = compileExpression(source, { bindings: names });
  // One array of binding values, refilled per firing: the expression cannot keep the array,
  // only the values in it.
  const values: JsonValue[] = names.map(() => null);
  const keyAt = names.indexOf('key');
  const windowAt = names.indexOf('window');
  const resultAt = names.indexOf('result');
  const windowOf = windowValue(source);
  // One list of the one result, refilled per firing too: the window operator emits what a
  // window function returns before it calls the function again, and keeps nothing of the list.
  const out: JsonValue[] = [null];
  return (key, timeWindow, result) => {
    if (keyAt >= 0) values[keyAt] = key;
    values[windowAt] = windowOf(timeWindow);
    values[resultAt] = result;
    out[0] = evaluateWith(result, timeWindow.end - 1, values);
    return out;
  };
}

/**
 * The `window` a process expression sees. The window's JSON is new for each firing when the
 * expression may return it (`[key, window]`), since the result must not change with the next
 * firing; one that only reads its fields (`window.start`) cannot keep the object, and gets
 * one object refilled per firing, without an allocation per firing.
 */
function windowValue(source: string): (window: TimeWindow) => JsonValue {
  if (bindingMembers(source, 'window').whole) return windowJson;
  const bounds = { start: 0, end: 0 };
  const global = windowJson(GLOBAL_WINDOW);
  return (window) => {
    if (isGlobalWindow(window)) return global;
    bounds.start = window.start;
    bounds.end = window.end;
    return bounds;
  };
}

/**
 * The operator config for a scenario window; `all`: a windowAll, whose results carry no key.
 * @example createWindowOperator(windowOperatorConfig(op.window, op.type === 'windowAll'))
 */
export function windowOperatorConfig(config: ScenarioWindowConfig, all: boolean): WindowOperatorConfig {
  const { aggregate, process, ...rest } = config;
  const windowFunction = process !== undefined ? processFunction(process, all) : all ? keylessResult : undefined;
  const withFunction: Partial<WindowOperatorConfig> = windowFunction === undefined ? {} : { windowFunction };
  if (isExtremumBy(aggregate) || aggregate.kind === 'function') {
    // With an aggregate function the operator ignores `aggregate`: the placeholder is never folded.
    const aggregateFunction = aggregate.kind === 'function' ? expressionAggregate(aggregate) : extremumByAggregate(aggregate);
    return { ...rest, aggregate: { kind: 'count' }, aggregateFunction, ...withFunction };
  }
  return { ...rest, aggregate: aggregate as WindowAggregateSpec, ...withFunction };
}
