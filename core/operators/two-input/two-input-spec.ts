/**
 * The scenario DSL of the two-input operators, typed. A connect is written as a process
 * operator is (docs/process.md): declared state and lists of actions, one list per input
 * (`onElement1`, `onElement2`) and `onTimer`; a broadcast connect has `onElement` (the
 * ordinary side) and `onBroadcastElement`, and declares its broadcast states; an interval
 * join needs no actions at all, only its bounds and a `select` expression over the pair.
 */
import { compileExpression, ExprSyntaxError, staticKindOf } from '../../expr/index.ts';
import type { ActionSpec, StateSpec } from '../process/index.ts';

/** `connect` without broadcast state: Flink's (Keyed)CoProcessFunction. @example { keyed: true, state: [], onElement1: [], onElement2: [], onTimer: [] } */
export interface CoProcessSpec {
  readonly keyed: boolean;
  readonly state: readonly StateSpec[];
  readonly onElement1: readonly ActionSpec[];
  readonly onElement2: readonly ActionSpec[];
  readonly onTimer: readonly ActionSpec[];
}

/** `connect` with broadcast state: Flink's (Keyed)BroadcastProcessFunction; input 2 is broadcast. @example { keyed: false, state: [], broadcastState: ['rules'], onElement: [], onBroadcastElement: [], onTimer: [] } */
export interface BroadcastConnectSpec {
  readonly keyed: boolean;
  readonly state: readonly StateSpec[];
  /** The names of the broadcast states (Flink's MapStateDescriptors). */
  readonly broadcastState: readonly string[];
  readonly onElement: readonly ActionSpec[];
  readonly onBroadcastElement: readonly ActionSpec[];
  readonly onTimer: readonly ActionSpec[];
}

/** The names a join's `select` expression sees; it has no record of its own. @example compileExpression('{ride: left, fare: right}', { bindings: JOIN_BINDINGS }) */
export const JOIN_BINDINGS: readonly string[] = ['left', 'right', 'leftTimestamp', 'rightTimestamp'];

/**
 * Why a join's `select` cannot be used, or null: it does not parse, or it reads a record
 * field (there are two records: name them `left` and `right`).
 * @example selectProblem('{a: left.x, b: y}') // "select sees left, right, leftTimestamp, rightTimestamp; 'y' is not one of them (...)"
 */
export function selectProblem(source: string): string | null {
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings: JOIN_BINDINGS }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (fields.length === 0) return null;
  return `select sees ${JOIN_BINDINGS.join(', ')} and $timestamp (the pair's); ${fields.map((f) => `'${f}'`).join(', ')} ${fields.length === 1 ? 'is' : 'are'} not one of them (read a field of a side as left.${fields[0]} or right.${fields[0]})`;
}

/**
 * The names a window join's `select` and a coGroup's `apply` see: the two sides (an
 * element each for a join, a list each for a coGroup), the key and the window (`{start,
 * end}`). There is no record of its own; `$timestamp` is the window's max timestamp.
 */
export const WINDOW_JOIN_BINDINGS: readonly string[] = ['left', 'right', 'key', 'window'];

/**
 * Why a window join's `select` or a coGroup's `apply` cannot be used, or null: it does not
 * parse, or it reads a record field.
 * @example windowJoinExpressionProblem('{a: left.x, b: y}', 'select') // "select sees left, right, key, window; 'y' is not one of them (...)"
 */
export function windowJoinExpressionProblem(source: string, field: 'select' | 'apply'): string | null {
  let fields: readonly string[];
  try {
    fields = compileExpression(source, { bindings: WINDOW_JOIN_BINDINGS }).fields;
  } catch (e) {
    if (e instanceof ExprSyntaxError) return `expression does not parse: ${e.message}`;
    throw e;
  }
  if (fields.length === 0) {
    const kind = field === 'apply' ? staticKindOf(source) : null;
    return kind === null || kind === 'list' ? null : `apply gives the list of records to emit, and this expression is always ${kind === 'object' ? 'an object' : `a ${kind}`}: wrap it in a list, [${source.trim()}]`;
  }
  const sides = field === 'select' ? 'left and right are the pair' : 'left and right are the lists of each side';
  return `${field} sees ${WINDOW_JOIN_BINDINGS.join(', ')} (${sides}) and $timestamp (the window's end - 1); ${fields.map((f) => `'${f}'`).join(', ')} ${fields.length === 1 ? 'is' : 'are'} not one of them`;
}
