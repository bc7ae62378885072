/**
 * The process DSL, typed: how a scenario file writes a Flink KeyedProcessFunction as data.
 * A Java author declares state descriptors in `open()` and writes `processElement` and
 * `onTimer` as code; a scenario declares the same state by name and kind, and writes both
 * methods as lists of actions (set a value, add to a list, register a timer, emit...) whose
 * arguments are expressions. There are no loops except `forEach` over a list, so every
 * handler ends, and a limit on actions per call keeps even a long list bounded.
 *
 * The rules that make a spec meaningful (a declared state, the right kind of state for an
 * action, no record in onTimer) live here, once: the scenario validator reports them with
 * JSON paths, and the interpreter refuses a hand-built spec that breaks them.
 */
import { compileExpression, ExprSyntaxError, type JsonValue } from '../../expr/index.ts';
import type { TtlStateVisibility, TtlUpdateType } from '../../state/index.ts';

/** Flink's keyed state kinds: ValueState, ListState, MapState, ReducingState, AggregatingState. @example const k: StateKind = 'map'; */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';
/** Every state kind. @example STATE_KINDS.includes('map') // true */
export const STATE_KINDS: readonly StateKind[] = ['value', 'list', 'map', 'reducing', 'aggregating'];

/**
 * One declared state. `initial` is what a value state reads as before it is set;
 * `reduce` folds a reducing state, an expression over `a` (the value so far) and `b`
 * (the added value).
 * @example { name: 'total', kind: 'reducing', reduce: 'a + b' }
 */
export type StateSpec = (
  | { readonly name: string; readonly kind: 'value'; readonly initial: JsonValue }
  | { readonly name: string; readonly kind: 'list' }
  | { readonly name: string; readonly kind: 'map' }
  | { readonly name: string; readonly kind: 'reducing'; readonly reduce: string }
  /** An AggregateFunction as data: `initial` is createAccumulator's value, `add` an expression over `acc` and `value`, `result` (getResult) one over `acc`, null for the accumulator itself. */
  | { readonly name: string; readonly kind: 'aggregating'; readonly initial: JsonValue; readonly add: string; readonly result: string | null }
) & {
  /** A time-to-live (Flink's StateTtlConfig), absent for none. */
  readonly ttl?: StateTtlSpec;
};

/**
 * A state's time-to-live as a scenario writes it: `{"ttl": {"time": 60000, "updateType":
 * "OnReadAndWrite", "stateVisibility": "ReturnExpiredIfNotCleanedUp", "cleanupFullSnapshot": true}}`
 * (all but `time` optional, Flink's defaults), or `{"ttl": 60000}`.
 * @example const ttl: StateTtlSpec = { timeMs: 1000, updateType: 'OnCreateAndWrite', stateVisibility: 'NeverReturnExpired', cleanupFullSnapshot: false };
 */
export interface StateTtlSpec {
  readonly timeMs: number;
  readonly updateType: TtlUpdateType;
  readonly stateVisibility: TtlStateVisibility;
  readonly cleanupFullSnapshot: boolean;
  /**
   * Flink's incremental cleanup: the entries checked per state access, and whether also per
   * record; null: none. Absent: Flink's default, 5 per access (cleanup in background is on).
   */
  readonly incrementalCleanup?: { readonly cleanupSize: number; readonly runCleanupForEveryRecord: boolean } | null;
}

/** Event time (fired by watermarks) or processing time (fired by the clock): Flink's TimeDomain. @example const d: TimeDomain = 'event'; */
export type TimeDomain = 'event' | 'processing';
/** Both time domains. @example TIME_DOMAINS.includes('processing') // true */
export const TIME_DOMAINS: readonly TimeDomain[] = ['event', 'processing'];

/**
 * One action. Strings other than state names, tags and domains are expressions.
 * @example { kind: 'timer', domain: 'event', at: '$timestamp + 1000' }
 */
