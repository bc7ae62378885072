/**
 * The interpreter of the process DSL. A handler's actions are compiled once, when the job
 * is built, into a tree of closures, as expressions are; running an element or a timer then
 * calls those closures in order, with no switch on action kinds.
 *
 * Actions run against the same KeyedProcessFunction context a TypeScript function gets
 * (state handles, timer service, collector), so the DSL and the TypeScript interface are two
 * front ends of one operator and cannot drift apart. Each action sees what the ones before
 * it did: the `state` binding is rebuilt after every change to state, and it is a copy, so
 * a list emitted before an `add` does not grow afterwards.
 *
 * Every executed action counts against a limit per call (PROCESS_LIMITS.maxActionsPerCall):
 * a forEach over a huge list fails the task with a clear message instead of stalling it.
 */
import { canonicalJson, compileExpression, ExprRuntimeError, isTruthy, type JsonValue } from '../../expr/index.ts';
import { isTimeInRange, MIN_WATERMARK, TIME_RANGE_TEXT } from '../../model/index.ts';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../state/index.ts';
import type { Collector, ProcessContext } from './process-function.ts';
import {
  expressionProblem,
  HANDLER_BINDINGS,
  itemNameProblem,
  PROCESS_LIMITS,
  stateUseProblem,
  type ActionSpec,
  type ProcessHandler,
  type StateKind,
  type StateSpec,
} from './process-spec.ts';

/** One call of a handler: what its actions read and write. */
interface Env {
  readonly ctx: ProcessContext;
  readonly out: Collector;
  /** The record's value; null in onTimer. */
  readonly value: JsonValue;
  /** `$timestamp`: the element's timestamp, or the timer's time. */
  readonly timestamp: number | null;
  /** key, watermark, now, timer, forEach items; `state` is filled in when an expression reads it. */
  readonly bindings: Record<string, JsonValue>;
  steps: number;
  /** The `state` binding, or null when state changed since it was built. */
  view: Record<string, JsonValue> | null;
}

type Step = (env: Env) => void;

/** What a broadcast side's context adds for applyToKeyedState (KeyedBroadcastProcessFunction's). */
interface KeyedStateVisitor {
  applyToKeyedState(name: string, fn: (key: JsonValue, state: unknown) => void): void;
}
type Eval = (env: Env) => JsonValue;

/**
 * A compiled handler: runs its actions for one element (`timer` null) or one timer
 * (`timer` = {timestamp, domain}).
 */
export type CompiledHandler = (ctx: ProcessContext, out: Collector, value: JsonValue, timestamp: number | null, timer: JsonValue | null) => void;

/**
 * Compiles a handler's actions. `label` names the handler in messages (default `handler`;
 * the two-input operators' `onElement1`, `onBroadcastElement`, ... share onElement's scope).
 * `visitable` are the keyed states an `applyToKeyedState` may visit: a keyed broadcast
 * connect's, in its onBroadcastElement; none elsewhere.
 * @example
 * const run = compileHandler([{ kind: 'emit', value: 'v * 2', timestamp: null }], 'onElement', []);
 * run(ctx, out, { v: 21 }, 5, null); // out.collect(42)
 * @throws TypeError when the actions break a rule of the DSL (undeclared state, wrong kind,
 * nesting too deep, an expression that does not parse), naming where
 */
export function compileHandler(actions: readonly ActionSpec[], handler: ProcessHandler, states: readonly StateSpec[], label: string = handler, visitable: readonly StateSpec[] = []): CompiledHandler {
  const body = new ActionCompiler(handler, states, label, visitable).list(actions, label, [], 0);
  return (ctx, out, value, timestamp, timer) => {
    const watermark = ctx.timerService().currentWatermark();
    const bindings: Record<string, JsonValue> = {
      key: ctx.getCurrentKey(),
      watermark: watermark === MIN_WATERMARK ? null : watermark,
      now: ctx.timerService().currentProcessingTime(),
    };
    if (timer !== null) bindings['timer'] = timer;
    body({ ctx, out, value, timestamp, bindings, steps: 0, view: null });
  };
}

