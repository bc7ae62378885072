/**
 * Validation of a `process` operator: its declared state and its two lists of actions,
 * `onElement` and `onTimer`. A keyed process function is the most program-like thing a
 * scenario can hold, so its mistakes are the ones most worth catching before the job runs:
 * an action on a state that was never declared, a `put` on a value state, an expression
 * that does not parse, an onTimer that reads a record it does not have. Each is reported
 * with the JSON path of the exact field, all at once, as the rest of the validator does.
 */
import {
  aggregateProblem,
  ACTION_FIELDS,
  ACTION_KINDS,
  DEFAULT_ITEM_NAME,
  expressionProblem,
  isPlainName,
  itemNameProblem,
  PROCESS_LIMITS,
  reduceProblem,
  STATE_ACTIONS,
  STATE_KINDS,
  stateUseProblem,
  TIME_DOMAINS,
  type ActionKind,
  type OperatorStateSpec,
  type ActionSpec,
  type ProcessHandler,
  type ProcessSpec,
  type StateKind,
  type StateSpec,
  type TimeDomain,
} from '../../operators/index.ts';
import { bindingMembers } from '../../expr/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import { readStateTtl } from './read-state-ttl.ts';

/**
 * The fields a `process` operator has beside id, type, name, parallelism, input, throughput.
 * @example r.onlyKeys(obj, path, [...COMMON, ...PROCESS_FIELDS]);
 */
export const PROCESS_FIELDS: readonly string[] = ['state', 'operatorState', 'onElement', 'onTimer'];

/** What reading one handler needs to know. */
interface Scope {
  readonly id: string;
  readonly handler: ProcessHandler;
  readonly kinds: ReadonlyMap<string, StateKind>;
  /** Declared states whose declaration has a mistake: already reported, not "undeclared". */
  readonly broken: ReadonlySet<string>;
  /** Every name under `state`, valid or not, for "declared: ..." in messages. */
  readonly declared: readonly string[];
  /** States that exist but cannot be used in this handler, with the reason. */
  readonly unavailable: ReadonlyMap<string, string>;
  /** The keyed states an applyToKeyedState may visit here, or why there is none. */
  readonly visit: StateDeclarations | string;
  /** Actions read so far in this handler. */
  written: number;
}

const NO_VISIT_HERE = "applyToKeyedState belongs in the onBroadcastElement of a keyed broadcast connect (Flink's KeyedBroadcastProcessFunction.Context): it visits every key's state when a broadcast element arrives";

/**
 * Reads `state`, `onElement` and `onTimer` of the process operator `id` at `path`; every
 * mistake becomes an issue of `r`. Returns null when there was one.
 * @example
 * const spec = readProcessFields(r, { type: 'process', onElement: [{ emit: '$' }] }, '$.job.operators[2]', 'alerts');
 * // { state: [], onElement: [{ kind: 'emit', value: '$', timestamp: null }], onTimer: [] }
 */
export function readProcessFields(r: Reader, obj: Obj, path: string, id: string): ProcessSpec | null {
  const before = r.issues.length;
  const keyed = readStateDeclarations(r, obj['state'], child(path, 'state'), id);
  const operatorState = readOperatorStates(r, obj['operatorState'], child(path, 'operatorState'), keyed);
  // Operator lists are list states to the actions: the same verbs, one namespace of names.
  const declarations: StateDeclarations = {
    ...keyed,
    kinds: new Map([...keyed.kinds, ...operatorState.states.map((l) => [l.name, 'list'] as const)]),
    broken: new Set([...keyed.broken, ...operatorState.broken]),
    declared: [...keyed.declared, ...operatorState.declared],
  };
  const onElement = readHandler(r, obj, 'onElement', path, id, 'onElement', declarations, true);
  const onTimer = readHandler(r, obj, 'onTimer', path, id, 'onTimer', declarations, false);
  if (r.issues.length > before) return null;
  return operatorState.states.length === 0 ? { state: keyed.states, onElement, onTimer } : { state: keyed.states, onElement, onTimer, operatorState: operatorState.states };
}

