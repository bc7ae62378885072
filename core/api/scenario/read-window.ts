/**
 * The `window` operator's fields: the assigner (which windows), the trigger (when they
 * fire), the aggregate (what a firing emits), and how late data is treated. Each mistake
 * is reported at its JSON path with what Flink would have said when the job was built
 * (a tumbling offset that is not smaller than the size, a session without a gap), so a
 * teacher finds it before the run rather than as a failure halfway through it.
 */
import { MAX_TIME_MS } from '../../model/index.ts';
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import {
  AGGREGATE_KINDS,
  EXTREMUM_BY_KINDS,
  type WindowAssignerSpec,
  type WindowTime,
  type WindowTriggerSpec,
} from '../../operators/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import type { ScenarioAggregateSpec, ScenarioWindowConfig } from './types.ts';

/** The fields a `window` operator has besides the common ones (id, type, name, input, ...). */
export const WINDOW_FIELDS = ['assigner', 'aggregate', 'trigger', 'allowedLateness', 'lateOutput'] as const;

const ASSIGNER_TYPES = ['tumbling', 'sliding', 'session'];
const TRIGGER_TYPES = ['event-time', 'processing-time', 'count'];

/**
 * Reads and checks the window fields of operator `id` (the object at `path`). Returns the
 * operator's config, or null after reporting every problem through `r`.
 * @example
 * const config = readWindowFields(r, { id: 'w', type: 'window', input: 'k',
 *   assigner: { type: 'tumbling', size: 1000 }, aggregate: { sum: 'amount' } }, '$.job.operators[2]', 'w');
 */
export function readWindowFields(r: Reader, obj: Obj, path: string, id: string): ScenarioWindowConfig | null {
  const before = r.issues.length;
  const assigner = readAssigner(r, obj['assigner'], child(path, 'assigner'));
  const aggregate = readAggregate(r, obj['aggregate'], child(path, 'aggregate'), id);
  const trigger = readTrigger(r, obj['trigger'], child(path, 'trigger'));
  const allowedLatenessMs = r.int(obj, 'allowedLateness', path, { min: 0, max: MAX_TIME_MS }, 0);
  const lateOutputTag = obj['lateOutput'] === undefined ? null : r.string(obj, 'lateOutput', path);
  if (assigner?.time === 'processing') {
    if (allowedLatenessMs !== null && allowedLatenessMs > 0) {
      r.issue(child(path, 'allowedLateness'), `operator '${id}': allowed lateness applies to event-time windows; a processing-time window has no late data`);
    }
    if (lateOutputTag !== null) {
      r.issue(child(path, 'lateOutput'), `operator '${id}': a processing-time window has no late data, so its late side output would always be empty`);
    }
  }
  if (r.issues.length > before || assigner === null || aggregate === null || trigger === undefined || allowedLatenessMs === null) return null;
  return { assigner, trigger, aggregate, allowedLatenessMs, lateOutputTag };
}

function readTime(r: Reader, obj: Obj, path: string): WindowTime {
  const value = obj['time'];
  if (value === undefined || value === 'event') return 'event';
  if (value === 'processing') return 'processing';
  r.issue(child(path, 'time'), `expected "event" or "processing", found ${describe(value)}`);
  return 'event';
}

/** How many sliding windows one record may belong to (size / slide). */
export const MAX_WINDOWS_PER_ELEMENT = 10_000;

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

function readAssigner(r: Reader, value: unknown, path: string): WindowAssignerSpec | null {
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
      r.onlyKeys(obj, path, ['type', 'size', 'offset', 'time']);
      const sizeMs = positive(r, obj, 'size', path, 'window size in ms');
      const offsetMs = offset(r, obj, path, sizeMs, 'size', 'tumbling');
      const time = readTime(r, obj, path);
      return sizeMs === null || offsetMs === null ? null : { type, sizeMs, offsetMs, time };
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
      return sizeMs === null || slideMs === null || offsetMs === null ? null : { type, sizeMs, slideMs, offsetMs, time };
    }
    case 'session': {
      r.onlyKeys(obj, path, ['type', 'gap', 'time']);
      const gapMs = positive(r, obj, 'gap', path, 'session gap in ms: the quiet time that ends a session');
      const time = readTime(r, obj, path);
      return gapMs === null ? null : { type, gapMs, time };
    }
    default:
      r.issue(child(path, 'type'), `unknown window assigner type '${type}' (known: ${ASSIGNER_TYPES.join(', ')})`);
      return null;
  }
}

function readAggregate(r: Reader, value: unknown, path: string, id: string): ScenarioAggregateSpec | null {
  const known = `known: "count", {"sum": expr}, {"min": expr}, {"max": expr}, {"avg": expr}, "collect", {"maxBy": expr}, {"minBy": expr}`;
  if (value === undefined) {
    r.issue(path, `missing required field 'aggregate' (${known})`);
    return null;
  }
  if (typeof value === 'string') {
    if (value === 'count') return { kind: 'count' };
    if (value === 'collect') return { kind: 'collect', expr: null };
    if ((AGGREGATE_KINDS as readonly string[]).includes(value) || (EXTREMUM_BY_KINDS as readonly string[]).includes(value)) {
      r.issue(path, `the aggregate '${value}' needs an expression saying what to aggregate, e.g. {"${value}": "amount"}`);
    } else {
      r.issue(path, `unknown aggregate '${value}' (${known})`);
    }
    return null;
  }
  const obj = r.object(value, path, `an aggregate (${known})`);
  if (obj === null) return null;
  const keys = Object.keys(obj);
  if (keys.length !== 1) {
    r.issue(path, `an aggregate object has exactly one field, the aggregate's name, e.g. {"sum": "amount"}; found ${keys.length === 0 ? 'none' : keys.map((k) => `'${k}'`).join(', ')}`);
    return null;
  }
  const kind = keys[0]!;
  if (kind === 'count') {
    r.issue(child(path, kind), `count takes no expression: write "aggregate": "count"`);
    return null;
  }
  if (kind !== 'sum' && kind !== 'min' && kind !== 'max' && kind !== 'avg' && kind !== 'collect' && kind !== 'maxBy' && kind !== 'minBy') {
    r.issue(child(path, kind), `unknown aggregate '${kind}' (${known})`);
    return null;
  }
  const src = r.string(obj, kind, path);
  if (src === null) return null;
  try {
    compileExpression(src);
  } catch (e) {
    if (e instanceof ExprSyntaxError) {
      r.issue(child(path, kind), `operator '${id}': expression does not parse: ${e.message}`);
      return null;
    }
    throw e;
  }
  return { kind, expr: src };
}

/** undefined when invalid (reported), null when absent (the assigner's default). */
function readTrigger(r: Reader, value: unknown, path: string): WindowTriggerSpec | null | undefined {
  if (value === undefined) return null;
  const obj = r.object(value, path, 'a trigger such as {"type": "count", "count": 3}');
  if (obj === null) return undefined;
  const type = r.string(obj, 'type', path);
  if (type === null) return undefined;
  switch (type) {
    case 'event-time':
    case 'processing-time':
      r.onlyKeys(obj, path, ['type']);
      return { type };
    case 'count': {
      r.onlyKeys(obj, path, ['type', 'count']);
      const count = r.int(obj, 'count', path, { min: 1 });
      return count === null ? undefined : { type, count };
    }
    default:
      r.issue(child(path, 'type'), `unknown trigger type '${type}' (known: ${TRIGGER_TYPES.join(', ')})`);
      return undefined;
  }
}
