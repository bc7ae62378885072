/**
 * Windows: how an unbounded keyed stream is cut into finite pieces that can be aggregated.
 * The assigner says which windows an element belongs to, the trigger says when a window is
 * evaluated, the aggregate says what its result is, and the window operator holds the
 * state and timers that tie them together, including late data and cleanup.
 */
export {
  timeWindow,
  maxTimestamp,
  intersects,
  cover,
  windowStartWithOffset,
  mergeOverlapping,
  windowNamespace,
  windowOfNamespace,
  type TimeWindow,
} from './time-window.ts';
export { assignerOf, describeAssigner, type WindowAssigner, type WindowAssignerSpec, type WindowTime } from './assigners.ts';
export {
  countTrigger,
  eventTimeTrigger,
  processingTimeTrigger,
  triggerOf,
  isFire,
  isPurge,
  type Trigger,
  type TriggerContext,
  type TriggerResult,
  type WindowTriggerSpec,
} from './triggers.ts';
export { AGGREGATE_KINDS, aggregateOf, describeAggregate, type WindowAggregate, type WindowAggregateSpec } from './aggregates.ts';
export { MergingWindowSet, MERGING_SET_STATE, type MergeFunction } from './merging-window-set.ts';
export { createWindowOperator, WindowOperator, WINDOW_CONTENTS_STATE, type WindowOperatorConfig } from './window-operator.ts';
