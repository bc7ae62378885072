/**
 * Flink's PurgingTrigger wraps another trigger and turns each of its FIRE into
 * FIRE_AND_PURGE: the window is emitted and its contents dropped, so the next firing starts
 * from nothing. A count trigger fires with everything so far (3, then 3 + 4 = 7); a purging
 * count trigger fires with each batch alone (3, then 4). That is how Flink's
 * `countWindow(n)` emits every n elements once: GlobalWindows with a purging count trigger.
 *
 * Purging drops the contents, not the window: its trigger state (a count, a next firing
 * time) and its timers stay, and cleanup still happens at the window's cleanup time.
 */
import { isFire, type Trigger, type TriggerResult } from './triggers.ts';

const purging = (result: TriggerResult): TriggerResult => (isFire(result) ? 'FIRE_AND_PURGE' : result);

/**
 * Flink's PurgingTrigger.of(inner).
 * @example {"trigger": {"type": "purging", "trigger": {"type": "count", "count": 3}}}
 */
export function purgingTrigger(inner: Trigger): Trigger {
  return {
    description: `purging(${inner.description})`,
    ...(inner.needsTimestamps === true ? { needsTimestamps: true } : {}),
    onElement: (timestamp, window, ctx, value) => purging(inner.onElement(timestamp, window, ctx, value)),
    onEventTime: (time, window, ctx) => purging(inner.onEventTime(time, window, ctx)),
    onProcessingTime: (time, window, ctx) => purging(inner.onProcessingTime(time, window, ctx)),
    onMerge: (window, merged, ctx) => inner.onMerge(window, merged, ctx),
    clear: (window, ctx) => inner.clear(window, ctx),
  };
}
