/**
 * Validation of the two-input operators, `connect` and `intervalJoin` (docs/two-inputs.md).
 * Both read exactly two inputs and key them with their own `key` list. A connect's
 * handlers are process actions (read by read-process.ts, so every rule of docs/process.md
 * holds), plus the rules Flink enforces at run time, caught here before the job starts:
 * keyed state and timers need a keyed connect, and broadcast state is written only on the
 * broadcast side. An interval join needs its bounds, lower at most upper.
 */
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import {
  intervalBoundsProblem,
  selectProblem,
  windowJoinExpressionProblem,
  type BroadcastConnectSpec,
  type CoProcessSpec,
} from '../../operators/index.ts';
import { readHandler, readStateDeclarations, type StateDeclarations } from './read-process.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import { JOIN_WINDOW_FIELDS, readJoinWindowFields } from './read-window.ts';
import type { CoGroupSpec, ConnectSpec, IntervalJoinSpec, WindowJoinSpec } from './types.ts';

/** The fields of a connect beside id, type, name, parallelism, input, throughput. */
export const CONNECT_FIELDS: readonly string[] = ['key', 'state', 'broadcastState', 'onElement1', 'onElement2', 'onElement', 'onBroadcastElement', 'onTimer'];
/** The fields of an interval join beside the common ones. */
export const INTERVAL_JOIN_FIELDS: readonly string[] = ['key', 'between', 'select', 'lateOutput'];

/** The fields of a window join and a coGroup beside the common ones (and their windowing, JOIN_WINDOW_FIELDS). */
export const WINDOW_JOIN_FIELDS: readonly string[] = ['key', 'select', ...JOIN_WINDOW_FIELDS];
export const CO_GROUP_FIELDS: readonly string[] = ['key', 'apply', ...JOIN_WINDOW_FIELDS];

/** The default `select` of an interval join: both sides, as Flink training's joins emit them. */
export const DEFAULT_JOIN_SELECT = '{left: left, right: right}';

type Base = Pick<ConnectSpec, 'id' | 'name' | 'parallelism' | 'throughput' | 'bufferTimeout' | 'path'>;

/**
 * `input`: a list of exactly two operator ids.
 * @example readTwoInputs(r, obj, path, 'connect') // ['rides', 'fares']
 */
export function readTwoInputs(r: Reader, obj: Obj, path: string, type: string): [string, string] | null {
  const raw = obj['input'];
  if (!Array.isArray(raw) || raw.length !== 2 || !raw.every((x) => typeof x === 'string' && x.length > 0)) {
    const found = Array.isArray(raw) ? `a list of ${raw.length} ${raw.length === 1 ? 'entry' : 'entries'}` : describe(raw);
    r.issue(child(path, "input"), `${type === "intervalJoin" ? "an" : "a"} ${type} reads exactly two inputs, a list of two operator ids such as ["rides", "fares"]; found ${found}`);
    return null;
  }
  return [raw[0] as string, raw[1] as string];
}

function readKeyExpression(r: Reader, value: unknown, path: string, id: string): string | null {
  if (typeof value !== 'string' || value.length === 0) {
    r.issue(path, `expected a key expression (a non-empty string), found ${describe(value)}`);
    return null;
  }
  try {
    compileExpression(value);
    return value;
  } catch (e) {
    if (e instanceof ExprSyntaxError) {
      r.issue(path, `operator '${id}': expression does not parse: ${e.message}`);
      return null;
    }
    throw e;
  }
}

/** `key`: a list of two expressions, one per input. */
function readKeyPair(r: Reader, value: unknown, path: string, id: string, what: string): [string, string] | null {
  if (!Array.isArray(value) || value.length !== 2) {
    r.issue(path, `${what} keys both inputs: give a list of two key expressions, one per input, such as ["rideId", "rideId"]; found ${Array.isArray(value) ? `a list of ${value.length}` : describe(value)}`);
    return null;
  }
  const one = readKeyExpression(r, value[0], child(path, 0), id);
  const two = readKeyExpression(r, value[1], child(path, 1), id);
  return one === null || two === null ? null : [one, two];
}

/**
 * Reads a connect; every mistake becomes an issue of `r`.
 * @example readConnect(r, { type: 'connect', input: ['a', 'b'], key: ['k', 'k'], onElement1: [], onElement2: [] }, path, base)
 */
