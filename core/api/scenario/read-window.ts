/**
 * The `window` operator's fields: the assigner (which windows), the trigger (when they
 * fire), the aggregate (what a firing emits), and how late data is treated. Each mistake
 * is reported at its JSON path with what Flink would have said when the job was built
 * (a tumbling offset that is not smaller than the size, a session without a gap), so a
 * teacher finds it before the run rather than as a failure halfway through it.
 */
import { MAX_TIME_MS, type JsonValue } from '../../model/index.ts';
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import { AGGREGATE_FUNCTION_FIELDS, AGGREGATE_KINDS, aggregateFunctionProblem, EXTREMUM_BY_KINDS, type AggregateFunctionSpec } from '../../operators/index.ts';
import { readAssigner } from './read-window-assigner.ts';
import { readEvictor, readTrigger } from './read-window-trigger.ts';
import { child, type Obj, type Reader } from './reader.ts';
import type { WindowAssignerSpec } from '../../operators/index.ts';
import type { ScenarioAggregateSpec, ScenarioJoinWindowConfig, ScenarioWindowConfig } from './types.ts';

/** The fields a `window` operator has besides the common ones (id, type, name, input, ...). */
export const WINDOW_FIELDS = ['assigner', 'aggregate', 'trigger', 'evictor', 'process', 'allowedLateness', 'lateOutput'] as const;

/** The windowing fields of a `windowJoin` or `coGroup`. */
export const JOIN_WINDOW_FIELDS = ['assigner', 'trigger', 'evictor', 'allowedLateness'] as const;

/** The names a `process` expression reads besides the result's own fields (a windowAll has no key). */
export const PROCESS_BINDINGS = { window: ['key', 'window', 'result'], windowAll: ['window', 'result'] } as const;

/**
 * Reads and checks the window fields of operator `id` (the object at `path`; `all`: a
 * windowAll, whose results have no key). Returns the operator's config, or null after
 * reporting every problem through `r`.
 * @example
 * const config = readWindowFields(r, { id: 'w', type: 'window', input: 'k',
 *   assigner: { type: 'tumbling', size: 1000 }, aggregate: { sum: 'amount' } }, '$.job.operators[2]', 'w');
 */
export function readWindowFields(r: Reader, obj: Obj, path: string, id: string, all = false): ScenarioWindowConfig | null {
  const before = r.issues.length;
  const { config: windowing, assigner } = readWindowing(r, obj, path, id);
  const merging = assigner?.type === 'session' || assigner?.type === 'dynamic-session';
  const aggregate = readAggregate(r, obj['aggregate'], child(path, 'aggregate'), id, merging);
  const process = readProcess(r, obj, path, id, all);
  const lateOutputTag = obj['lateOutput'] === undefined ? null : r.string(obj, 'lateOutput', path);
  if (assigner !== null && lateOutputTag !== null && (assigner.type === 'global' || assigner.time === 'processing')) {
    r.issue(child(path, 'lateOutput'), `operator '${id}': ${noLateData(assigner)} has no late data, so its late side output would always be empty`);
  }
  if (r.issues.length > before || windowing === null || aggregate === null || process === undefined) return null;
  return { ...windowing, aggregate, lateOutputTag, ...(process === null ? {} : { process }) };
}

/**
 * The windowing fields of a `windowJoin` or `coGroup` (operator `id` at `path`): assigner,
 * trigger, evictor and allowed lateness, as a window has them. A join has no late side
 * output in Flink, so `lateOutput` gets its own message rather than "unknown field".
 */
export function readJoinWindowFields(r: Reader, obj: Obj, path: string, id: string, type: 'windowJoin' | 'coGroup'): ScenarioJoinWindowConfig | null {
  const instead = type === 'windowJoin' ? `its "select" makes one record of each pair` : `its "apply" makes the records of each key and window`;
  for (const field of ['aggregate', 'process']) {
    if (obj[field] !== undefined) r.issue(child(path, field), `operator '${id}': a ${type} has no '${field}' (a window's field): ${instead}`);
  }
  if (obj['lateOutput'] !== undefined) {
    r.issue(child(path, 'lateOutput'), `operator '${id}': a window join has no late side output (Flink's JoinedStreams and CoGroupedStreams have none): its late elements are dropped and counted; an intervalJoin has one`);
  }
  return readWindowing(r, obj, path, id).config;
}

function noLateData(assigner: WindowAssignerSpec): string {
  return assigner.type === 'global' ? 'the global window (a count window)' : 'a processing-time window';
}