const OPERATOR_STATE_TYPES: Readonly<Record<string, OperatorStateSpec['mode']>> = { list: 'split', 'union-list': 'union' };

/** `operatorState`: {NAME: {"type": "list" | "union-list"}}, Flink's getListState / getUnionListState. */
function readOperatorStates(r: Reader, value: unknown, path: string, keyed: StateDeclarations): { states: OperatorStateSpec[]; broken: string[]; declared: string[] } {
  const none = { states: [], broken: [], declared: [] };
  if (value === undefined) return none;
  const obj = r.object(value, path, 'an object of operator list states, e.g. {"pending": {"type": "list"}}');
  if (obj === null) return none;
  const states: OperatorStateSpec[] = [];
  const broken: string[] = [];
  for (const name of Object.keys(obj)) {
    const at = child(path, name);
    if (!isPlainName(name)) {
      r.issue(at, `an operator state name is a plain name (letters, digits, '_', not starting with a digit, not __proto__, true, false or null) so that expressions can read it as state.NAME, found ${JSON.stringify(name)}`);
      broken.push(name);
      continue;
    }
    if (keyed.declared.includes(name)) {
      r.issue(at, `'${name}' names a keyed state already; keyed and operator state share the names expressions read (state.${name}): choose another name`);
      broken.push(name);
      continue;
    }
    const decl = r.object(obj[name], at, 'an operator state declaration, {"type": "list"} or {"type": "union-list"}');
    if (decl === null) {
      broken.push(name);
      continue;
    }
    r.onlyKeys(decl, at, ['type']);
    const type = decl['type'];
    const mode = typeof type === 'string' && Object.hasOwn(OPERATOR_STATE_TYPES, type) ? OPERATOR_STATE_TYPES[type]! : null;
    if (mode === null) {
      r.issue(child(at, 'type'), `operator state is a list: "list" (Flink's getListState: on restore the items are dealt out among the subtasks) or "union-list" (getUnionListState: every subtask gets them all), found ${describe(type)}`);
      broken.push(name);
      continue;
    }
    states.push({ name, mode });
  }
  if (Object.keys(obj).length > PROCESS_LIMITS.maxStates) r.issue(path, `at most ${PROCESS_LIMITS.maxStates} operator states, found ${Object.keys(obj).length}`);
  return { states, broken, declared: Object.keys(obj) };
}

/** A state block as read: the valid declarations, and what messages about the others need. */
export interface StateDeclarations {
  readonly states: readonly StateSpec[];
  readonly kinds: ReadonlyMap<string, StateKind>;
  /** Declared states whose declaration has a mistake: already reported, not "undeclared". */
  readonly broken: ReadonlySet<string>;
  /** Every name under `state`, valid or not. */
  readonly declared: readonly string[];
  /** States declared elsewhere that this handler cannot use, with the reason (said instead of "not declared"). */
  readonly unavailable?: ReadonlyMap<string, string>;
  /** The keyed states an applyToKeyedState in this handler may visit, or why it may not (absent: it may not). */
  readonly visit?: StateDeclarations | string;
}

/**
 * Reads a `state` block (absent: no state). The two-input operators declare their state
 * the way a process operator does.
 * @example readStateDeclarations(r, { count: { type: 'value', initial: 0 } }, '$.job.operators[2].state', 'join').states // [{ name: 'count', kind: 'value', initial: 0 }]
 */
export function readStateDeclarations(r: Reader, value: unknown, path: string, id: string): StateDeclarations {
  const broken = new Set<string>();
  const states = readStates(r, value, path, id, broken);
  const kinds = new Map<string, StateKind>(states.map((s) => [s.name, s.kind]));
  const declared = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
  return { states, kinds, broken, declared };
}

/**
 * Reads the list of actions at `obj[field]`, whose expressions see the bindings of
 * `handler` (a two-input operator's `onElement1` is read as an onElement).
 * @example readHandler(r, obj, 'onElement2', path, 'join', 'onElement', declarations, true)
 */