export function readConnect(r: Reader, obj: Obj, path: string, base: Base): ConnectSpec | null {
  const before = r.issues.length;
  const inputs = readTwoInputs(r, obj, path, 'connect');
  const id = base.id;
  const broadcast = obj['broadcastState'] !== undefined;
  let keys: ConnectSpec['keys'] = null;
  if (obj['key'] !== undefined) {
    if (broadcast) {
      if (typeof obj['key'] !== 'string') r.issue(child(path, 'key'), `a broadcast connect keys only its first input (the broadcast side has no key): give one key expression, found ${describe(obj['key'])}`);
      else {
        const key = readKeyExpression(r, obj['key'], child(path, 'key'), id);
        if (key !== null) keys = [key];
      }
    } else keys = readKeyPair(r, obj['key'], child(path, 'key'), id, 'a connect');
  }
  const keyed = obj['key'] !== undefined;
  const declarations = readStateDeclarations(r, obj['state'], child(path, 'state'), id);
  if (!keyed && obj['state'] !== undefined) {
    r.issue(child(path, 'state'), `operator '${id}': keyed state needs a keyed connect: give "key" (Flink's CoProcessFunction has no keyed state)`);
  }
  if (!keyed && obj['onTimer'] !== undefined) {
    r.issue(child(path, 'onTimer'), `operator '${id}': timers need a keyed connect: give "key" (Flink: "Setting timers is only supported on a keyed streams.")`);
  }
  const fn = broadcast ? readBroadcastHandlers(r, obj, path, id, keyed, declarations) : readCoHandlers(r, obj, path, id, keyed, declarations);
  if (!keyed) for (const handler of broadcast ? ['onElement'] : ['onElement1', 'onElement2']) reportTimers(r, obj[handler], child(path, handler), id);
  // Keyed or not, the broadcast side has no timer service (it has no current key).
  if (broadcast) reportTimers(r, obj['onBroadcastElement'], child(path, 'onBroadcastElement'), id, 'the broadcast side has no timers: a broadcast element has no key (Flink\'s processBroadcastElement context has no timer service)');
  if (r.issues.length > before || inputs === null || fn === null) return null;
  return { ...base, type: 'connect', inputs, keys, function: fn };
}

function readCoHandlers(r: Reader, obj: Obj, path: string, id: string, keyed: boolean, declarations: StateDeclarations): ConnectSpec['function'] | null {
  for (const field of ['onElement', 'onBroadcastElement']) {
    if (obj[field] !== undefined) r.issue(child(path, field), `'${field}' belongs to a broadcast connect (one with "broadcastState"); this connect has onElement1 and onElement2`);
  }
  const onElement1 = readHandler(r, obj, 'onElement1', path, id, 'onElement', declarations, true);
  const onElement2 = readHandler(r, obj, 'onElement2', path, id, 'onElement', declarations, true);
  const onTimer = keyed ? readHandler(r, obj, 'onTimer', path, id, 'onTimer', declarations, false) : [];
  const spec: CoProcessSpec = { keyed, state: declarations.states, onElement1, onElement2, onTimer };
  return { kind: 'co-process', spec };
}

function readBroadcastHandlers(r: Reader, obj: Obj, path: string, id: string, keyed: boolean, declarations: StateDeclarations): ConnectSpec['function'] | null {
  for (const field of ['onElement1', 'onElement2']) {
    if (obj[field] !== undefined) r.issue(child(path, field), `a broadcast connect has onElement (its first input) and onBroadcastElement (the broadcast input), not '${field}'`);
  }
  const names = readBroadcastStateNames(r, obj['broadcastState'], child(path, 'broadcastState'), declarations);
  if (names === null) return null;
  // Broadcast states are map states to the actions: the same verbs, and a state block of both kinds.
  const maps = new Map(declarations.kinds);
  for (const name of names) maps.set(name, 'map');
  const all: StateDeclarations = { ...declarations, kinds: maps, declared: [...declarations.declared, ...names], visit: "applyToKeyedState is for the broadcast side (onBroadcastElement): here an element's key is current, so its state is read and written directly" };
  // Flink's processBroadcastElement has no current key, so keyed state cannot be read there
  // (only applyToKeyedState visits it); say so rather than "not declared".
  const keyedOnly = new Map(declarations.declared.filter((n) => !names.includes(n)).map((n) => [n, `is keyed state, which the broadcast side reaches only through {"applyToKeyedState": "${n}", "do": [...]}: a broadcast element has no key`] as const));
  const visit = keyed ? declarations : 'applyToKeyedState needs a keyed broadcast connect: give "key" (Flink\'s BroadcastProcessFunction has no keyed state to visit)';
  const broadcastOnly: StateDeclarations = { states: [], kinds: new Map(names.map((n) => [n, 'map'] as const)), broken: new Set(), declared: names, unavailable: keyedOnly, visit };
  const onElement = readHandler(r, obj, 'onElement', path, id, 'onElement', all, true);
  const onBroadcastElement = readHandler(r, obj, 'onBroadcastElement', path, id, 'onElement', broadcastOnly, true);
  const onTimer = keyed ? readHandler(r, obj, 'onTimer', path, id, 'onTimer', all, false) : [];
  for (const handler of ['onElement', 'onTimer']) reportBroadcastWrites(r, obj[handler], child(path, handler), id, new Set(names));
  const spec: BroadcastConnectSpec = { keyed, state: declarations.states, broadcastState: names, onElement, onBroadcastElement, onTimer };
  return { kind: 'broadcast', spec };
}

