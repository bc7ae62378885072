/**
 * A time window is a half-open interval of time, [start, end): it contains `start` and
 * everything up to but not including `end`. The last moment that belongs to it, `end - 1`,
 * is its max timestamp, and that is the moment Flink cares about: a watermark equal to
 * the max timestamp says "nothing at or before end - 1 will come", so the window is
 * complete and may fire, and the result carries `end - 1` as its timestamp so that it
 * still belongs to the window it summarises.
 *
 * Windows are aligned to the epoch (time 0) plus an optional offset, which is why a
 * window start is computed with a remainder rather than by rounding down: the same
 * formula must work for negative timestamps, where JavaScript's `%` (like Java's) keeps
 * the sign of the dividend.
 */
import { assert } from '../../kernel/index.ts';
import { MAX_WATERMARK, MIN_WATERMARK } from '../../model/index.ts';

/**
 * A window [start, end) of virtual milliseconds (Flink's TimeWindow).
 * @example const w: TimeWindow = { start: 0, end: 1000 }; // holds timestamps 0..999
 */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/**
 * Makes a window, checking that it is not empty.
 * @example timeWindow(-1000, 0) // { start: -1000, end: 0 }
 */
export function timeWindow(start: number, end: number): TimeWindow {
  assert(Number.isSafeInteger(start) && Number.isSafeInteger(end), () => `window bounds must be whole milliseconds in the safe range, found [${start}, ${end})`);
  assert(start < end, () => `a window must not be empty, found [${start}, ${end})`);
  return { start, end };
}

/**
 * The last timestamp that belongs to the window: `end - 1`.
 * @example maxTimestamp({ start: 0, end: 1000 }) // 999
 */
export function maxTimestamp(window: TimeWindow): number {
  return window.end - 1;
}

/**
 * Whether two windows overlap or touch. Touching counts, as in Flink: sessions [0, 5) and
 * [5, 9) have no gap between them, so they are one session.
 * @example intersects({ start: 0, end: 5 }, { start: 5, end: 9 }) // true
 */
export function intersects(a: TimeWindow, b: TimeWindow): boolean {
  return a.start <= b.end && a.end >= b.start;
}

/**
 * The smallest window that covers both.
 * @example cover({ start: 0, end: 5 }, { start: 3, end: 9 }) // { start: 0, end: 9 }
 */