export type ActionSpec =
  | { readonly kind: 'set'; readonly state: string; readonly to: string }
  | { readonly kind: 'add'; readonly state: string; readonly value: string }
  | { readonly kind: 'put'; readonly state: string; readonly key: string; readonly value: string }
  | { readonly kind: 'remove'; readonly state: string; readonly key: string }
  | { readonly kind: 'clear'; readonly state: string }
  | { readonly kind: 'emit'; readonly value: string; readonly timestamp: string | null }
  | { readonly kind: 'sideOutput'; readonly tag: string; readonly value: string }
  | { readonly kind: 'timer'; readonly domain: TimeDomain; readonly at: string }
  | { readonly kind: 'deleteTimer'; readonly domain: TimeDomain; readonly at: string }
  | { readonly kind: 'if'; readonly test: string; readonly then: readonly ActionSpec[]; readonly else: readonly ActionSpec[] }
  | { readonly kind: 'forEach'; readonly items: string; readonly as: string; readonly do: readonly ActionSpec[] }
  /** Flink's applyToKeyedState: `do` runs once per key of the subtask that holds keyed state `state`, with that key current. Only in a keyed broadcast connect's onBroadcastElement. */
  | { readonly kind: 'applyToKeyedState'; readonly state: string; readonly do: readonly ActionSpec[] };

export type ActionKind = ActionSpec['kind'];

/**
 * A keyed process function written as data.
 * @example
 * const counter: ProcessSpec = {
 *   state: [{ name: 'count', kind: 'value', initial: 0 }],
 *   onElement: [
 *     { kind: 'set', state: 'count', to: 'state.count + 1' },
 *     { kind: 'emit', value: '{key: key, count: state.count}', timestamp: null },
 *   ],
 *   onTimer: [],
 * };
 */
export interface ProcessSpec {
  readonly state: readonly StateSpec[];
  readonly onElement: readonly ActionSpec[];
  readonly onTimer: readonly ActionSpec[];
  /** Operator (non-keyed) list states, per subtask; absent: none. */
  readonly operatorState?: readonly OperatorStateSpec[];
}

/**
 * One operator list state of a process function: Flink's CheckpointedFunction asking its
 * OperatorStateStore for `getListState` (mode `split`: on restore the items are dealt out
 * among the new subtasks) or `getUnionListState` (`union`: every new subtask gets them all).
 * The actions treat it as a list state of the subtask, not of a key.
 * @example { name: 'pending', mode: 'split' }
 */
export interface OperatorStateSpec {
  readonly name: string;
  readonly mode: 'split' | 'union';
}

/**
 * What in a process spec needs a keyed stream (keyed state, onTimer, a timer action), or
 * null: without any, it is Flink's ProcessFunction and runs on a stream that is not keyed.
 * @example needsKey({ state: [], onElement: [{ kind: 'timer', domain: 'event', at: '1' }], onTimer: [] }) // 'a timer action (onElement[0])'
 */
export function needsKey(spec: ProcessSpec): string | null {
  if (spec.state.length > 0) return `keyed state ('${spec.state[0]!.name}')`;
  if (spec.onTimer.length > 0) return 'onTimer';
  const timerAt = (actions: readonly ActionSpec[], where: string): string | null => {
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      const at = `${where}[${i}]`;
      if (a.kind === 'timer' || a.kind === 'deleteTimer') return at;
      const nested = a.kind === 'if' ? (timerAt(a.then, `${at}.then`) ?? timerAt(a.else, `${at}.else`)) : a.kind === 'forEach' || a.kind === 'applyToKeyedState' ? timerAt(a.do, `${at}.do`) : null;
      if (nested !== null) return nested;
    }
    return null;
  };
  const at = timerAt(spec.onElement, 'onElement');
  return at === null ? null : `a timer action (${at})`;
}