/** `broadcastState`: {NAME: {"type": "map"}}, Flink's MapStateDescriptors; names not shared with keyed state. */
function readBroadcastStateNames(r: Reader, value: unknown, path: string, declarations: StateDeclarations): string[] | null {
  const obj = r.object(value, path, 'an object of broadcast states, e.g. {"rules": {"type": "map"}}');
  if (obj === null) return null;
  const names: string[] = [];
  const before = r.issues.length;
  for (const name of Object.keys(obj)) {
    const at = child(path, name);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || ['__proto__', 'true', 'false', 'null'].includes(name)) {
      r.issue(at, `a broadcast state name is a plain name (letters, digits, '_', not starting with a digit) so that expressions can read it as state.NAME, found ${JSON.stringify(name)}`);
      continue;
    }
    if (declarations.declared.includes(name)) {
      r.issue(at, `'${name}' names a keyed state already; broadcast and keyed state share the names expressions read (state.${name}): choose another name`);
      continue;
    }
    const decl = r.object(obj[name], at, 'a broadcast state declaration, {"type": "map"}');
    if (decl === null) continue;
    r.onlyKeys(decl, at, ['type']);
    if (decl['type'] !== 'map') r.issue(child(at, 'type'), `broadcast state is a map (Flink's broadcast state takes a MapStateDescriptor): write {"type": "map"}, found ${describe(decl['type'])}`);
    names.push(name);
  }
  if (Object.keys(obj).length === 0) r.issue(path, 'a broadcast connect declares at least one broadcast state, e.g. {"rules": {"type": "map"}}');
  return r.issues.length > before ? null : names;
}

const STATE_WRITES = ['set', 'add', 'put', 'remove', 'clear'];

/** Calls `visit` for every action object in a raw action list, nested ones included. */
function walkActions(value: unknown, path: string, visit: (action: Obj, path: string) => void, depth = 0): void {
  if (!Array.isArray(value) || depth > 64) return;
  value.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    const action = raw as Obj;
    const at = child(path, i);
    visit(action, at);
    for (const nested of ['then', 'else', 'do']) walkActions(action[nested], child(at, nested), visit, depth + 1);
  });
}

/** A write to broadcast state outside onBroadcastElement: Flink's ReadOnlyBroadcastState refuses it. */
function reportBroadcastWrites(r: Reader, value: unknown, path: string, id: string, names: ReadonlySet<string>): void {
  walkActions(value, path, (action, at) => {
    for (const verb of STATE_WRITES) {
      const name = action[verb];
      if (typeof name !== 'string' || !names.has(name)) continue;
      r.issue(
        child(at, verb),
        `operator '${id}': broadcast state '${name}' is read-only on the non-broadcast side (Flink's ReadOnlyBroadcastState): only onBroadcastElement may ${verb} it, so that every subtask's copy stays the same`,
      );
    }
  });
}

/** A timer action in an unkeyed connect: there is no key to scope it to. */
function reportTimers(r: Reader, value: unknown, path: string, id: string, why = 'timers need a keyed connect: give "key" (Flink: "Setting timers is only supported on a keyed streams.")'): void {
  walkActions(value, path, (action, at) => {
    for (const verb of ['timer', 'deleteTimer']) {
      if (action[verb] === undefined) continue;
      r.issue(child(at, verb), `operator '${id}': ${why}`);
    }
  });
}

/**
 * Reads an interval join.
 * @example readIntervalJoin(r, { type: 'intervalJoin', input: ['a', 'b'], key: ['k', 'k'], between: { lower: -5, upper: 5 } }, path, base)
 */
export function readIntervalJoin(r: Reader, obj: Obj, path: string, base: Base): IntervalJoinSpec | null {
  const before = r.issues.length;
  const id = base.id;
  const inputs = readTwoInputs(r, obj, path, 'intervalJoin');
  const keys = obj['key'] === undefined ? (r.issue(child(path, 'key'), `missing required field 'key': an interval join joins equal keys of two keyed inputs, such as ["rideId", "rideId"]`), null) : readKeyPair(r, obj['key'], child(path, 'key'), id, 'an interval join');
  const bounds = readBetween(r, obj['between'], child(path, 'between'), id);
  let select = DEFAULT_JOIN_SELECT;
  if (obj['select'] !== undefined) {
    if (typeof obj['select'] !== 'string' || obj['select'].length === 0) r.issue(child(path, 'select'), `expected an expression (a non-empty string), found ${describe(obj['select'])}`);
    else {
      const problem = selectProblem(obj['select']);
      if (problem !== null) r.issue(child(path, 'select'), `operator '${id}': ${problem}`);
      select = obj['select'];
    }
  }
  const lateOutput = readLateOutput(r, obj['lateOutput'], child(path, 'lateOutput'));
  if (r.issues.length > before || inputs === null || keys === null || bounds === null) return null;
  return { ...base, type: 'intervalJoin', inputs, keys, bounds, select, lateOutput };
}