export function readHandler(r: Reader, obj: Obj, field: string, path: string, id: string, handler: ProcessHandler, declarations: StateDeclarations, required: boolean): ActionSpec[] {
  const value = obj[field];
  const at = child(path, field);
  if (value === undefined) {
    if (required) r.issue(at, `missing required field '${field}' (a list of actions, e.g. [{"emit": "$"}])`);
    return [];
  }
  const scope: Scope = { id, handler, kinds: declarations.kinds, broken: declarations.broken, declared: declarations.declared, unavailable: declarations.unavailable ?? new Map(), visit: declarations.visit ?? NO_VISIT_HERE, written: 0 };
  const actions = readActions(r, value, at, scope, [], 0);
  if (scope.written > PROCESS_LIMITS.maxActionsWritten) r.issue(at, `at most ${PROCESS_LIMITS.maxActionsWritten} actions in ${field}, found ${scope.written}`);
  return actions;
}

// State ------------------------------------------------------------------------------------

const STATE_FIELDS: Readonly<Record<StateKind, readonly string[]>> = {
  value: ['type', 'initial', 'ttl'],
  list: ['type', 'ttl'],
  map: ['type', 'ttl'],
  reducing: ['type', 'reduce', 'ttl'],
  aggregating: ['type', 'initial', 'add', 'result', 'ttl'],
};

function readState(r: Reader, value: unknown, path: string, id: string, name: string): StateSpec | null {
  const spec = readStateOfKind(r, value, path, id, name);
  const ttlValue = spec === null ? undefined : (value as Obj)['ttl'];
  if (spec === null || ttlValue === undefined) return spec;
  const ttl = readStateTtl(r, ttlValue, child(path, 'ttl'));
  return ttl === null ? null : { ...spec, ttl };
}

function readStates(r: Reader, value: unknown, path: string, id: string, broken: Set<string>): StateSpec[] {
  if (value === undefined) return [];
  const obj = r.object(value, path, 'an object of state declarations, e.g. {"count": {"type": "value", "initial": 0}}');
  if (obj === null) return [];
  const names = Object.keys(obj);
  if (names.length > PROCESS_LIMITS.maxStates) r.issue(path, `at most ${PROCESS_LIMITS.maxStates} states, found ${names.length}`);
  const states: StateSpec[] = [];
  for (const name of names) {
    const at = child(path, name);
    if (['__proto__', 'true', 'false', 'null'].includes(name)) {
      r.issue(at, `'${name}' cannot name a state: expressions would read state.${name} as ${name === '__proto__' ? "the object's prototype" : 'the literal'}, not the state; choose another name`);
      broken.add(name);
      continue;
    }
    if (!isPlainName(name)) {
      r.issue(at, `a state name is a plain name (letters, digits, '_', not starting with a digit) so that expressions can read it as state.${name.replace(/\W/g, '_') || 'name'}, found ${JSON.stringify(name)}`);
      broken.add(name);
      continue;
    }
    const s = readState(r, obj[name], at, id, name);
    if (s === null) broken.add(name);
    else states.push(s);
  }
  return states;
}

