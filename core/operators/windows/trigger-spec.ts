/**
 * Triggers as plain data, the form a scenario's `"trigger"` takes and the DataStream API's
 * `CountTrigger.of(3)` returns, and the one place that turns such a spec into a Trigger.
 * A purging trigger holds the spec of the trigger it wraps, so they nest:
 * `{"type": "purging", "trigger": {"type": "count", "count": 3}}`.
 */
import { continuousEventTimeTrigger, continuousProcessingTimeTrigger } from './continuous-triggers.ts';
import type { DeltaFunctionSpec } from './delta-function.ts';
import { deltaTrigger } from './delta-trigger.ts';
import { purgingTrigger } from './purging-trigger.ts';
import { countTrigger, eventTimeTrigger, neverTrigger, processingTimeTrigger, type Trigger } from './triggers.ts';

/**
 * A trigger as a scenario writes it. Absent, the assigner's default applies (event-time
 * for event-time windows, processing-time for processing-time windows, never for the
 * global window).
 */
export type WindowTriggerSpec =
  | { readonly type: 'event-time' }
  | { readonly type: 'processing-time' }
  | { readonly type: 'never' }
  | { readonly type: 'count'; readonly count: number }
  | { readonly type: 'continuous-event-time'; readonly intervalMs: number }
  | { readonly type: 'continuous-processing-time'; readonly intervalMs: number }
  | { readonly type: 'delta'; readonly threshold: number; readonly delta: DeltaFunctionSpec }
  | { readonly type: 'purging'; readonly trigger: WindowTriggerSpec };

/** The trigger types a scenario may name. */
export const TRIGGER_TYPES = ['event-time', 'processing-time', 'never', 'count', 'continuous-event-time', 'continuous-processing-time', 'delta', 'purging'] as const;

/**
 * The trigger a spec describes.
 * @example triggerOf({ type: 'purging', trigger: { type: 'count', count: 3 } }).description // 'purging(count(3))'
 */
export function triggerOf(spec: WindowTriggerSpec): Trigger {
  switch (spec.type) {
    case 'event-time':
      return eventTimeTrigger();
    case 'processing-time':
      return processingTimeTrigger();
    case 'never':
      return neverTrigger();
    case 'count':
      return countTrigger(spec.count);
    case 'continuous-event-time':
      return continuousEventTimeTrigger(spec.intervalMs);
    case 'continuous-processing-time':
      return continuousProcessingTimeTrigger(spec.intervalMs);
    case 'delta':
      return deltaTrigger(spec.threshold, spec.delta);
    case 'purging':
      return purgingTrigger(triggerOf(spec.trigger));
  }
}

/**
 * Whether a trigger can be used with merging (session) windows: Flink's Trigger.canMerge.
 * A delta trigger cannot, and a purging trigger can when the one it wraps can.
 * @example canMerge({ type: 'delta', threshold: 1, delta: 'new - old' }) // false
 */
export function canMerge(spec: WindowTriggerSpec): boolean {
  if (spec.type === 'delta') return false;
  if (spec.type === 'purging') return canMerge(spec.trigger);
  return true;
}

