/**
 * From a scenario's `window` or `windowAll` fields to the window operator's config. Two
 * things a scenario has that the operator's own spec does not: Flink's maxBy and minBy,
 * which become the operator's aggregate function, and the non-keyed window.
 *
 * Flink runs `windowAll` as a keyed window whose key selector gives one constant key (its
 * NullByteKeySelector, the byte 0), at parallelism 1, so one subtask sees the whole stream.
 * Weir does the same with the key 0, and leaves the key out of the result, which has none
 * in Flink either: `{"window": {"start", "end"}, "value": aggregate}`.
 */
import type { KeySelector } from '../../graph/index.ts';
import { extremumByAggregate, type ExtremumBySpec, type WindowAggregateSpec, type WindowOperatorConfig } from '../../operators/index.ts';
import type { ScenarioAggregateSpec, ScenarioWindowConfig } from './types.ts';

function isExtremumBy(spec: ScenarioAggregateSpec): spec is ExtremumBySpec {
  return spec.kind === 'maxBy' || spec.kind === 'minBy';
}

/** The key every record of a windowAll gets. */
export const WINDOW_ALL_KEY = 0;

/** The key selector of a windowAll: one key for every record. */
export const WINDOW_ALL_KEY_SELECTOR: KeySelector = { description: 'windowAll (one key)', select: () => WINDOW_ALL_KEY };

/**
 * The operator config for a scenario window; `all`: a windowAll, whose results carry no key.
 * @example createWindowOperator(windowOperatorConfig(op.window, op.type === 'windowAll'))
 */
export function windowOperatorConfig(config: ScenarioWindowConfig, all: boolean): WindowOperatorConfig {
  const { aggregate, ...rest } = config;
  const withoutKey: Partial<WindowOperatorConfig> = all ? { windowFunction: (_key, timeWindow, result) => [{ window: { start: timeWindow.start, end: timeWindow.end }, value: result }] } : {};
  if (isExtremumBy(aggregate)) {
    // With an aggregate function the operator ignores `aggregate`: the placeholder is never folded.
    return { ...rest, aggregate: { kind: 'count' }, aggregateFunction: extremumByAggregate(aggregate), ...withoutKey };
  }
  return { ...rest, aggregate: aggregate as WindowAggregateSpec, ...withoutKey };
}
