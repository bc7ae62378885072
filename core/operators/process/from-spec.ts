/**
 * From a process spec (the scenario's DSL) to a KeyedProcessFunction (the TypeScript
 * interface). This is the one place the two front ends meet: a scenario's `process`
 * operator is an ordinary KeyedProcessFunction whose methods happen to run compiled
 * actions, so it behaves exactly like one written by hand.
 */
import { compileExpression, ExprRuntimeError, type JsonValue } from '../../expr/index.ts';
import { cloneJson } from '../../model/index.ts';
import { compileHandler } from './actions.ts';
import { StateTtlConfig, type AggregateFunction } from '../../state/index.ts';
import type { OperatorListState } from '../../state/index.ts';
import type { CheckpointedFunction } from '../checkpointed-function.ts';
import { aggregatingState, enableTimeToLive, reducingState, valueState, listState, mapState, type Collector, type KeyedProcessFunction, type OnTimerContext, type ProcessContext, type StateDescriptor } from './process-function.ts';
import { AGGREGATE_BINDINGS, aggregateProblem, isPlainName, PROCESS_LIMITS, reduceProblem, REDUCE_BINDINGS, type OperatorStateSpec, type ProcessSpec, type StateSpec, type StateTtlSpec } from './process-spec.ts';

/**
 * Compiles a spec into a KeyedProcessFunction. Do it once per operator; the function keeps
 * nothing between calls (state lives in the state backend), so all subtasks may share it.
 * @example
 * const fn = processFunctionFromSpec({
 *   state: [{ name: 'count', kind: 'value', initial: 0 }],
 *   onElement: [{ kind: 'set', state: 'count', to: 'state.count + 1' }, { kind: 'emit', value: 'state.count', timestamp: null }],
 *   onTimer: [],
 * });
 * const factory: OperatorFactory = { kind: 'operator', create: () => createKeyedProcessOperator(fn) };
 * @throws TypeError when the spec breaks a rule of the DSL (readProcessFields reports the same rules with JSON paths)
 */
export function processFunctionFromSpec(spec: ProcessSpec): KeyedProcessFunction {
  const state = descriptorsOf(spec.state);
  const lists = spec.operatorState ?? [];
  if (lists.length > 0) return withOperatorState(spec, state, lists);
  const onElement = compileHandler(spec.onElement, 'onElement', spec.state);
  const onTimer = compileHandler(spec.onTimer, 'onTimer', spec.state);
  const fn: KeyedProcessFunction = {
    state,
    processElement: (value, ctx, out) => onElement(ctx, out, value, ctx.timestamp(), null),
  };
  if (spec.onTimer.length === 0) return fn;
  return { ...fn, onTimer: (timestamp, ctx, out) => onTimer(ctx, out, null, timestamp, { timestamp, domain: ctx.timeDomain() }) };
}

type WithLists = KeyedProcessFunction & CheckpointedFunction & { lists: ReadonlyMap<string, OperatorListState>; from: ProcessContext | null; scoped: ProcessContext | null };

/**
 * A spec with operator state is a CheckpointedFunction, as Flink's BufferingSink is: it asks
 * the store for its lists in initializeState and works on them directly, so the store's
 * snapshot already holds them and snapshotState has nothing to copy. The operator gives
 * each subtask its own copy of the function (Object.create), whose `lists` are its own.
 */
function withOperatorState(spec: ProcessSpec, state: Record<string, StateDescriptor>, lists: readonly OperatorStateSpec[]): KeyedProcessFunction {
  for (const l of lists) {
    if (!isPlainName(l.name)) throw new TypeError(`operatorState: a state name is a plain name (letters, digits, '_'), found ${JSON.stringify(l.name)}`);
    if (Object.hasOwn(state, l.name) || lists.filter((o) => o.name === l.name).length > 1) throw new TypeError(`operatorState: '${l.name}' is declared twice`);
  }
  const all: StateSpec[] = [...spec.state, ...lists.map((l) => ({ name: l.name, kind: 'list' as const }))];
  const onElement = compileHandler(spec.onElement, 'onElement', all);
  const onTimer = spec.onTimer.length === 0 ? null : compileHandler(spec.onTimer, 'onTimer', all);
  const fn: WithLists = {
    state,
    lists: new Map(),
    from: null,
    scoped: null,
    initializeState(context) {
      const store = context.getOperatorStateStore();
      this.lists = new Map(lists.map((l) => [l.name, l.mode === 'union' ? store.getUnionListState(l.name) : store.getListState(l.name)]));
    },
    snapshotState() {},
    processElement(value, ctx, out) {
      onElement(scope(this, ctx), out, value, ctx.timestamp(), null);
    },
  };
  if (onTimer === null) return fn;
  return Object.assign(fn, {
    onTimer(this: WithLists, timestamp: number, ctx: OnTimerContext, out: Collector) {
      onTimer(scope(this, ctx), out, null, timestamp, { timestamp, domain: ctx.timeDomain() });
    },
  });
}

