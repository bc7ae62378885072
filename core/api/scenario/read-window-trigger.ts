/**
 * A `window` operator's `trigger` and `evictor` fields. Triggers nest (a purging trigger
 * wraps another), and two of Flink's take a delta function, written here as an expression
 * over the two record values `old` and `new`. Each mistake is reported at its JSON path:
 * an unknown type, a count below 1, an interval that is not positive, a delta expression
 * that does not parse, a trigger that cannot merge on session windows (Flink refuses a
 * DeltaTrigger there when the job is built).
 */
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import { canMerge, DELTA_BINDINGS, EVICTOR_TYPES, TRIGGER_TYPES, type WindowEvictorSpec, type WindowTriggerSpec } from '../../operators/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';

/** How deep purging triggers may nest (one is all Flink's countWindow needs). */
const MAX_TRIGGER_DEPTH = 4;

/** A finite number (a delta threshold). */
function finiteNumber(r: Reader, obj: Obj, key: string, path: string): number | null {
  const value = obj[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  r.issue(child(path, key), value === undefined ? `missing required field '${key}' (a number)` : `expected a number, found ${describe(value)}`);
  return null;
}

/** An expression over `old` and `new` (Flink's DeltaFunction.getDelta(old, new)). */
function deltaExpression(r: Reader, obj: Obj, path: string, id: string): string | null {
  const src = r.string(obj, 'delta', path);
  if (src === null) return null;
  let fields: readonly string[];
  try {
    fields = compileExpression(src, { bindings: DELTA_BINDINGS }).fields;
  } catch (e) {
    if (!(e instanceof ExprSyntaxError)) throw e;
    r.issue(child(path, 'delta'), `operator '${id}': the delta expression (over 'old' and 'new') does not parse: ${e.message}`);
    return null;
  }
  if (fields.length > 0) {
    // A bare name would read the newer record's field: say which record, as getDelta(old, new) has two.
    r.issue(child(path, 'delta'), `operator '${id}': the delta expression reads two records, 'old' and 'new'; ${fields.map((f) => `'${f}'`).join(', ')} is neither: write new.${fields[0]} - old.${fields[0]}`);
    return null;
  }
  return src;
}

/** A positive interval in ms. */
function interval(r: Reader, obj: Obj, path: string): number | null {
  return r.int(obj, 'interval', path, { min: 1 });
}

/**
 * undefined when invalid (reported), null when absent (the assigner's default).
 * `merging`: the assigner merges windows (sessions), so the trigger must be able to merge.
 */
export function readTrigger(r: Reader, value: unknown, path: string, id: string, merging: boolean, depth = 0): WindowTriggerSpec | null | undefined {
  if (value === undefined) return null;
  const obj = r.object(value, path, 'a trigger such as {"type": "count", "count": 3}');
  if (obj === null) return undefined;
  const type = r.string(obj, 'type', path);
  if (type === null) return undefined;
  const spec = readTriggerOfType(r, obj, type, path, id, merging, depth);
  if (spec !== undefined && merging && depth === 0 && !canMerge(spec)) {
    // Name the trigger that cannot merge, where it is written: a purging trigger merges when what it wraps does.
    let at = path;
    let inner: WindowTriggerSpec = spec;
    while (inner.type === 'purging') {
      at = child(at, 'trigger');
      inner = inner.trigger;
    }
    const wrapped = at === path ? '' : ` (inside the ${type} trigger, which merges only when what it wraps does)`;
    r.issue(child(at, 'type'), `operator '${id}': a ${inner.type} trigger cannot be used with session windows, which merge (Flink's Trigger.canMerge is false for it)${wrapped}`);
    return undefined;
  }
  return spec;
}

function readTriggerOfType(r: Reader, obj: Obj, type: string, path: string, id: string, merging: boolean, depth: number): WindowTriggerSpec | undefined {
  switch (type) {
    case 'event-time':
    case 'processing-time':
    case 'never':
      r.onlyKeys(obj, path, ['type']);
      return { type };
    case 'count': {
      r.onlyKeys(obj, path, ['type', 'count']);
      const count = r.int(obj, 'count', path, { min: 1 });
      return count === null ? undefined : { type, count };
    }
    case 'continuous-event-time':
    case 'continuous-processing-time': {
      r.onlyKeys(obj, path, ['type', 'interval']);
      const intervalMs = interval(r, obj, path);
      return intervalMs === null ? undefined : { type, intervalMs };
    }
    case 'delta': {
      r.onlyKeys(obj, path, ['type', 'threshold', 'delta']);
      const threshold = finiteNumber(r, obj, 'threshold', path);
      const delta = deltaExpression(r, obj, path, id);
      return threshold === null || delta === null ? undefined : { type, threshold, delta };
    }
    case 'purging': {
      r.onlyKeys(obj, path, ['type', 'trigger']);
      if (depth + 1 >= MAX_TRIGGER_DEPTH) {
        r.issue(child(path, 'trigger'), `purging triggers nest at most ${MAX_TRIGGER_DEPTH - 1} deep`);
        return undefined;
      }
      if (obj['trigger'] === undefined) {
        r.issue(child(path, 'trigger'), `missing required field 'trigger' (the trigger whose firings purge, e.g. {"type": "count", "count": 3})`);
        return undefined;
      }
      const inner = readTrigger(r, obj['trigger'], child(path, 'trigger'), id, merging, depth + 1);
      return inner === null || inner === undefined ? undefined : { type, trigger: inner };
    }
    default:
      r.issue(child(path, 'type'), `unknown trigger type '${type}' (known: ${TRIGGER_TYPES.join(', ')})`);
      return undefined;
  }
}

/** undefined when invalid (reported), null when absent (no evictor). */
export function readEvictor(r: Reader, value: unknown, path: string, id: string): WindowEvictorSpec | null | undefined {
  if (value === undefined) return null;
  const obj = r.object(value, path, 'an evictor such as {"type": "count", "maxCount": 3}');
  if (obj === null) return undefined;
  const type = r.string(obj, 'type', path);
  if (type === null) return undefined;
  const evictAfter = readEvictAfter(r, obj, path);
  switch (type) {
    case 'count': {
      r.onlyKeys(obj, path, ['type', 'maxCount', 'evictAfter']);
      const maxCount = r.int(obj, 'maxCount', path, { min: 0 });
      return maxCount === null || evictAfter === null ? undefined : { type, maxCount, evictAfter };
    }
    case 'time': {
      r.onlyKeys(obj, path, ['type', 'windowSize', 'evictAfter']);
      const windowSizeMs = r.int(obj, 'windowSize', path, { min: 0 });
      return windowSizeMs === null || evictAfter === null ? undefined : { type, windowSizeMs, evictAfter };
    }
    case 'delta': {
      r.onlyKeys(obj, path, ['type', 'threshold', 'delta', 'evictAfter']);
      const threshold = finiteNumber(r, obj, 'threshold', path);
      const delta = deltaExpression(r, obj, path, id);
      return threshold === null || delta === null || evictAfter === null ? undefined : { type, threshold, delta, evictAfter };
    }
    default:
      r.issue(child(path, 'type'), `unknown evictor type '${type}' (known: ${EVICTOR_TYPES.join(', ')})`);
      return undefined;
  }
}

function readEvictAfter(r: Reader, obj: Obj, path: string): boolean | null {
  const value = obj['evictAfter'];
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  r.issue(child(path, 'evictAfter'), `expected true (evict after the window function) or false (before it, the default), found ${describe(value)}`);
  return null;
}