/** The two handlers: Flink's processElement and onTimer. @example const h: ProcessHandler = 'onTimer'; */
export type ProcessHandler = 'onElement' | 'onTimer';

/**
 * Limits of the DSL: executed actions per call, nesting of if/forEach, written actions, states.
 * @example PROCESS_LIMITS.maxActionsPerCall // 1000
 */
export const PROCESS_LIMITS: Readonly<{ maxActionsPerCall: number; maxNesting: number; maxActionsWritten: number; maxStates: number }> =
  Object.freeze({ maxActionsPerCall: 1000, maxNesting: 16, maxActionsWritten: 10_000, maxStates: 64 });

/**
 * The action verbs, with the JSON fields each takes beside its verb.
 * @example ACTION_FIELDS.put // { required: ['key', 'value'], optional: [] }
 */
export const ACTION_FIELDS: Readonly<Record<ActionKind, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  set: { required: ['to'], optional: [] },
  add: { required: ['value'], optional: [] },
  put: { required: ['key', 'value'], optional: [] },
  remove: { required: ['key'], optional: [] },
  clear: { required: [], optional: [] },
  emit: { required: [], optional: ['timestamp'] },
  sideOutput: { required: ['value'], optional: [] },
  timer: { required: ['at'], optional: [] },
  deleteTimer: { required: ['at'], optional: [] },
  if: { required: ['then'], optional: ['else'] },
  forEach: { required: ['do'], optional: ['as'] },
  applyToKeyedState: { required: ['do'], optional: [] },
};
/** The verbs, in the order messages list them. @example ACTION_KINDS[0] // 'set' */
export const ACTION_KINDS = Object.keys(ACTION_FIELDS) as ActionKind[];

/**
 * Which kinds of state each state action works on, as Flink's state interfaces allow.
 * @example STATE_ACTIONS.add // ['list', 'reducing', 'aggregating']
 */
export const STATE_ACTIONS: Readonly<Record<'set' | 'add' | 'put' | 'remove' | 'clear', readonly StateKind[]>> = {
  set: ['value', 'list'], // ValueState.update, ListState.update
  add: ['list', 'reducing', 'aggregating'], // ListState.add, ReducingState.add, AggregatingState.add
  put: ['map'],
  remove: ['map'],
  clear: STATE_KINDS,
};

/** What each kind of state takes, for messages. */
const KIND_TAKES: Readonly<Record<StateKind, string>> = {
  value: 'set and clear',
  list: 'add, set and clear',
  map: 'put, remove and clear',
  reducing: 'add and clear',
  aggregating: 'add and clear',
};

/**
 * The names every expression of a handler sees besides the record.
 * @example HANDLER_BINDINGS.onTimer // ['state', 'key', 'watermark', 'now', 'timer']
 */
export const HANDLER_BINDINGS: Readonly<Record<ProcessHandler, readonly string[]>> = {
  onElement: ['state', 'key', 'watermark', 'now'],
  onTimer: ['state', 'key', 'watermark', 'now', 'timer'],
};

/** A reduce expression sees the value so far and the added value, nothing else. @example compileExpression('a + b', { bindings: REDUCE_BINDINGS }) */
export const REDUCE_BINDINGS: readonly string[] = ['a', 'b'];

/** An aggregating state's `add` sees the accumulator and the added value; its `result` the accumulator only. @example AGGREGATE_BINDINGS.add // ['acc', 'value'] */
export const AGGREGATE_BINDINGS: Readonly<{ add: readonly string[]; result: readonly string[] }> = { add: ['acc', 'value'], result: ['acc'] };

/**
 * Why an aggregating state's `add` or `result` expression cannot be used, or null.
 * @example aggregateProblem('acc + x', 'add') // "an add expression sees only acc (the accumulator) and value (the added value), not 'x'"
 */