function readStateOfKind(r: Reader, value: unknown, path: string, id: string, name: string): StateSpec | null {
  const decl = r.object(value, path, 'a state declaration such as {"type": "value", "initial": 0}');
  if (decl === null) return null;
  const type = r.string(decl, 'type', path);
  if (type === null) return null;
  if (!(STATE_KINDS as readonly string[]).includes(type)) {
    r.issue(child(path, 'type'), `unknown state type '${type}' (expected one of: ${STATE_KINDS.join(', ')})`);
    return null;
  }
  const kind = type as StateKind;
  const before = r.issues.length;
  r.onlyKeys(decl, path, STATE_FIELDS[kind]);
  switch (kind) {
    case 'value':
      return r.issues.length > before ? null : { name, kind, initial: (decl['initial'] ?? null) as JsonValue };
    case 'list':
    case 'map':
      return r.issues.length > before ? null : { name, kind };
    case 'reducing': {
      const reduce = readExpressionText(r, decl, 'reduce', path);
      if (reduce === null) return null;
      const problem = reduceProblem(reduce);
      if (problem !== null) {
        r.issue(child(path, 'reduce'), `operator '${id}': ${problem}`);
        return null;
      }
      return r.issues.length > before ? null : { name, kind, reduce };
    }
    case 'aggregating': {
      // Flink's AggregateFunction always has createAccumulator: without one, the first add would fold into nothing.
      if (decl['initial'] === undefined) r.issue(child(path, 'initial'), `operator '${id}': missing required field 'initial', the accumulator an empty state starts from (Flink's createAccumulator), e.g. 0 or {"sum": 0, "n": 0}; write null if 'add' handles a null acc`);
      const add = readAggregatePart(r, decl, 'add', path, id);
      const result = decl['result'] === undefined ? null : readAggregatePart(r, decl, 'result', path, id);
      if (add === null || (decl['result'] !== undefined && result === null)) return null;
      return r.issues.length > before ? null : { name, kind, initial: (decl['initial'] ?? null) as JsonValue, add, result };
    }
  }
}

function readAggregatePart(r: Reader, decl: Obj, part: 'add' | 'result', path: string, id: string): string | null {
  const source = readExpressionText(r, decl, part, path);
  if (source === null) return null;
  const problem = aggregateProblem(source, part);
  if (problem === null) return source;
  r.issue(child(path, part), `operator '${id}': ${problem}`);
  return null;
}

// Actions ----------------------------------------------------------------------------------

function readActions(r: Reader, value: unknown, path: string, scope: Scope, items: readonly string[], depth: number): ActionSpec[] {
  const list = r.list(value, path);
  if (list === null) return [];
  const actions: ActionSpec[] = [];
  list.forEach((raw, i) => {
    scope.written++;
    const action = readAction(r, raw, child(path, i), scope, items, depth);
    if (action !== null) actions.push(action);
  });
  return actions;
}

const SHAPES: Readonly<Record<ActionKind, string>> = {
  set: '{"set": STATE, "to": EXPR}',
  add: '{"add": STATE, "value": EXPR}',
  put: '{"put": STATE, "key": EXPR, "value": EXPR}',
  remove: '{"remove": STATE, "key": EXPR}',
  clear: '{"clear": STATE}',
  emit: '{"emit": EXPR, "timestamp"?: EXPR}',
  sideOutput: '{"sideOutput": TAG, "value": EXPR}',
  timer: '{"timer": "event" | "processing", "at": EXPR}',
  deleteTimer: '{"deleteTimer": "event" | "processing", "at": EXPR}',
  if: '{"if": EXPR, "then": [ACTIONS], "else"?: [ACTIONS]}',
  forEach: '{"forEach": EXPR, "as"?: NAME, "do": [ACTIONS]}',
  applyToKeyedState: '{"applyToKeyedState": STATE, "do": [ACTIONS]}',
};

function readAction(r: Reader, raw: unknown, path: string, scope: Scope, items: readonly string[], depth: number): ActionSpec | null {
  const obj = r.object(raw, path, 'an action such as {"emit": "$"}');
  if (obj === null) return null;
  const verbs = Object.keys(obj).filter((k): k is ActionKind => (ACTION_KINDS as readonly string[]).includes(k));
  if (verbs.length === 0) {
    const found = Object.keys(obj);
    r.issue(path, `an action needs one of the verbs ${ACTION_KINDS.join(', ')}${found.length > 0 ? `; found only ${found.map((k) => `'${k}'`).join(', ')}` : ''}`);
    return null;
  }
  if (verbs.length > 1) {
    r.issue(path, `an action has exactly one verb, found ${verbs.map((v) => `'${v}'`).join(' and ')}: write them as separate actions`);
    return null;
  }
  const kind = verbs[0]!;
  const before = r.issues.length;
  const fields = ACTION_FIELDS[kind];
  r.onlyKeys(obj, path, [kind, ...fields.required, ...fields.optional]);
  for (const field of fields.required) {
    if (obj[field] === undefined) r.issue(child(path, field), `missing required field '${field}' (${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} action is ${SHAPES[kind]})`);
  }
  const action = buildAction(r, obj, kind, path, scope, items, depth);
  return r.issues.length > before ? null : action;
}