class ActionCompiler {
  readonly #handler: ProcessHandler;
  readonly #label: string;
  readonly #states: readonly StateSpec[];
  readonly #kinds: ReadonlyMap<string, StateKind>;
  readonly #visitable: readonly StateSpec[];

  constructor(handler: ProcessHandler, states: readonly StateSpec[], label: string, visitable: readonly StateSpec[]) {
    this.#handler = handler;
    this.#label = label;
    this.#states = states;
    this.#kinds = new Map(states.map((s) => [s.name, s.kind]));
    this.#visitable = visitable;
  }

  list(actions: readonly ActionSpec[], where: string, items: readonly string[], depth: number): Step {
    const steps = actions.map((a, i) => this.#counted(a, `${where}[${i}]`, items, depth));
    if (steps.length === 1) return steps[0]!;
    return (env) => {
      for (let i = 0; i < steps.length; i++) steps[i]!(env);
    };
  }

  #counted(a: ActionSpec, where: string, items: readonly string[], depth: number): Step {
    const step = this.#action(a, where, items, depth);
    const max = PROCESS_LIMITS.maxActionsPerCall;
    const what = this.#handler === 'onElement' ? 'element' : 'timer';
    return (env) => {
      if (++env.steps > max) {
        throw new RangeError(`${this.#label} ran more than ${max} actions for one ${what} (the limit was reached at ${where}); is a forEach going over a long list?`);
      }
      step(env);
    };
  }

