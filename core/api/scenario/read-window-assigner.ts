/**
 * A `window` operator's `assigner` field: which windows an element belongs to. Each mistake
 * is reported at its JSON path with the check Flink makes when it builds the assigner
 * (|offset| < size for tumbling windows, |offset| < slide for sliding ones, a positive
 * session gap).
 *
 * Two assigner types are Weir's shorthand for what Flink writes as method calls: `count`
 * is Flink's `countWindow(size)` / `countWindow(size, slide)`, the global window with a
 * purging count trigger, or with a count trigger and a count evictor; the reader returns
 * those as the trigger and evictor the assigner implies, and an explicit `trigger` or
 * `evictor` replaces them, as a later `.trigger(...)` call does in Flink.
 */
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import { WINDOW_STAGGERS, type WindowAssignerSpec, type WindowEvictorSpec, type WindowStagger, type WindowTime, type WindowTriggerSpec } from '../../operators/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';

const ASSIGNER_TYPES = ['tumbling', 'sliding', 'session', 'global', 'count'];

/** How many sliding windows one record may belong to (size / slide). */
export const MAX_WINDOWS_PER_ELEMENT = 10_000;

/** An assigner, with the trigger and evictor a `count` assigner implies. */
export interface ReadAssigner {
  readonly assigner: WindowAssignerSpec;
  readonly trigger?: WindowTriggerSpec;
  readonly evictor?: WindowEvictorSpec;
}

function readTime(r: Reader, obj: Obj, path: string): WindowTime {
  const value = obj['time'];
  if (value === undefined || value === 'event') return 'event';
  if (value === 'processing') return 'processing';
  r.issue(child(path, 'time'), `expected "event" or "processing", found ${describe(value)}`);
  return 'event';
}

/** A required whole number > 0 (a size, slide or gap in ms). */
function positive(r: Reader, obj: Obj, key: string, path: string, what: string): number | null {
  const value = obj[key];
  if (value === undefined) {
    r.issue(child(path, key), `missing required field '${key}' (${what})`);
    return null;
  }
  const n = r.intValue(value, child(path, key), {});
  if (n === null) return null;
  if (n <= 0) {
    r.issue(child(path, key), `${what} must be positive, found ${n}`);
    return null;
  }
  return n;
}

/** An optional offset with |offset| < bound (Flink's check when the assigner is built). */
function offset(r: Reader, obj: Obj, path: string, bound: number | null, boundName: string, windowName: string): number | null {
  const value = r.int(obj, 'offset', path, {}, 0);
  if (value === null || bound === null) return null;
  if (Math.abs(value) >= bound) {
    r.issue(child(path, 'offset'), `the offset of a ${windowName} window must be smaller than its ${boundName} in absolute value (|offset| < ${bound}), found ${value}`);
    return null;
  }
  return value;
}

/**
 * undefined when invalid (reported); absent: aligned. Tumbling windows stagger in both times,
 * as Flink's TumblingEventTimeWindows and TumblingProcessingTimeWindows do: the shift comes
 * from the processing time of the subtask's first element either way.
 */
function stagger(r: Reader, obj: Obj, path: string): WindowStagger | undefined | null {
  const value = obj['stagger'];
  if (value === undefined) return null;
  if (!(WINDOW_STAGGERS as readonly unknown[]).includes(value)) {
    r.issue(child(path, 'stagger'), `expected one of ${WINDOW_STAGGERS.map((s) => `"${s}"`).join(', ')} (Flink's WindowStagger), found ${describe(value)}`);
    return undefined;
  }
  return value as WindowStagger;
}