function buildAction(r: Reader, obj: Obj, kind: ActionKind, path: string, scope: Scope, items: readonly string[], depth: number): ActionSpec | null {
  const expr = (key: string): string | null => (obj[key] === undefined ? null : readExpression(r, obj, key, path, scope, items));
  switch (kind) {
    case 'set':
    case 'add':
    case 'put':
    case 'remove':
    case 'clear': {
      const state = readStateName(r, obj, kind, path, scope);
      if (kind === 'set') return withAll({ kind, state, to: expr('to') });
      if (kind === 'add') return withAll({ kind, state, value: expr('value') });
      if (kind === 'put') return withAll({ kind, state, key: expr('key'), value: expr('value') });
      if (kind === 'remove') return withAll({ kind, state, key: expr('key') });
      return state === null ? null : { kind, state };
    }
    case 'emit': {
      const value = expr('emit');
      const timestamp = obj['timestamp'] === undefined ? null : expr('timestamp');
      return value === null ? null : { kind, value, timestamp };
    }
    case 'sideOutput': {
      const tag = r.string(obj, 'sideOutput', path);
      return withAll({ kind, tag, value: expr('value') });
    }
    case 'timer':
    case 'deleteTimer': {
      const domain = readDomain(r, obj[kind], child(path, kind));
      return withAll({ kind, domain, at: expr('at') });
    }
    case 'if': {
      if (!nestingAllowed(r, path, depth)) return null;
      const test = expr('if');
      const then = obj['then'] === undefined ? [] : readActions(r, obj['then'], child(path, 'then'), scope, items, depth + 1);
      const otherwise = obj['else'] === undefined ? [] : readActions(r, obj['else'], child(path, 'else'), scope, items, depth + 1);
      return test === null ? null : { kind, test, then, else: otherwise };
    }
    case 'forEach': {
      if (!nestingAllowed(r, path, depth)) return null;
      const list = expr('forEach');
      const as = obj['as'] === undefined ? DEFAULT_ITEM_NAME : r.string(obj, 'as', path);
      const problem = as === null ? null : itemNameProblem(as, items);
      if (problem !== null) r.issue(child(path, 'as'), problem);
      const body = as === null || problem !== null || obj['do'] === undefined ? [] : readActions(r, obj['do'], child(path, 'do'), scope, [...items, as], depth + 1);
      return list === null || as === null ? null : { kind, items: list, as, do: body };
    }
    case 'applyToKeyedState':
      return nestingAllowed(r, path, depth) ? readApplyToKeyedState(r, obj, path, scope, items, depth) : null;
  }
}

/**
 * The body is read with the visited state as the only keyed state (with its kind, so a
 * wrong verb is named) beside the broadcast states; the others are named as not visited.
 */
