/**
 * Two-input operators: connect (CoMap, CoFlatMap, CoProcess, KeyedCoProcess), the
 * broadcast state pattern, and the interval join; see docs/two-inputs.md.
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
export { JOIN_BINDINGS, selectProblem, type BroadcastConnectSpec, type CoProcessSpec } from './two-input-spec.ts';
export { broadcastProcessFunctionFromSpec, coProcessFunctionFromSpec, joinFunctionFromSelect } from './from-spec.ts';