export function cover(a: TimeWindow, b: TimeWindow): TimeWindow {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

/**
 * The start of the window of length `size` (aligned to `offset`) that contains `timestamp`,
 * as Flink's TimeWindow.getWindowStartWithOffset computes it, negative timestamps included.
 * @example
 * windowStartWithOffset(1500, 0, 1000)   // 1000
 * windowStartWithOffset(-1, 0, 1000)     // -1000
 * windowStartWithOffset(1500, 200, 1000) // 1200
 */
export function windowStartWithOffset(timestamp: number, offset: number, size: number): number {
  const remainder = (timestamp - offset) % size;
  return remainder < 0 ? timestamp - (remainder + size) : timestamp - remainder;
}

/**
 * Orders windows by start, then end: the order in which merging looks at them.
 * @example [{ start: 5, end: 9 }, { start: 0, end: 5 }].sort(compareWindows) // [0,5) first
 */
export function compareWindows(a: TimeWindow, b: TimeWindow): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * Whether two windows are the same interval (windows are compared by value, never by identity).
 * @example sameWindow({ start: 0, end: 5 }, { start: 0, end: 5 }) // true
 */
export function sameWindow(a: TimeWindow, b: TimeWindow): boolean {
  return a.start === b.start && a.end === b.end;
}

/**
 * The window as a state and timer namespace: state and timers are scoped to (key, window).
 * @example windowNamespace({ start: -1000, end: 0 }) // "-1000,0"
 */
export function windowNamespace(window: TimeWindow): string {
  // Consecutive records mostly fall in the same window: remember the last one.
  if (window.start !== lastStart || window.end !== lastEnd) {
    lastStart = window.start;
    lastEnd = window.end;
    lastNamespace = `${window.start},${window.end}`;
  }
  return lastNamespace;
}

let lastStart = 0;
let lastEnd = 1;
let lastNamespace = '0,1';

/**
 * The window a namespace names (the inverse of windowNamespace).
 * @example windowOfNamespace('-1000,0') // { start: -1000, end: 0 }
 */
export function windowOfNamespace(namespace: string): TimeWindow {
  // Timers fire grouped by time, so consecutive calls mostly name the same window.
  if (namespace === lastParsedNamespace) return lastParsedWindow;
  lastParsedWindow = parseNamespace(namespace);
  lastParsedNamespace = namespace;
  return lastParsedWindow;
}

let lastParsedNamespace = '0,1';
let lastParsedWindow: TimeWindow = Object.freeze({ start: 0, end: 1 });

/**
 * Flink's GlobalWindow: the one window of the GlobalWindows assigner, holding every element of
 * a key. Its max timestamp is the end of time (Flink's Long.MAX_VALUE, Weir's MAX_WATERMARK),
 * so an event-time timer at it fires only with the final watermark, and it is never cleaned
 * up. Its end lies one past the safe integers; it is the only window allowed that, and it is
 * recognised by its namespace rather than parsed.
 * @example maxTimestamp(GLOBAL_WINDOW) === MAX_WATERMARK // true
 */
export const GLOBAL_WINDOW: TimeWindow = Object.freeze({ start: MIN_WATERMARK, end: MAX_WATERMARK + 1 });

const GLOBAL_NAMESPACE = `${GLOBAL_WINDOW.start},${GLOBAL_WINDOW.end}`;

/**
 * Whether a window is the global window (compared by value, as all windows are).
 * @example isGlobalWindow({ start: 0, end: 10 }) // false
 */
export function isGlobalWindow(window: TimeWindow): boolean {
  return window.end === GLOBAL_WINDOW.end && window.start === GLOBAL_WINDOW.start;
}

/**
 * A window as a result record shows it: `{start, end}`. The global window has neither, so
 * it reads `{start: null, end: null, global: true}`: the same shape as a time window's, so
 * an expression that reads `window.start` gets null rather than failing on a string.
 * @example windowJson({ start: 0, end: 1000 }) // { start: 0, end: 1000 }
 */
export function windowJson(window: TimeWindow): { start: number; end: number } | { start: null; end: null; global: true } {
  return isGlobalWindow(window) ? { start: null, end: null, global: true } : { start: window.start, end: window.end };
}

function parseNamespace(namespace: string): TimeWindow {
  if (namespace === GLOBAL_NAMESPACE) return GLOBAL_WINDOW;
  const comma = namespace.indexOf(',', 1);
  assert(comma > 0, () => `'${namespace}' is not a window namespace`);
  return timeWindow(Number(namespace.slice(0, comma)), Number(namespace.slice(comma + 1)));
}

/**
 * Groups windows that overlap or touch, transitively, and reports each group of two or
 * more with the window that covers it (Flink's TimeWindow.mergeWindows, used by session
 * windows). Groups are reported in start order, their members sorted.
 * @example
 * mergeOverlapping([{start: 0, end: 5}, {start: 9, end: 12}, {start: 4, end: 10}], (members, result) => …)
 * // one call: members [0,5) [4,10) [9,12), result [0,12)
 */
export function mergeOverlapping(windows: readonly TimeWindow[], onMerge: (members: TimeWindow[], result: TimeWindow) => void): void {
  const sorted = windows.slice().sort(compareWindows);
  let group: TimeWindow[] = [];
  let covering: TimeWindow | null = null;
  const flush = (): void => {
    if (covering !== null && group.length > 1) onMerge(group, covering);
  };
  for (const w of sorted) {
    if (covering !== null && intersects(covering, w)) {
      group.push(w);
      covering = cover(covering, w);
    } else {
      flush();
      group = [w];
      covering = w;
    }
  }
  flush();
}
