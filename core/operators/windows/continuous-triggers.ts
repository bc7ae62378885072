/**
 * Continuous triggers fire a window early and repeatedly, every `interval` ms of event time
 * (Flink's ContinuousEventTimeTrigger) or processing time (ContinuousProcessingTimeTrigger),
 * so that a long window (a day) shows its running result (every minute) before it is
 * complete. They FIRE and never purge: each early result carries everything so far.
 *
 * The firing times are aligned to the interval, as Flink aligns them: the first element at
 * t schedules a firing at t - (t % interval) + interval (with Java's remainder, which keeps
 * the sign of t), never later than the window's max timestamp. Each firing schedules the
 * next one. The next firing time is trigger state per key and window; when sessions merge,
 * the earliest of their next firings is kept (a Min reduction, as in Flink).
 *
 * The event-time one also fires at the window's end, as the event-time trigger does, and at
 * once for an element that arrives after the end (a late firing). The processing-time one
 * registers no timer at the window's end: its last scheduled firing is clamped to the max
 * timestamp, and the window's cleanup follows its own clock.
 */
import type { JsonValue } from '../../model/index.ts';
import { maxTimestamp, type TimeWindow } from './time-window.ts';
import type { Trigger, TriggerContext } from './triggers.ts';

const FIRE_TIME_STATE = 'window-trigger-fire-time';
const earliest = (a: JsonValue, b: JsonValue): JsonValue => Math.min(a as number, b as number);

function fireTime(ctx: TriggerContext): number | undefined {
  return ctx.getState(FIRE_TIME_STATE) as number | undefined;
}

/** Schedules the firing after `time` (aligned), clamped to the window's max timestamp. */
function scheduleNext(time: number, intervalMs: number, window: TimeWindow, ctx: TriggerContext, eventTime: boolean): void {
  const next = Math.min(time + intervalMs, maxTimestamp(window));
  ctx.putState(FIRE_TIME_STATE, next);
  if (eventTime) ctx.registerEventTimeTimer(next);
  else ctx.registerProcessingTimeTimer(next);
}

/** `t - (t % interval)` with Java's `%`, which JavaScript's shares (the sign of t). */
function alignedStart(t: number, intervalMs: number): number {
  return t - (t % intervalMs);
}

/**
 * Flink's ContinuousEventTimeTrigger: fires every `intervalMs` of event time, and at the
 * window's end.
 * @example {"trigger": {"type": "continuous-event-time", "interval": 1000}}
 */
export function continuousEventTimeTrigger(intervalMs: number): Trigger {
  return {
    description: `continuous-event-time(${intervalMs})`,
    needsTimestamps: true,
    onElement(timestamp, window, ctx) {
      if (maxTimestamp(window) <= ctx.currentWatermark()) return 'FIRE';
      ctx.registerEventTimeTimer(maxTimestamp(window));
      // The window operator refuses an element without a timestamp for this trigger (needsTimestamps).
      if (fireTime(ctx) === undefined) scheduleNext(alignedStart(timestamp ?? 0, intervalMs), intervalMs, window, ctx, true);
      return 'CONTINUE';
    },
    onEventTime(time, window, ctx) {
      if (time === maxTimestamp(window)) return 'FIRE';
      if (fireTime(ctx) !== time) return 'CONTINUE';
      scheduleNext(time, intervalMs, window, ctx, true);
      return 'FIRE';
    },
    onProcessingTime: () => 'CONTINUE',
    onMerge(_window, merged, ctx) {
      ctx.mergeState(FIRE_TIME_STATE, merged, earliest);
      const next = fireTime(ctx);
      if (next !== undefined) ctx.registerEventTimeTimer(next);
    },
    clear(_window, ctx) {
      const next = fireTime(ctx);
      if (next === undefined) return;
      ctx.deleteEventTimeTimer(next);
      ctx.clearState(FIRE_TIME_STATE);
    },
  };
}

/**
 * Flink's ContinuousProcessingTimeTrigger: fires every `intervalMs` of processing time,
 * aligned to the clock when the window's first element arrived.
 * @example {"trigger": {"type": "continuous-processing-time", "interval": 1000}}
 */
export function continuousProcessingTimeTrigger(intervalMs: number): Trigger {
  return {
    description: `continuous-processing-time(${intervalMs})`,
    onElement(_timestamp, window, ctx) {
      if (fireTime(ctx) === undefined) scheduleNext(alignedStart(ctx.currentProcessingTime(), intervalMs), intervalMs, window, ctx, false);
      return 'CONTINUE';
    },
    onEventTime: () => 'CONTINUE',
    onProcessingTime(time, window, ctx) {
      if (fireTime(ctx) !== time) return 'CONTINUE';
      scheduleNext(time, intervalMs, window, ctx, false);
      return 'FIRE';
    },
    onMerge(_window, merged, ctx) {
      ctx.mergeState(FIRE_TIME_STATE, merged, earliest);
      const next = fireTime(ctx);
      if (next !== undefined) ctx.registerProcessingTimeTimer(next);
    },
    clear(_window, ctx) {
      const next = fireTime(ctx);
      if (next === undefined) return;
      ctx.deleteProcessingTimeTimer(next);
      ctx.clearState(FIRE_TIME_STATE);
    },
  };
}