/** The operator's context, with `getState` also finding the operator lists; built once per context object. */
function scope(fn: WithLists, ctx: ProcessContext): ProcessContext {
  if (fn.from === ctx) return fn.scoped!;
  const lists = fn.lists;
  const scoped = Object.create(ctx) as ProcessContext;
  scoped.getState = ((name: string) => lists.get(name) ?? ctx.getState(name)) as ProcessContext['getState'];
  fn.from = ctx;
  fn.scoped = scoped;
  return scoped;
}

/** The state descriptors a spec's declarations stand for. @example descriptorsOf([{ name: 'n', kind: 'value', initial: 0 }]) // { n: valueState(0) } */
export function descriptorsOf(states: readonly StateSpec[]): Record<string, StateDescriptor> {
  if (states.length > PROCESS_LIMITS.maxStates) throw new TypeError(`state: at most ${PROCESS_LIMITS.maxStates} states, found ${states.length}`);
  const out: Record<string, StateDescriptor> = {};
  for (const s of states) {
    if (!isPlainName(s.name)) throw new TypeError(`state: a state name is a plain name (letters, digits, '_'), found ${JSON.stringify(s.name)}`);
    if (Object.hasOwn(out, s.name)) throw new TypeError(`state: '${s.name}' is declared twice`);
    const d = descriptorOf(s);
    out[s.name] = s.ttl === undefined ? d : enableTimeToLive(d, ttlConfigOf(s.ttl));
  }
  return out;
}

function descriptorOf(s: StateSpec): StateDescriptor {
  switch (s.kind) {
    case 'value':
      return valueState(s.initial);
    case 'list':
      return listState();
    case 'map':
      return mapState();
    case 'aggregating':
      return aggregatingState(aggregateFunctionOf(s));
    case 'reducing': {
      const problem = reduceProblem(s.reduce);
      if (problem !== null) throw new TypeError(`state.${s.name}.reduce: ${problem}`);
      const expr = compileExpression(s.reduce, { bindings: REDUCE_BINDINGS });
      const where = `state.${s.name}.reduce`;
      return reducingState((a: JsonValue, b: JsonValue) => {
        try {
          return expr.evaluate(null, null, { a, b });
        } catch (e) {
          if (e instanceof ExprRuntimeError) throw new ExprRuntimeError(`${where}: ${e.detail}`, e.source);
          throw e;
        }
      });
    }
  }
}

/** The StateTtlConfig a spec's `ttl` stands for. @example ttlConfigOf({ timeMs: 1000, updateType: 'OnCreateAndWrite', stateVisibility: 'NeverReturnExpired', cleanupFullSnapshot: false }) */
export function ttlConfigOf(ttl: StateTtlSpec): StateTtlConfig {
  const b = StateTtlConfig.newBuilder(ttl.timeMs).setUpdateType(ttl.updateType).setStateVisibility(ttl.stateVisibility);
  if (ttl.cleanupFullSnapshot) b.cleanupFullSnapshot();
  const incremental = ttl.incrementalCleanup;
  if (incremental === null) b.disableCleanupInBackground();
  else if (incremental !== undefined) b.cleanupIncrementally(incremental.cleanupSize, incremental.runCleanupForEveryRecord);
  return b.build();
}

/** The AggregateFunction an aggregating state's declaration stands for (its merge is never called for keyed state, so it refuses). */
function aggregateFunctionOf(s: Extract<StateSpec, { kind: 'aggregating' }>): AggregateFunction {
  const compile = (source: string, part: 'add' | 'result') => {
    const problem = aggregateProblem(source, part);
    if (problem !== null) throw new TypeError(`state.${s.name}.${part}: ${problem}`);
    const expr = compileExpression(source, { bindings: AGGREGATE_BINDINGS[part] });
    const where = `state.${s.name}.${part}`;
    return (bindings: Record<string, JsonValue>): JsonValue => {
      try {
        return expr.evaluate(null, null, bindings);
      } catch (e) {
        if (e instanceof ExprRuntimeError) throw new ExprRuntimeError(`${where}: ${e.detail}`, e.source);
        throw e;
      }
    };
  };
  const add = compile(s.add, 'add');
  const result = s.result === null ? null : compile(s.result, 'result');
  const initial = s.initial;
  return {
    createAccumulator: () => cloneJson(initial),
    add: (value, acc) => add({ acc, value }),
    getResult: (acc) => (result === null ? acc : result({ acc })),
    merge: () => {
      throw new TypeError(`state.${s.name}: a process function's aggregating state is never merged`);
    },
  };
}
