/**
 * A window assigner says which windows an element belongs to. Tumbling windows cut time
 * into equal, back-to-back pieces, so each element is in exactly one. Sliding windows have
 * a length and a slide; when the slide is shorter than the length they overlap, and an
 * element is in length / slide of them at once (that is the cost of a sliding window:
 * every element is aggregated that many times). Session windows are not aligned to
 * anything: each element opens a window [t, t + gap), and windows that overlap or touch
 * merge into one session, so a session ends only after a quiet gap.
 *
 * An assigner works in event time (the element's timestamp, completed by watermarks) or
 * processing time (the operator's clock when the element arrives, whatever its timestamp).
 * Aligned windows start at multiples of their size (or slide) from the epoch, shifted by
 * an optional offset, e.g. to align hourly windows to a time zone.
 *
 * Two more come from Flink. A session's gap can depend on the element (withDynamicGap):
 * each element opens [t, t + gap(element)), and merging works as before. And GlobalWindows
 * puts every element of a key into one window that never ends; it never fires by itself
 * (its default trigger is Flink's NeverTrigger), so it comes with a trigger, as in Flink's
 * countWindow: a count trigger, perhaps purging, perhaps a count evictor.
 */
import { assert, type RandomStream } from '../../kernel/index.ts';
import { compileExpression } from '../../expr/index.ts';
import { MAX_TIME_MS, type JsonValue } from '../../model/index.ts';
import { GLOBAL_WINDOW, mergeOverlapping, timeWindow, windowStartWithOffset, type TimeWindow } from './time-window.ts';
import { eventTimeTrigger, neverTrigger, processingTimeTrigger, type Trigger } from './triggers.ts';
import { staggerOffset, type WindowStagger } from './window-stagger.ts';

/** Which clock assigns windows and fires them. */
export type WindowTime = 'event' | 'processing';

/**
 * A dynamic session gap (Flink's SessionWindowTimeGapExtractor): an expression over the
 * record, as a scenario writes it, or a function of the record's value (DataStream API).
 */
export type SessionGapSpec = string | ((value: JsonValue) => number);

/** An assigner as a scenario writes it (sizes, slides, gaps and offsets in ms). */
export type WindowAssignerSpec =
  | { readonly type: 'tumbling'; readonly sizeMs: number; readonly offsetMs: number; readonly time: WindowTime; readonly stagger?: WindowStagger }
  | { readonly type: 'sliding'; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs: number; readonly time: WindowTime }
  | { readonly type: 'session'; readonly gapMs: number; readonly time: WindowTime }
  | { readonly type: 'dynamic-session'; readonly gap: SessionGapSpec; readonly time: WindowTime }
  | { readonly type: 'global' };

/**
 * What an assigner may need from its operator, asked for lazily: the subtask's random
 * stream (a random stagger) and how to fail the task (a dynamic gap that is not positive).
 */
export interface AssignerEnv {
  random(): RandomStream;
  fail(error: unknown): never;
}

const NO_ENV: AssignerEnv = {
  random: () => {
    throw new Error('this assigner has no random stream: pass an AssignerEnv');
  },
  fail: (error) => {
    throw error;
  },
};

/**
 * Flink's WindowAssigner over time windows.
 * @example
 * assignerOf({ type: 'sliding', sizeMs: 1000, slideMs: 500, offsetMs: 0, time: 'event' }).assignWindows(700, 0, null)
 * // [ {start: 500, end: 1500}, {start: 0, end: 1000} ]
 */
export interface WindowAssigner {
  readonly spec: WindowAssignerSpec;
  /** Flink's isEventTime: false for processing time and for the global window. */
  readonly isEventTime: boolean;
  /** Session windows merge; aligned windows never do. */
  readonly isMerging: boolean;
  /** The windows of an element with this timestamp and value arriving at processing time `nowMs`. */
  assignWindows(timestamp: number, nowMs: number, value: JsonValue): TimeWindow[];
  /** For merging assigners: reports each group of windows that becomes one. */
  mergeWindows(windows: readonly TimeWindow[], onMerge: (members: TimeWindow[], result: TimeWindow) => void): void;
  defaultTrigger(): Trigger;
}

function checkSpec(spec: WindowAssignerSpec): void {
  switch (spec.type) {
    case 'tumbling':
      assert(spec.sizeMs > 0 && Math.abs(spec.offsetMs) < spec.sizeMs, `tumbling windows need size > 0 and |offset| < size, found size ${spec.sizeMs}, offset ${spec.offsetMs}`);
      return;
    case 'sliding':
      assert(
        spec.sizeMs > 0 && spec.slideMs > 0 && Math.abs(spec.offsetMs) < spec.slideMs,
        `sliding windows need size > 0, slide > 0 and |offset| < slide, found size ${spec.sizeMs}, slide ${spec.slideMs}, offset ${spec.offsetMs}`,
      );
      return;
    case 'session':
      assert(spec.gapMs > 0, `session windows need gap > 0, found ${spec.gapMs}`);
      return;
    case 'dynamic-session':
    case 'global':
      return;
  }
}

/** Which windows of an aligned assigner hold a time `t` (an event timestamp or a processing time). */
function alignedWindowsAt(spec: WindowAssignerSpec & { type: 'tumbling' | 'sliding' }, t: number, offsetMs: number): TimeWindow[] {
  if (spec.type === 'tumbling') {
    const start = windowStartWithOffset(t, offsetMs, spec.sizeMs);
    return [timeWindow(start, start + spec.sizeMs)];
  }
  // From the last window that starts at or before t, back while the window still holds t.
  const windows: TimeWindow[] = [];
  const last = windowStartWithOffset(t, offsetMs, spec.slideMs);
  for (let start = last; start > t - spec.sizeMs; start -= spec.slideMs) windows.push(timeWindow(start, start + spec.sizeMs));
  return windows;
}