function readApplyToKeyedState(r: Reader, obj: Obj, path: string, scope: Scope, items: readonly string[], depth: number): ActionSpec | null {
  const name = r.string(obj, 'applyToKeyedState', path);
  if (name === null) return null;
  const at = child(path, 'applyToKeyedState');
  const visit = scope.visit;
  if (typeof visit === 'string') {
    r.issue(at, `operator '${scope.id}': ${visit}`);
    return null;
  }
  if (visit.broken.has(name)) return null;
  const kind = visit.kinds.get(name);
  if (kind === undefined) {
    const known = visit.states.map((s) => s.name);
    const why = scope.kinds.has(name) ? `'${name}' is broadcast state, which onBroadcastElement reads and writes directly; applyToKeyedState visits keyed state` : `'${name}' is not a keyed state of this connect`;
    r.issue(at, `operator '${scope.id}': ${why} (keyed states: ${known.length === 0 ? 'none' : known.join(', ')})`);
    return null;
  }
  const others = visit.states.filter((s) => s.name !== name).map((s) => [s.name, `is not the state this applyToKeyedState visits ('${name}'): Flink's KeyedStateFunction is given that one state; visit '${s.name}' with an applyToKeyedState of its own`] as const);
  const body: Scope = {
    ...scope,
    kinds: new Map([...scope.kinds, [name, kind]]),
    declared: [...scope.declared, name],
    unavailable: new Map([...scope.unavailable, ...others].filter(([n]) => n !== name)),
    visit: 'applyToKeyedState does not nest: each visit already has its key current',
  };
  const actions = obj['do'] === undefined ? [] : readActions(r, obj['do'], child(path, 'do'), body, items, depth + 1);
  scope.written = body.written;
  return { kind: 'applyToKeyedState', state: name, do: actions };
}

/** The action when none of its fields is null (each null was reported). */
function withAll<T extends { kind: ActionKind }>(fields: { [K in keyof T]: T[K] | null }): T | null {
  return Object.values(fields).some((v) => v === null) ? null : (fields as T);
}

function nestingAllowed(r: Reader, path: string, depth: number): boolean {
  if (depth < PROCESS_LIMITS.maxNesting) return true;
  r.issue(path, `if and forEach nest at most ${PROCESS_LIMITS.maxNesting} deep; move the inner part into separate actions`);
  return false;
}

function readStateName(r: Reader, obj: Obj, kind: keyof typeof STATE_ACTIONS, path: string, scope: Scope): string | null {
  const name = r.string(obj, kind, path);
  if (name === null || scope.broken.has(name)) return null;
  const unavailable = scope.unavailable.get(name);
  if (unavailable !== undefined) {
    r.issue(child(path, kind), `state '${name}' ${unavailable}`);
    return null;
  }
  const problem = stateUseProblem(kind, name, scope.kinds, scope.declared);
  if (problem !== null) {
    r.issue(child(path, kind), problem);
    return null;
  }
  return name;
}

function readDomain(r: Reader, value: unknown, path: string): TimeDomain | null {
  if (typeof value === 'string' && (TIME_DOMAINS as readonly string[]).includes(value)) return value as TimeDomain;
  r.issue(path, `unknown time domain ${typeof value === 'string' ? `'${value}'` : describe(value)} (expected "event" or "processing")`);
  return null;
}

/** The text of an expression field: a non-empty string (a number written bare gets a hint). */
function readExpressionText(r: Reader, obj: Obj, key: string, path: string): string | null {
  const value = obj[key];
  if (value === undefined) {
    r.issue(child(path, key), `missing required field '${key}'`);
    return null;
  }
  if (typeof value === 'string' && value.length > 0) return value;
  const literal = typeof value === 'number' || typeof value === 'boolean' || value === null;
  r.issue(child(path, key), `expected an expression (a non-empty string), found ${describe(value)}${literal ? `; write it as ${JSON.stringify(JSON.stringify(value))}` : ''}`);
  return null;
}

function readExpression(r: Reader, obj: Obj, key: string, path: string, scope: Scope, items: readonly string[]): string | null {
  const source = readExpressionText(r, obj, key, path);
  if (source === null) return null;
  const problem = expressionProblem(source, scope.handler, items);
  if (problem !== null) {
    r.issue(child(path, key), `operator '${scope.id}': ${problem}`);
    return null;
  }
  // Reading a state this handler cannot use (keyed state on the broadcast side) would fail the task at run time: say so here.
  if (scope.unavailable.size > 0 && !items.includes('state')) {
    const read = bindingMembers(source, 'state').members.find((m) => scope.unavailable.has(m));
    if (read !== undefined) {
      r.issue(child(path, key), `operator '${scope.id}': reads state.${read}, but state '${read}' ${scope.unavailable.get(read)!}`);
      return null;
    }
  }
  return source;
}
