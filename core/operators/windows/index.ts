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
  windowJson,
  GLOBAL_WINDOW,
  isGlobalWindow,
  type TimeWindow,
} from './time-window.ts';
export { assignerOf, describeAssigner, type AssignerEnv, type SessionGapSpec, type WindowAssigner, type WindowAssignerSpec, type WindowTime } from './assigners.ts';
export { WINDOW_STAGGERS, staggerOffset, type WindowStagger } from './window-stagger.ts';
export { countTrigger, eventTimeTrigger, neverTrigger, processingTimeTrigger, isFire, isPurge, type Trigger, type TriggerContext, type TriggerResult } from './triggers.ts';
export { continuousEventTimeTrigger, continuousProcessingTimeTrigger } from './continuous-triggers.ts';
export { purgingTrigger } from './purging-trigger.ts';
export { deltaTrigger } from './delta-trigger.ts';
export { DELTA_BINDINGS, deltaFunctionOf, type DeltaFunctionSpec } from './delta-function.ts';
export { canMerge, triggerOf, TRIGGER_TYPES, type WindowTriggerSpec } from './trigger-spec.ts';
export { EVICTOR_TYPES, evictorOf, type Evictor, type TimestampedValue, type WindowEvictorSpec } from './evictors.ts';
export { aggregateElements, evictingContents } from './evicting-contents.ts';
export { AGGREGATE_KINDS, aggregateOf, aggregateSubject, describeAggregate, namedAggregate, type WindowAggregate, type WindowAggregateSpec } from './aggregates.ts';
export { MergingWindowSet, MERGING_SET_STATE, type MergeFunction } from './merging-window-set.ts';
export { createWindowOperator, WindowOperator, WINDOW_CONTENTS_STATE, type WindowOperatorConfig } from './window-operator.ts';
export { MAX_WINDOW_ASSIGNMENTS } from './window-assignments.ts';