  #action(a: ActionSpec, where: string, items: readonly string[], depth: number): Step {
    switch (a.kind) {
      case 'set':
      case 'add':
      case 'put':
      case 'remove':
      case 'clear':
        return this.#stateAction(a, where, items);
      case 'emit': {
        const value = this.#expr(a.value, `${where}.emit`, items);
        if (a.timestamp === null) return (env) => env.out.collect(value(env));
        const timestamp = this.#expr(a.timestamp, `${where}.timestamp`, items);
        const source = a.timestamp;
        return (env) => {
          const v = value(env);
          const t = timestamp(env);
          if (t !== null && !(typeof t === 'number' && isTimeInRange(t))) {
            throw new ExprRuntimeError(`${where}.timestamp: an output timestamp is a whole number of milliseconds ${TIME_RANGE_TEXT}, or null, found ${describe(t)}`, source);
          }
          env.out.collectWithTimestamp(v, t);
        };
      }
      case 'sideOutput': {
        const value = this.#expr(a.value, `${where}.value`, items);
        const tag = a.tag;
        if (tag.length === 0) throw new TypeError(`${where}.sideOutput: a side-output tag is a non-empty string`);
        return (env) => env.ctx.output(tag, value(env));
      }
      case 'timer':
      case 'deleteTimer':
        return this.#timerAction(a, where, items);
      case 'if': {
        this.#checkNesting(where, depth);
        const test = this.#expr(a.test, `${where}.if`, items);
        const then = this.list(a.then, `${where}.then`, items, depth + 1);
        const otherwise = this.list(a.else, `${where}.else`, items, depth + 1);
        return (env) => (isTruthy(test(env)) ? then(env) : otherwise(env));
      }
      case 'forEach': {
        this.#checkNesting(where, depth);
        const name = a.as;
        const problem = itemNameProblem(name, items);
        if (problem !== null) throw new TypeError(`${where}.as: ${problem}`);
        const list = this.#expr(a.items, `${where}.forEach`, items);
        const body = this.list(a.do, `${where}.do`, [...items, name], depth + 1);
        const source = a.items;
        return (env) => {
          const xs = list(env);
          if (!Array.isArray(xs)) throw new ExprRuntimeError(`${where}.forEach: forEach goes over a list, found ${describe(xs)} (for an object, use keys(...))`, source);
          try {
            for (const x of xs) {
              env.bindings[name] = x;
              body(env);
            }
          } finally {
            delete env.bindings[name];
          }
        };
      }
      case 'applyToKeyedState':
        this.#checkNesting(where, depth);
        return this.#applyToKeyedState(a, where, items, depth);
    }
  }

  /**
   * The body runs once per key, against a context in which that key is current and the
   * visited state is the only keyed state (Flink's KeyedStateFunction gets just that one);
   * each visit counts its actions afresh, as each is its own call of the function in Flink.
   */
  #applyToKeyedState(a: Extract<ActionSpec, { kind: 'applyToKeyedState' }>, where: string, items: readonly string[], depth: number): Step {
    const name = a.state;
    const visited = this.#visitable.find((s) => s.name === name);
    if (visited === undefined) {
      const known = this.#visitable.map((s) => s.name);
      throw new TypeError(`${where}.applyToKeyedState: ${known.length === 0 ? 'only the broadcast side of a keyed broadcast connect visits keyed state' : `'${name}' is not a keyed state (declared: ${known.join(', ')})`}`);
    }
    const body = new ActionCompiler(this.#handler, [...this.#states, visited], this.#label, []).list(a.do, `${where}.do`, items, depth + 1);
    return (env) => {
      const outer = env.ctx as ProcessContext & KeyedStateVisitor;
      outer.applyToKeyedState(name, (key, handle) => {
        const ctx: ProcessContext = {
          timestamp: () => outer.timestamp(),
          getCurrentKey: () => key,
          timerService: () => outer.timerService(),
          getState: (n: string) => (n === name ? handle : outer.getState(n)) as never,
          output: (tag, value) => outer.output(tag, value),
        };
        body({ ctx, out: env.out, value: env.value, timestamp: env.timestamp, bindings: { ...env.bindings, key }, steps: 0, view: null });
      });
      env.view = null;
    };
  }

  #stateAction(a: Extract<ActionSpec, { kind: 'set' | 'add' | 'put' | 'remove' | 'clear' }>, where: string, items: readonly string[]): Step {
    const problem = stateUseProblem(a.kind, a.state, this.#kinds);
    if (problem !== null) throw new TypeError(`${where}.${a.kind}: ${problem}`);
    const name = a.state;
    const kind = this.#kinds.get(name)!;
    switch (a.kind) {
      case 'clear':
        return (env) => {
          (env.ctx.getState(name) as ValueState).clear();
          env.view = null;
        };
      case 'set': {
        const to = this.#expr(a.to, `${where}.to`, items);
        if (kind === 'value') {
          return (env) => {
            (env.ctx.getState(name) as ValueState).update(to(env));
            env.view = null;
          };
        }
        const source = a.to;
        return (env) => {
          const v = to(env);
          if (!Array.isArray(v)) throw new ExprRuntimeError(`${where}.to: the list state '${name}' is set to a list, found ${describe(v)}`, source);
          (env.ctx.getState(name) as ListState).update(v);
          env.view = null;
        };
      }
      case 'add': {
        const value = this.#expr(a.value, `${where}.value`, items);
        return (env) => {
          (env.ctx.getState(name) as ListState | ReducingState | AggregatingState).add(value(env));
          env.view = null;
        };
      }
      case 'put': {
        const key = this.#mapKey(a.key, `${where}.key`, items);
        const value = this.#expr(a.value, `${where}.value`, items);
        return (env) => {
          const k = key(env);
          (env.ctx.getState(name) as MapState).put(k, value(env));
          env.view = null;
        };
      }
      case 'remove': {
        const key = this.#mapKey(a.key, `${where}.key`, items);
        return (env) => {
          (env.ctx.getState(name) as MapState).remove(key(env));
          env.view = null;
        };
      }
    }
  }

  #timerAction(a: Extract<ActionSpec, { kind: 'timer' | 'deleteTimer' }>, where: string, items: readonly string[]): Step {
    const at = this.#expr(a.at, `${where}.at`, items);
    const source = a.at;
    const time = (env: Env): number => {
      const t = at(env);
      if (typeof t === 'number' && isTimeInRange(t)) return t;
      throw new ExprRuntimeError(`${where}.at: a timer's time is a whole number of milliseconds ${TIME_RANGE_TEXT}, found ${describe(t)}`, source);
    };
    if (a.domain !== 'event' && a.domain !== 'processing') throw new TypeError(`${where}.${a.kind}: unknown time domain ${JSON.stringify(a.domain)}`);
    const event = a.domain === 'event';
    if (a.kind === 'timer') {
      return event ? (env) => env.ctx.timerService().registerEventTimeTimer(time(env)) : (env) => env.ctx.timerService().registerProcessingTimeTimer(time(env));
    }
    return event ? (env) => env.ctx.timerService().deleteEventTimeTimer(time(env)) : (env) => env.ctx.timerService().deleteProcessingTimeTimer(time(env));
  }

  /** A map state's key: a string, or a number or boolean used as its text. */
  #mapKey(source: string, where: string, items: readonly string[]): (env: Env) => string {
    const key = this.#expr(source, where, items);
    return (env) => {
      const k = key(env);
      if (typeof k === 'string') return k;
      if (typeof k === 'number' || typeof k === 'boolean') return canonicalJson(k);
      throw new ExprRuntimeError(`${where}: a map state's key is a string (a number or boolean is used as its text), found ${describe(k)}`, source);
    };
  }

  #checkNesting(where: string, depth: number): void {
    const max = PROCESS_LIMITS.maxNesting;
    if (depth >= max) throw new TypeError(`${where}: if and forEach nest at most ${max} deep`);
  }

  /** Compiles one expression; its runtime errors name the action they come from. */
  #expr(source: string, where: string, items: readonly string[]): Eval {
    const problem = expressionProblem(source, this.#handler, items);
    if (problem !== null) throw new TypeError(`${where}: ${problem}`);
    const bindings = [...HANDLER_BINDINGS[this.#handler], ...items];
    const expr = compileExpression(source, { bindings });
    // Compiled again without the binding, `state` shows up as a field exactly when the expression reads it.
    const readsState = compileExpression(source, { bindings: bindings.filter((b) => b !== 'state') }).fields.includes('state');
    const states = this.#states;
    return (env) => {
      if (readsState) env.bindings['state'] = env.view ?? (env.view = stateView(env.ctx, states));
      try {
        return expr.evaluate(env.value, env.timestamp, env.bindings);
      } catch (e) {
        if (e instanceof ExprRuntimeError) throw new ExprRuntimeError(`${where}: ${e.detail}`, e.source);
        throw e;
      }
    };
  }
}

/**
 * Each state's current value for the current key: copies, so later changes do not show
 * through. A state with a TTL is read only when an expression reads it (a getter), because
 * reading it has effects: it removes what expired, and with OnReadAndWrite it refreshes the
 * timestamps, which reading another state must not do.
 */
function stateView(ctx: ProcessContext, states: readonly StateSpec[]): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = {};
  for (const s of states) {
    if (s.ttl === undefined) {
      view[s.name] = readState(ctx, s);
      continue;
    }
    let read = false;
    let value: JsonValue = null;
    Object.defineProperty(view, s.name, {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!read) {
          value = readState(ctx, s);
          read = true;
        }
        return value;
      },
    });
  }
  return view;
}

function readState(ctx: ProcessContext, s: StateSpec): JsonValue {
  const handle = ctx.getState(s.name);
  switch (s.kind) {
    case 'value':
      return (handle as ValueState).value();
    case 'list':
      return (handle as ListState).get().slice();
    case 'map':
      return Object.fromEntries((handle as MapState).entries());
    case 'reducing':
      return (handle as ReducingState).get();
    case 'aggregating':
      return (handle as AggregatingState).get();
  }
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

