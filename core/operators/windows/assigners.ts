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
 */
import { assert } from '../../kernel/index.ts';
import { mergeOverlapping, timeWindow, windowStartWithOffset, type TimeWindow } from './time-window.ts';
import { eventTimeTrigger, processingTimeTrigger, type Trigger } from './triggers.ts';

/** Which clock assigns windows and fires them. */
export type WindowTime = 'event' | 'processing';

/** An assigner as a scenario writes it (sizes, slides, gaps and offsets in ms). */
export type WindowAssignerSpec =
  | { readonly type: 'tumbling'; readonly sizeMs: number; readonly offsetMs: number; readonly time: WindowTime }
  | { readonly type: 'sliding'; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs: number; readonly time: WindowTime }
  | { readonly type: 'session'; readonly gapMs: number; readonly time: WindowTime };

/**
 * Flink's WindowAssigner over time windows.
 * @example
 * assignerOf({ type: 'sliding', sizeMs: 1000, slideMs: 500, offsetMs: 0, time: 'event' }).assignWindows(700, 0)
 * // [ {start: 500, end: 1500}, {start: 0, end: 1000} ]
 */
export interface WindowAssigner {
  readonly spec: WindowAssignerSpec;
  readonly isEventTime: boolean;
  /** Session windows merge; aligned windows never do. */
  readonly isMerging: boolean;
  /** The windows of an element with this timestamp arriving at processing time `nowMs`. */
  assignWindows(timestamp: number, nowMs: number): TimeWindow[];
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
  }
}

/** Which windows hold a time `t` (an event timestamp or a processing time). */
function windowsAt(spec: WindowAssignerSpec, t: number): TimeWindow[] {
  switch (spec.type) {
    case 'tumbling': {
      const start = windowStartWithOffset(t, spec.offsetMs, spec.sizeMs);
      return [timeWindow(start, start + spec.sizeMs)];
    }
    case 'sliding': {
      // From the last window that starts at or before t, back while the window still holds t.
      const windows: TimeWindow[] = [];
      const last = windowStartWithOffset(t, spec.offsetMs, spec.slideMs);
      for (let start = last; start > t - spec.sizeMs; start -= spec.slideMs) windows.push(timeWindow(start, start + spec.sizeMs));
      return windows;
    }
    case 'session':
      return [timeWindow(t, t + spec.gapMs)];
  }
}

/**
 * The assigner a spec describes.
 * @example assignerOf({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' }).assignWindows(-1, 0) // [{start: -1000, end: 0}]
 */
export function assignerOf(spec: WindowAssignerSpec): WindowAssigner {
  checkSpec(spec);
  const isEventTime = spec.time === 'event';
  const isMerging = spec.type === 'session';
  // A tumbling assigner gives one window per element, usually the previous element's: keep
  // the last answer (windows are never modified, so sharing them is safe).
  let lastStart = Number.NaN;
  let lastWindows: TimeWindow[] = [];
  const assignWindows = (timestamp: number, nowMs: number): TimeWindow[] => {
    const t = isEventTime ? timestamp : nowMs;
    if (spec.type !== 'tumbling') return windowsAt(spec, t);
    const start = windowStartWithOffset(t, spec.offsetMs, spec.sizeMs);
    if (start !== lastStart) {
      lastStart = start;
      lastWindows = windowsAt(spec, t);
    }
    return lastWindows;
  };
  return {
    spec,
    isEventTime,
    isMerging,
    assignWindows,
    mergeWindows(windows, onMerge) {
      if (isMerging) mergeOverlapping(windows, onMerge);
    },
    defaultTrigger: () => (isEventTime ? eventTimeTrigger() : processingTimeTrigger()),
  };
}

/**
 * A short description of an assigner, for messages.
 * @example describeAssigner({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' }) // 'tumbling 1000ms (event time)'
 */
export function describeAssigner(spec: WindowAssignerSpec): string {
  const time = spec.time === 'event' ? 'event time' : 'processing time';
  switch (spec.type) {
    case 'tumbling':
      return `tumbling ${spec.sizeMs}ms${spec.offsetMs !== 0 ? ` offset ${spec.offsetMs}ms` : ''} (${time})`;
    case 'sliding':
      return `sliding ${spec.sizeMs}ms every ${spec.slideMs}ms${spec.offsetMs !== 0 ? ` offset ${spec.offsetMs}ms` : ''} (${time})`;
    case 'session':
      return `session gap ${spec.gapMs}ms (${time})`;
  }
}
