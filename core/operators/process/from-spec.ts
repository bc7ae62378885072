/**
 * From a process spec (the scenario's DSL) to a KeyedProcessFunction (the TypeScript
 * interface). This is the one place the two front ends meet: a scenario's `process`
 * operator is an ordinary KeyedProcessFunction whose methods happen to run compiled
 * actions, so it behaves exactly like one written by hand.
 */
import { compileExpression, ExprRuntimeError, type JsonValue } from '../../expr/index.ts';
import { compileHandler } from './actions.ts';
import { reducingState, valueState, listState, mapState, type KeyedProcessFunction, type StateDescriptor } from './process-function.ts';
import { isPlainName, PROCESS_LIMITS, reduceProblem, REDUCE_BINDINGS, type ProcessSpec, type StateSpec } from './process-spec.ts';

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
  const onElement = compileHandler(spec.onElement, 'onElement', spec.state);
  const onTimer = compileHandler(spec.onTimer, 'onTimer', spec.state);
  const fn: KeyedProcessFunction = {
    state,
    processElement: (value, ctx, out) => onElement(ctx, out, value, ctx.timestamp(), null),
  };
  if (spec.onTimer.length === 0) return fn;
  return { ...fn, onTimer: (timestamp, ctx, out) => onTimer(ctx, out, null, timestamp, { timestamp, domain: ctx.timeDomain() }) };
}

/** The state descriptors a spec's declarations stand for. @example descriptorsOf([{ name: 'n', kind: 'value', initial: 0 }]) // { n: valueState(0) } */
export function descriptorsOf(states: readonly StateSpec[]): Record<string, StateDescriptor> {
  if (states.length > PROCESS_LIMITS.maxStates) throw new TypeError(`state: at most ${PROCESS_LIMITS.maxStates} states, found ${states.length}`);
  const out: Record<string, StateDescriptor> = {};
  for (const s of states) {
    if (!isPlainName(s.name)) throw new TypeError(`state: a state name is a plain name (letters, digits, '_'), found ${JSON.stringify(s.name)}`);
    if (Object.hasOwn(out, s.name)) throw new TypeError(`state: '${s.name}' is declared twice`);
    out[s.name] = descriptorOf(s);
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
