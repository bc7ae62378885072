/**
 * From the two-input DSL to the TypeScript function interfaces: a scenario's connect is an
 * ordinary KeyedCoProcessFunction or KeyedBroadcastProcessFunction whose methods run
 * compiled actions, and its interval join an ordinary ProcessJoinFunction, so scenario and
 * TypeScript jobs run the same operators.
 */
import { compileExpression } from '../../expr/index.ts';
import { compileHandler, descriptorsOf, type StateSpec } from '../process/index.ts';
import type { BroadcastProcessFunction, KeyedBroadcastProcessFunction } from './broadcast-functions.ts';
import type { KeyedCoProcessFunction, ProcessJoinFunction } from './co-functions.ts';
import { JOIN_BINDINGS, selectProblem, WINDOW_JOIN_BINDINGS, windowJoinExpressionProblem, type BroadcastConnectSpec, type CoProcessSpec } from './two-input-spec.ts';
import { windowJson } from '../windows/time-window.ts';
import type { CoGroupFunction, JoinFunction } from './window-join-operator.ts';

/**
 * @example const fn = coProcessFunctionFromSpec({ keyed: true, state: [], onElement1: [{ kind: 'emit', value: '$', timestamp: null }], onElement2: [], onTimer: [] });
 * @throws TypeError when the spec breaks a rule of the DSL (the validator reports the same with JSON paths)
 */
export function coProcessFunctionFromSpec(spec: CoProcessSpec): KeyedCoProcessFunction {
  const one = compileHandler(spec.onElement1, 'onElement', spec.state, 'onElement1');
  const two = compileHandler(spec.onElement2, 'onElement', spec.state, 'onElement2');
  const fn: KeyedCoProcessFunction = {
    state: descriptorsOf(spec.state),
    processElement1: (value, ctx, out) => one(ctx, out, value, ctx.timestamp(), null),
    processElement2: (value, ctx, out) => two(ctx, out, value, ctx.timestamp(), null),
  };
  if (spec.onTimer.length === 0) return fn;
  const onTimer = compileHandler(spec.onTimer, 'onTimer', spec.state);
  return { ...fn, onTimer: (timestamp, ctx, out) => onTimer(ctx, out, null, timestamp, { timestamp, domain: ctx.timeDomain() }) };
}

/**
 * Broadcast states are map states to the actions; the operator hands out the side's
 * handle (read-only on the ordinary side), so a write there fails even if validation was
 * skipped.
 * @example broadcastProcessFunctionFromSpec({ keyed: false, state: [], broadcastState: ['rules'], onElement: [], onBroadcastElement: [], onTimer: [] })
 */
export function broadcastProcessFunctionFromSpec(spec: BroadcastConnectSpec): KeyedBroadcastProcessFunction | BroadcastProcessFunction {
  const maps: StateSpec[] = spec.broadcastState.map((name) => ({ name, kind: 'map' }));
  const all = [...spec.state, ...maps];
  const onElement = compileHandler(spec.onElement, 'onElement', all);
  // The broadcast side has no key: it sees the broadcast states only, and keyed state through applyToKeyedState.
  const onBroadcast = compileHandler(spec.onBroadcastElement, 'onElement', maps, 'onBroadcastElement', spec.keyed ? spec.state : []);
  const fn: KeyedBroadcastProcessFunction = {
    state: descriptorsOf(spec.state),
    processElement: (value, ctx, out) => onElement(ctx, out, value, ctx.timestamp(), null),
    processBroadcastElement: (value, ctx, out) => onBroadcast(ctx as never, out, value, ctx.timestamp(), null),
  };
  if (spec.onTimer.length === 0) return fn;
  const onTimer = compileHandler(spec.onTimer, 'onTimer', all);
  return { ...fn, onTimer: (timestamp, ctx, out) => onTimer(ctx, out, null, timestamp, { timestamp, domain: ctx.timeDomain() }) };
}

/**
 * @example joinFunctionFromSelect('{ride: left, fare: right}')
 * @throws TypeError when `select` does not parse or reads a record field
 */
export function joinFunctionFromSelect(select: string): ProcessJoinFunction {
  const problem = selectProblem(select);
  if (problem !== null) throw new TypeError(`select: ${problem}`);
  const expr = compileExpression(select, { bindings: JOIN_BINDINGS });
  return {
    processElement(left, right, ctx, out) {
      const leftTimestamp = ctx.getLeftTimestamp();
      const rightTimestamp = ctx.getRightTimestamp();
      out.collect(expr.evaluate(null, ctx.getTimestamp(), { left, right, leftTimestamp, rightTimestamp }));
    },
  };
}

/**
 * A window join's `select` as a JoinFunction: one record per pair.
 * @example windowJoinFunctionFromSelect('{order: left, payment: right}')
 * @throws TypeError when `select` does not parse or reads a record field
 */
export function windowJoinFunctionFromSelect(select: string): JoinFunction {
  const problem = windowJoinExpressionProblem(select, 'select');
  if (problem !== null) throw new TypeError(`select: ${problem}`);
  const expr = compileExpression(select, { bindings: WINDOW_JOIN_BINDINGS });
  return (left, right, key, window) => expr.evaluate(null, window.end - 1, { left, right, key, window: windowJson(window) });
}

/**
 * A coGroup's `apply` as a CoGroupFunction: the expression returns the list of records to
 * emit; anything else fails the task, as a flatMap's does.
 * @example coGroupFunctionFromApply('[{key: key, orders: len(left), payments: len(right)}]')
 * @throws TypeError when `apply` does not parse or reads a record field
 */
export function coGroupFunctionFromApply(apply: string): CoGroupFunction {
  const problem = windowJoinExpressionProblem(apply, 'apply');
  if (problem !== null) throw new TypeError(`apply: ${problem}`);
  const expr = compileExpression(apply, { bindings: WINDOW_JOIN_BINDINGS });
  return (left, right, key, window) => {
    const result = expr.evaluate(null, window.end - 1, { left, right, key, window: windowJson(window) });
    if (!Array.isArray(result)) throw new TypeError(`a coGroup's apply must return a list of records, it returned ${result === null ? 'null' : typeof result}`);
    return result;
  };
}