/** Assigner, trigger, evictor and allowed lateness (null after reporting every problem), and the assigner if it alone was right. */
function readWindowing(r: Reader, obj: Obj, path: string, id: string): { config: ScenarioJoinWindowConfig | null; assigner: WindowAssignerSpec | null } {
  const before = r.issues.length;
  const read = readAssigner(r, obj['assigner'], child(path, 'assigner'), id);
  const assigner = read?.assigner ?? null;
  const merging = assigner?.type === 'session' || assigner?.type === 'dynamic-session';
  const trigger = readTrigger(r, obj['trigger'], child(path, 'trigger'), id, merging);
  const evictor = readEvictor(r, obj['evictor'], child(path, 'evictor'), id);
  const allowedLatenessMs = r.int(obj, 'allowedLateness', path, { min: 0, max: MAX_TIME_MS }, 0);
  if (assigner !== null && (assigner.type === 'global' || assigner.time === 'processing') && allowedLatenessMs !== null && allowedLatenessMs > 0) {
    r.issue(child(path, 'allowedLateness'), `operator '${id}': allowed lateness applies to event-time windows; ${noLateData(assigner)} has no late data`);
  }
  if (r.issues.length > before || read === null || trigger === undefined || evictor === undefined || allowedLatenessMs === null) return { config: null, assigner };
  // An explicit trigger or evictor replaces the one a count window implies, as in Flink.
  const config: ScenarioJoinWindowConfig = { assigner: read.assigner, trigger: trigger ?? read.trigger ?? null, allowedLatenessMs };
  const withEvictor = evictor ?? read.evictor;
  return { config: withEvictor === undefined ? config : { ...config, evictor: withEvictor }, assigner };
}

/** Flink's ProcessWindowFunction after an incremental aggregate, as an expression; undefined when invalid, null when absent. */
function readProcess(r: Reader, obj: Obj, path: string, id: string, all: boolean): string | null | undefined {
  if (obj['process'] === undefined) return null;
  const src = r.string(obj, 'process', path);
  if (src === null) return undefined;
  try {
    compileExpression(src, { bindings: all ? PROCESS_BINDINGS.windowAll : PROCESS_BINDINGS.window });
  } catch (e) {
    if (!(e instanceof ExprSyntaxError)) throw e;
    r.issue(child(path, 'process'), `operator '${id}': the process expression does not parse: ${e.message}`);
    return undefined;
  }
  return src;
}

function readAggregate(r: Reader, value: unknown, path: string, id: string, merging: boolean): ScenarioAggregateSpec | null {
  const known = `known: "count", {"sum": expr}, {"min": expr}, {"max": expr}, {"avg": expr}, "collect", {"maxBy": expr}, {"minBy": expr}, {"initial": value, "add": expr, "merge": expr, "result": expr}`;
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
  if (keys.some((k) => (AGGREGATE_FUNCTION_FIELDS as readonly string[]).includes(k))) return readAggregateFunction(r, obj, path, id, merging);
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

/**
 * Flink's AggregateFunction as data: `initial` (createAccumulator's value) and `add` are
 * required; `merge` is required where windows merge, as Flink's session windows call it;
 * `result` defaults to the accumulator itself.
 */
function readAggregateFunction(r: Reader, obj: Obj, path: string, id: string, merging: boolean): AggregateFunctionSpec | null {
  const before = r.issues.length;
  r.onlyKeys(obj, path, AGGREGATE_FUNCTION_FIELDS);
  if (obj['initial'] === undefined) {
    r.issue(child(path, 'initial'), `operator '${id}': missing required field 'initial', the accumulator each window starts from (Flink's createAccumulator), e.g. 0 or {"sum": 0, "n": 0}; write null if 'add' handles a null acc`);
  }
  const part = (name: 'add' | 'merge' | 'result'): string | null | undefined => {
    if (obj[name] === undefined) return null;
    const source = r.string(obj, name, path);
    if (source === null) return undefined;
    const problem = aggregateFunctionProblem(source, name);
    if (problem === null) return source;
    r.issue(child(path, name), `operator '${id}': ${problem}`);
    return undefined;
  };
  const add = part('add');
  const merge = part('merge');
  const result = part('result');
  if (add === null) r.issue(child(path, 'add'), `operator '${id}': missing required field 'add', an expression that folds an element into the accumulator (acc; the element is value, or its fields), e.g. "acc + amount"`);
  if (merge === null && merging) {
    r.issue(child(path, 'merge'), `operator '${id}': session windows merge, so their aggregate function needs 'merge' (Flink's AggregateFunction.merge), an expression over a and b, the two sessions' accumulators, e.g. "a + b"`);
  }
  if (r.issues.length > before || add == null || merge === undefined || result === undefined) return null;
  return { kind: 'function', initial: obj['initial'] as JsonValue, add, merge, result };
}