export function aggregateProblem(source: string, part: 'add' | 'result'): string | null {
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings: AGGREGATE_BINDINGS[part] }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (fields.length === 0) return null;
  const sees = part === 'add' ? 'acc (the accumulator) and value (the added value)' : 'acc (the accumulator)';
  return `an ${part} expression sees only ${sees}, not ${fields.map((f) => `'${f}'`).join(', ')}`;
}

/** The name a forEach gives each item when it does not say (`"as"`). @example {"forEach": "state.recent", "do": [{"emit": "item"}]} */
export const DEFAULT_ITEM_NAME = 'item';

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Whether `name` can be a state name or a forEach item name (readable as `state.name` or `name`).
 * @example isPlainName('lastSeen') // true; isPlainName('last-seen') // false
 */
export function isPlainName(name: string): boolean {
  return PLAIN_NAME.test(name) && name !== '__proto__' && name !== 'true' && name !== 'false' && name !== 'null';
}

/**
 * Why a state action cannot use the state `name`, or null when it can. `known` are the
 * names to list when it is not declared (default: the keys of `states`).
 * @example stateUseProblem('put', 'count', new Map([['count', 'value']])) // "'put' works on map state, but 'count' is a value state (a value state takes set and clear)"
 */
export function stateUseProblem(
  kind: keyof typeof STATE_ACTIONS,
  name: string,
  states: ReadonlyMap<string, StateKind>,
  known: readonly string[] = [...states.keys()],
): string | null {
  const declared = states.get(name);
  if (declared === undefined) {
    return `state '${name}' is not declared (${known.length === 0 ? 'the operator declares no state' : `declared: ${known.join(', ')}`})`;
  }
  const allowed = STATE_ACTIONS[kind];
  if (allowed.includes(declared)) return null;
  return `'${kind}' works on ${orList(allowed)} state, but '${name}' is a ${declared} state (a ${declared} state takes ${KIND_TAKES[declared]})`;
}

/** "a", "a or b", "a, b or c". */
function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]!}`;
}

/**
 * Why an expression of `handler` cannot be used, or null: it does not parse, or in onTimer
 * it reads a record field (onTimer has no record, as Flink's onTimer has no element).
 * @example expressionProblem('count + 1', 'onTimer', []) // "onTimer has no record, so 'count' is not in scope (...)"
 */
export function expressionProblem(source: string, handler: ProcessHandler, itemNames: readonly string[]): string | null {
  const bindings = [...HANDLER_BINDINGS[handler], ...itemNames];
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (handler === 'onTimer' && fields.length > 0) {
    const names = fields.map((f) => `'${f}'`).join(', ');
    return `onTimer has no record, so ${names} ${fields.length === 1 ? 'is' : 'are'} not in scope (onTimer sees ${bindings.join(', ')}; keep what a timer needs in state)`;
  }
  return null;
}

/**
 * Why a reduce expression cannot be used, or null.
 * @example reduceProblem('a + x') // "a reduce expression sees only a (the value so far) and b (the added value), not 'x'"
 */
export function reduceProblem(source: string): string | null {
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings: REDUCE_BINDINGS }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (fields.length === 0) return null;
  return `a reduce expression sees only a (the value so far) and b (the added value), not ${fields.map((f) => `'${f}'`).join(', ')}`;
}

/**
 * Why `name` cannot name a forEach item inside `enclosing` item names, or null.
 * @example itemNameProblem('key', []) // "'key' is already a binding (state, key, ...); choose another name"
 */
export function itemNameProblem(name: string, enclosing: readonly string[]): string | null {
  if (!isPlainName(name)) return `an item name is a plain name (letters, digits, '_'), found ${JSON.stringify(name)}`;
  if (HANDLER_BINDINGS.onTimer.includes(name)) return `'${name}' is already a binding (${HANDLER_BINDINGS.onTimer.join(', ')}); choose another name`;
  if (enclosing.includes(name)) return `'${name}' already names the item of an enclosing forEach; choose another name`;
  return null;
}