/**
 * Reads a window join or a coGroup: two inputs, their keys, the windowing of a `window`
 * operator, and the `select` (per pair; default both sides) or `apply` (per window, a list).
 * @example readWindowJoin(r, { type: 'windowJoin', input: ['a', 'b'], key: ['k', 'k'], assigner: { type: 'tumbling', size: 1000 } }, path, base, 'windowJoin')
 */
export function readWindowJoin(r: Reader, obj: Obj, path: string, base: Base, type: 'windowJoin' | 'coGroup'): WindowJoinSpec | CoGroupSpec | null {
  const before = r.issues.length;
  const id = base.id;
  const what = type === 'windowJoin' ? 'a window join' : 'a coGroup';
  const inputs = readTwoInputs(r, obj, path, type);
  const keys =
    obj['key'] === undefined
      ? (r.issue(child(path, 'key'), `missing required field 'key': ${what} groups equal keys of its two inputs, one key expression per input, such as ["orderId", "orderId"]`), null)
      : readKeyPair(r, obj['key'], child(path, 'key'), id, what);
  const window = readJoinWindowFields(r, obj, path, id, type);
  const field = type === 'windowJoin' ? 'select' : 'apply';
  let expr: string | null = type === 'windowJoin' ? DEFAULT_JOIN_SELECT : null;
  if (obj[field] === undefined) {
    if (type === 'coGroup') r.issue(child(path, 'apply'), `missing required field 'apply': an expression over left and right (the lists of each side's elements in the window), key and window, giving the list of records to emit, such as "[{key: key, orders: len(left), payments: len(right)}]"`);
  } else if (typeof obj[field] !== 'string' || obj[field].length === 0) {
    r.issue(child(path, field), `expected an expression (a non-empty string), found ${describe(obj[field])}`);
  } else {
    const problem = windowJoinExpressionProblem(obj[field], field);
    if (problem !== null) r.issue(child(path, field), `operator '${id}': ${problem}`);
    expr = obj[field];
  }
  if (r.issues.length > before || inputs === null || keys === null || window === null || expr === null) return null;
  if (type === 'windowJoin') return { ...base, type, inputs, keys, window, select: expr };
  return { ...base, type, inputs, keys, window, apply: expr };
}

function readBetween(r: Reader, value: unknown, path: string, id: string): IntervalJoinSpec['bounds'] | null {
  if (value === undefined) {
    r.issue(path, `missing required field 'between': an interval join needs its bounds, {"lower": ms, "upper": ms}: a right element joins a left one at t when its timestamp is in [t + lower, t + upper]`);
    return null;
  }
  const obj = r.object(value, path, 'the bounds {"lower": ms, "upper": ms, "lowerExclusive"?: bool, "upperExclusive"?: bool}');
  if (obj === null) return null;
  r.onlyKeys(obj, path, ['lower', 'upper', 'lowerExclusive', 'upperExclusive']);
  const lower = r.int(obj, 'lower', path, {});
  const upper = r.int(obj, 'upper', path, {});
  const flag = (key: string): boolean => {
    const v = obj[key];
    if (v === undefined) return false;
    if (typeof v !== 'boolean') r.issue(child(path, key), `expected true or false, found ${describe(v)}`);
    return v === true;
  };
  const lowerExclusive = flag('lowerExclusive');
  const upperExclusive = flag('upperExclusive');
  if (lower === null || upper === null) return null;
  const problem = intervalBoundsProblem(lower, upper);
  if (problem !== null) {
    r.issue(child(path, 'lower'), `operator '${id}': ${problem}`);
    return null;
  }
  return { lowerMs: lower, upperMs: upper, lowerInclusive: !lowerExclusive, upperInclusive: !upperExclusive };
}

function readLateOutput(r: Reader, value: unknown, path: string): IntervalJoinSpec['lateOutput'] {
  const none = { left: null, right: null };
  if (value === undefined) return none;
  const obj = r.object(value, path, 'side-output tags for late elements, {"left": TAG, "right": TAG}');
  if (obj === null) return none;
  r.onlyKeys(obj, path, ['left', 'right']);
  const tag = (key: string): string | null => (obj[key] === undefined ? null : r.string(obj, key, path));
  return { left: tag('left'), right: tag('right') };
}