function readSession(r: Reader, obj: Obj, path: string, id: string): WindowAssignerSpec | null {
  r.onlyKeys(obj, path, ['type', 'gap', 'dynamicGap', 'time']);
  const time = readTime(r, obj, path);
  if (obj['dynamicGap'] === undefined) {
    const gapMs = positive(r, obj, 'gap', path, 'session gap in ms: the quiet time that ends a session');
    return gapMs === null ? null : { type: 'session', gapMs, time };
  }
  if (obj['gap'] !== undefined) {
    r.issue(child(path, 'dynamicGap'), `a session has either a fixed 'gap' or a 'dynamicGap' expression, not both`);
    return null;
  }
  const src = r.string(obj, 'dynamicGap', path);
  if (src === null) return null;
  try {
    compileExpression(src);
  } catch (e) {
    if (!(e instanceof ExprSyntaxError)) throw e;
    r.issue(child(path, 'dynamicGap'), `operator '${id}': the dynamic gap expression does not parse: ${e.message}`);
    return null;
  }
  return { type: 'dynamic-session', gap: src, time };
}

/** Flink's countWindow(size) and countWindow(size, slide), on the global window. */
function readCount(r: Reader, obj: Obj, path: string): ReadAssigner | null {
  r.onlyKeys(obj, path, ['type', 'size', 'slide']);
  const size = positive(r, obj, 'size', path, 'how many elements a count window holds');
  const slide = obj['slide'] === undefined ? undefined : positive(r, obj, 'slide', path, 'after how many elements a sliding count window fires');
  if (size === null || slide === null) return null;
  const assigner: WindowAssignerSpec = { type: 'global' };
  if (slide === undefined) return { assigner, trigger: { type: 'purging', trigger: { type: 'count', count: size } } };
  return { assigner, trigger: { type: 'count', count: slide }, evictor: { type: 'count', maxCount: size, evictAfter: false } };
}

/** Reads `assigner` at `path`; null after reporting its problems. */
export function readAssigner(r: Reader, value: unknown, path: string, id: string): ReadAssigner | null {
  if (value === undefined) {
    r.issue(path, `missing required field 'assigner' (e.g. {"type": "tumbling", "size": 1000})`);
    return null;
  }
  const obj = r.object(value, path, 'a window assigner such as {"type": "tumbling", "size": 1000}');
  if (obj === null) return null;
  const type = r.string(obj, 'type', path);
  if (type === null) return null;
  switch (type) {
    case 'tumbling': {
      r.onlyKeys(obj, path, ['type', 'size', 'offset', 'time', 'stagger']);
      const sizeMs = positive(r, obj, 'size', path, 'window size in ms');
      const offsetMs = offset(r, obj, path, sizeMs, 'size', 'tumbling');
      const time = readTime(r, obj, path);
      const staggered = stagger(r, obj, path);
      if (sizeMs === null || offsetMs === null || staggered === undefined) return null;
      return { assigner: { type, sizeMs, offsetMs, time, ...(staggered === null ? {} : { stagger: staggered }) } };
    }
    case 'sliding': {
      r.onlyKeys(obj, path, ['type', 'size', 'slide', 'offset', 'time']);
      const sizeMs = positive(r, obj, 'size', path, 'window size in ms');
      const slideMs = positive(r, obj, 'slide', path, 'window slide in ms: how far apart window starts are');
      // Flink bounds a sliding window's offset by its slide: windows start every `slide` ms.
      const offsetMs = offset(r, obj, path, slideMs, 'slide', 'sliding');
      const time = readTime(r, obj, path);
      if (sizeMs !== null && slideMs !== null && Math.ceil(sizeMs / slideMs) > MAX_WINDOWS_PER_ELEMENT) {
        r.issue(`${path}.slide`, `a sliding window of size ${sizeMs} every ${slideMs} ms puts each record in ${Math.ceil(sizeMs / slideMs)} windows; at most ${MAX_WINDOWS_PER_ELEMENT}`);
        return null;
      }
      return sizeMs === null || slideMs === null || offsetMs === null ? null : { assigner: { type, sizeMs, slideMs, offsetMs, time } };
    }
    case 'session': {
      const assigner = readSession(r, obj, path, id);
      return assigner === null ? null : { assigner };
    }
    case 'global':
      r.onlyKeys(obj, path, ['type']);
      return { assigner: { type } };
    case 'count':
      return readCount(r, obj, path);
    default:
      r.issue(child(path, 'type'), `unknown window assigner type '${type}' (known: ${ASSIGNER_TYPES.join(', ')})`);
      return null;
  }
}