/** The gap of one element: a whole number of ms, > 0, as Flink requires ("0 < gap"). */
function gapFunction(gap: SessionGapSpec, env: AssignerEnv): (value: JsonValue, timestamp: number) => number {
  const extract = typeof gap === 'function' ? (value: JsonValue) => gap(value) : ((expr) => (value: JsonValue, timestamp: number) => expr.evaluate(value, timestamp))(compileExpression(gap));
  return (value, timestamp) => {
    let ms: unknown;
    try {
      ms = extract(value, timestamp);
    } catch (e) {
      return env.fail(e);
    }
    if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_TIME_MS) {
      return env.fail(new RangeError(`a dynamic session gap must be a whole number of ms between 1 and 10^15 (MAX_TIME_MS), found ${JSON.stringify(ms) ?? String(ms)}`));
    }
    return ms;
  };
}

const GLOBAL_WINDOWS: readonly TimeWindow[] = Object.freeze([GLOBAL_WINDOW]);

/**
 * The assigner a spec describes; `env` is needed by a random stagger and a dynamic gap.
 * @example assignerOf({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' }).assignWindows(-1, 0, null) // [{start: -1000, end: 0}]
 */
export function assignerOf(spec: WindowAssignerSpec, env: AssignerEnv = NO_ENV): WindowAssigner {
  checkSpec(spec);
  if (spec.type === 'global') {
    return {
      spec,
      isEventTime: false,
      isMerging: false,
      assignWindows: () => GLOBAL_WINDOWS as TimeWindow[],
      mergeWindows: () => {},
      defaultTrigger: neverTrigger,
    };
  }
  const isEventTime = spec.time === 'event';
  const isMerging = spec.type === 'session' || spec.type === 'dynamic-session';
  return {
    spec,
    isEventTime,
    isMerging,
    assignWindows: windowsOf(spec, isEventTime, env),
    mergeWindows(windows, onMerge) {
      if (isMerging) mergeOverlapping(windows, onMerge);
    },
    defaultTrigger: () => (isEventTime ? eventTimeTrigger() : processingTimeTrigger()),
  };
}

function windowsOf(spec: Exclude<WindowAssignerSpec, { type: 'global' }>, isEventTime: boolean, env: AssignerEnv): WindowAssigner['assignWindows'] {
  switch (spec.type) {
    case 'session':
      return (timestamp, nowMs) => {
        const t = isEventTime ? timestamp : nowMs;
        return [timeWindow(t, t + spec.gapMs)];
      };
    case 'dynamic-session': {
      const gapOf = gapFunction(spec.gap, env);
      return (timestamp, nowMs, value) => {
        const t = isEventTime ? timestamp : nowMs;
        return [timeWindow(t, t + gapOf(value, timestamp))];
      };
    }
    case 'sliding':
      return (timestamp, nowMs) => alignedWindowsAt(spec, isEventTime ? timestamp : nowMs, spec.offsetMs);
    case 'tumbling': {
      const stagger = spec.stagger ?? 'aligned';
      // Flink fixes the stagger when the first element arrives (null until then).
      let offsetMs: number | null = stagger === 'aligned' ? spec.offsetMs : null;
      // A tumbling assigner gives one window per element, usually the previous element's: keep
      // the last answer (windows are never modified, so sharing them is safe).
      let lastStart = Number.NaN;
      let lastWindows: TimeWindow[] = [];
      return (timestamp, nowMs) => {
        const t = isEventTime ? timestamp : nowMs;
        offsetMs ??= (spec.offsetMs + staggerOffset(stagger, nowMs, spec.sizeMs, () => env.random())) % spec.sizeMs;
        // Two comparisons find the last window again; the remainder (a division) only for a new one.
        if (t >= lastStart && t < lastStart + spec.sizeMs) return lastWindows;
        const start = windowStartWithOffset(t, offsetMs, spec.sizeMs);
        if (start !== lastStart) {
          lastStart = start;
          lastWindows = alignedWindowsAt(spec, t, offsetMs);
        }
        return lastWindows;
      };
    }
  }
}

/**
 * A short description of an assigner, for messages.
 * @example describeAssigner({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' }) // 'tumbling 1000ms (event time)'
 */
export function describeAssigner(spec: WindowAssignerSpec): string {
  if (spec.type === 'global') return 'global';
  const time = spec.time === 'event' ? 'event time' : 'processing time';
  switch (spec.type) {
    case 'tumbling': {
      const stagger = spec.stagger !== undefined && spec.stagger !== 'aligned' ? ` stagger ${spec.stagger}` : '';
      return `tumbling ${spec.sizeMs}ms${spec.offsetMs !== 0 ? ` offset ${spec.offsetMs}ms` : ''}${stagger} (${time})`;
    }
    case 'sliding':
      return `sliding ${spec.sizeMs}ms every ${spec.slideMs}ms${spec.offsetMs !== 0 ? ` offset ${spec.offsetMs}ms` : ''} (${time})`;
    case 'session':
      return `session gap ${spec.gapMs}ms (${time})`;
    case 'dynamic-session':
      return `session dynamic gap ${typeof spec.gap === 'string' ? spec.gap : 'fn'} (${time})`;
  }
}
