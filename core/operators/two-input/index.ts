/**
 * Two-input operators: connect (CoMap, CoFlatMap, CoProcess, KeyedCoProcess), the
 * broadcast state pattern, the interval join, and the window join and coGroup; see
 * docs/two-inputs.md.
 */
export { CombinedWatermark, type InputIndex } from './combined-watermark.ts';
export { AbstractTwoInputOperator } from './two-input-base.ts';
export type { CoFlatMapFunction, CoMapFunction, CoProcessContext, CoProcessFunction, KeyedCoProcessFunction, ProcessJoinContext, ProcessJoinFunction } from './co-functions.ts';
export type {
  BroadcastContext,
  BroadcastProcessFunction,
  BroadcastStateRef,
  KeyedBroadcastOnTimerContext,
  KeyedBroadcastContext,
  KeyedBroadcastProcessFunction,
  KeyedReadOnlyContext,
  ReadOnlyBroadcastContext,
} from './broadcast-functions.ts';
export { BroadcastStateStore, mapStateDescriptor, type BroadcastState, type BroadcastStateDescriptor, type ReadOnlyBroadcastState } from './broadcast-state.ts';
export { CoStreamFlatMap, CoStreamMap } from './co-map-operator.ts';
export { CoProcessOperator, type KeyFunction } from './co-process-operator.ts';
export { BroadcastProcessOperator } from './broadcast-process-operator.ts';
export {
  CLEANUP_NAMESPACE_LEFT,
  CLEANUP_NAMESPACE_RIGHT,
  intervalBoundsProblem,
  IntervalJoinOperator,
  type IntervalJoinBounds,
  type IntervalJoinConfig,
} from './interval-join-operator.ts';
export { NEEDS_KEYED_STATE, NEEDS_KEYED_TIMERS } from './function-scope.ts';
export { JOIN_BINDINGS, WINDOW_JOIN_BINDINGS, windowJoinExpressionProblem, selectProblem, type BroadcastConnectSpec, type CoProcessSpec } from './two-input-spec.ts';
export { broadcastProcessFunctionFromSpec, coGroupFunctionFromApply, coProcessFunctionFromSpec, joinFunctionFromSelect, windowJoinFunctionFromSelect } from './from-spec.ts';
export { CoGroupWindowOperator, FIRST_TAG, joinAsCoGroup, SECOND_TAG, type CoGroupFunction, type CoGroupWindowConfig, type JoinFunction, type JoinWindowConfig } from './window-join-operator.ts';
