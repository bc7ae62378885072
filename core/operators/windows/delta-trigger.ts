/**
 * Flink's DeltaTrigger fires when an element is far enough from the last one that fired:
 * it keeps that element as trigger state ("last-element"), and for each new element
 * computes delta(last, new); when that is strictly greater than the threshold the window
 * fires (FIRE, contents kept) and the new element becomes the reference. The very first
 * element of a window only becomes the reference. Typical use: emit the positions of a car
 * each time it has driven another 50 metres.
 *
 * Flink's DeltaTrigger does not merge (it cannot be used with session windows), and it
 * never fires on time.
 */
import { deltaFunctionOf, describeDelta, type DeltaFunctionSpec } from './delta-function.ts';
import type { Trigger } from './triggers.ts';

const LAST_ELEMENT_STATE = 'window-trigger-last-element';

/**
 * Flink's DeltaTrigger.of(threshold, deltaFunction).
 * @example {"trigger": {"type": "delta", "threshold": 50, "delta": "new.distance - old.distance"}}
 */
export function deltaTrigger(threshold: number, delta: DeltaFunctionSpec): Trigger {
  const getDelta = deltaFunctionOf(delta);
  return {
    description: `delta(${describeDelta(delta)}, ${threshold})`,
    onElement(_timestamp, _window, ctx, value) {
      const last = ctx.getState(LAST_ELEMENT_STATE);
      if (last === undefined) {
        ctx.putState(LAST_ELEMENT_STATE, value);
        return 'CONTINUE';
      }
      if (getDelta(last, value) > threshold) {
        ctx.putState(LAST_ELEMENT_STATE, value);
        return 'FIRE';
      }
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'CONTINUE',
    onMerge() {
      throw new Error('a delta trigger cannot be used with merging (session) windows, as in Flink');
    },
    clear: (_window, ctx) => ctx.clearState(LAST_ELEMENT_STATE),
  };
}
