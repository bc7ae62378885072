/**
 * A trigger decides when a window is evaluated. The window operator collects elements into
 * windows; the trigger is asked on every element and on every timer it registered, and
 * answers CONTINUE (do nothing), FIRE (emit the aggregate, keep the contents), PURGE (drop
 * the contents) or FIRE_AND_PURGE. Separating "which window" (the assigner) from "when"
 * (the trigger) is Flink's design, and it is what lets the same tumbling window be emitted
 * once at the watermark, or early every n elements.
 *
 * Each assigner has a default trigger: event-time windows fire when the watermark passes
 * their max timestamp, processing-time windows when the clock passes it. Setting another
 * trigger replaces the default; it does not add to it.
 *
 * Cleaning up is not the trigger's job. The window operator removes a window's state at its
 * cleanup time (max timestamp + allowed lateness in event time) whatever the trigger is.
 * So a count trigger on an event-time window fires every n elements, and whatever is left
 * below n when the watermark passes the cleanup time is dropped without being emitted,
 * exactly as in Flink.
 */
import type { JsonValue } from '../../model/index.ts';
import { maxTimestamp, type TimeWindow } from './time-window.ts';

/** What a trigger tells the window operator to do (Flink's TriggerResult). */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE';

/**
 * Whether the window is to be evaluated and its result emitted.
 * @example isFire('FIRE_AND_PURGE') // true
 */
export function isFire(result: TriggerResult): boolean {
  return result === 'FIRE' || result === 'FIRE_AND_PURGE';
}

/**
 * Whether the window's contents are to be dropped.
 * @example isPurge('FIRE') // false: a count trigger keeps the contents
 */
export function isPurge(result: TriggerResult): boolean {
  return result === 'PURGE' || result === 'FIRE_AND_PURGE';
}

/**
 * What a trigger may do, scoped to the current key and window: read the clocks, register
 * and delete timers, keep its own state.
 */
export interface TriggerContext {
  currentWatermark(): number;
  currentProcessingTime(): number;
  registerEventTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
  /** The trigger's state `name` for the current key and window. */
  getState(name: string): JsonValue | undefined;
  putState(name: string, value: JsonValue): void;
  clearState(name: string): void;
  /** While merging: folds state `name` of `sources` into the current (merged) window's. */
  mergeState(name: string, sources: readonly TimeWindow[], merge: (a: JsonValue, b: JsonValue) => JsonValue): void;
}

/**
 * Flink's Trigger, over time windows.
 * @example
 * const trigger = eventTimeTrigger();
 * trigger.onElement(500, { start: 0, end: 1000 }, ctx); // 'CONTINUE', with a timer at 999
 */
export interface Trigger {
  /** For messages and docs: `event-time`, `processing-time`, `count(3)`. */
  readonly description: string;
  /** True when it reads each element's timestamp (a continuous event-time trigger aligns its firings to it). */
  readonly needsTimestamps?: boolean;
  /** `value` is the element's value: only a delta trigger looks at it. */
  onElement(timestamp: number | null, window: TimeWindow, ctx: TriggerContext, value: JsonValue): TriggerResult;
  onEventTime(time: number, window: TimeWindow, ctx: TriggerContext): TriggerResult;
  onProcessingTime(time: number, window: TimeWindow, ctx: TriggerContext): TriggerResult;
  /** Windows `merged` became `window` (session windows): carry timers and state over. */
  onMerge(window: TimeWindow, merged: readonly TimeWindow[], ctx: TriggerContext): void;
  /** The window is going away: delete the trigger's timers and state for it. */
  clear(window: TimeWindow, ctx: TriggerContext): void;
}

/**
 * Flink's EventTimeTrigger: fires once the watermark reaches the window's max timestamp.
 * An element that arrives after that (a late element within the allowed lateness) fires
 * the window again at once, with the updated contents: a late firing.
 * @example {"trigger": {"type": "event-time"}}
 */
export function eventTimeTrigger(): Trigger {
  return {
    description: 'event-time',
    onElement(_timestamp, window, ctx) {
      if (maxTimestamp(window) <= ctx.currentWatermark()) return 'FIRE';
      ctx.registerEventTimeTimer(maxTimestamp(window));
      return 'CONTINUE';
    },
    onEventTime(time, window) {
      return time === maxTimestamp(window) ? 'FIRE' : 'CONTINUE';
    },
    onProcessingTime() {
      return 'CONTINUE';
    },
    onMerge(window, _merged, ctx) {
      // A merged window whose end has already passed fires through onElement instead.
      if (maxTimestamp(window) > ctx.currentWatermark()) ctx.registerEventTimeTimer(maxTimestamp(window));
    },
    clear(window, ctx) {
      ctx.deleteEventTimeTimer(maxTimestamp(window));
    },
  };
}

/**
 * Flink's ProcessingTimeTrigger: fires when the processing-time clock passes the window's
 * max timestamp.
 * @example {"trigger": {"type": "processing-time"}}
 */
export function processingTimeTrigger(): Trigger {
  return {
    description: 'processing-time',
    onElement(_timestamp, window, ctx) {
      ctx.registerProcessingTimeTimer(maxTimestamp(window));
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'FIRE',
    onMerge(window, _merged, ctx) {
      if (maxTimestamp(window) > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(maxTimestamp(window));
    },
    clear: (window, ctx) => ctx.deleteProcessingTimeTimer(maxTimestamp(window)),
  };
}

const COUNT_STATE = 'window-trigger-count';
const addCounts = (a: JsonValue, b: JsonValue): JsonValue => (a as number) + (b as number);

/**
 * Flink's CountTrigger: counts elements per key and window and fires (FIRE, not purge)
 * each time the count reaches `count`, then starts counting again. Because the contents are
 * kept, every firing carries everything the window has seen so far: with count 2, the
 * second firing of a window is the aggregate of 4 elements. It never fires on time; the
 * window's state is still removed at its cleanup time, and a remainder below `count` is
 * dropped then.
 * @example {"trigger": {"type": "count", "count": 3}}
 */
export function countTrigger(count: number): Trigger {
  return {
    description: `count(${count})`,
    onElement(_timestamp, _window, ctx) {
      const seen = ((ctx.getState(COUNT_STATE) as number | undefined) ?? 0) + 1;
      if (seen >= count) {
        ctx.clearState(COUNT_STATE);
        return 'FIRE';
      }
      ctx.putState(COUNT_STATE, seen);
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'CONTINUE',
    onMerge: (_window, merged, ctx) => ctx.mergeState(COUNT_STATE, merged, addCounts),
    clear: (_window, ctx) => ctx.clearState(COUNT_STATE),
  };
}

/**
 * Flink's GlobalWindows.NeverTrigger, the global window's default: it never fires, so a
 * global window without another trigger only collects (its state is never cleaned either).
 * @example {"assigner": {"type": "global"}, "trigger": {"type": "count", "count": 10}}
 */
export function neverTrigger(): Trigger {
  return {
    description: 'never',
    onElement: () => 'CONTINUE',
    onEventTime: () => 'CONTINUE',
    onProcessingTime: () => 'CONTINUE',
    onMerge: () => {},
    clear: () => {},
  };
}
