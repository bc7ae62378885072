/**
 * The operators layer: the operator contracts and one file per operator.
 */
export * from './operator.ts';
export * from './user-function.ts';
export { MapOperator } from './map.ts';
export { FilterOperator } from './filter.ts';
export { FlatMapOperator } from './flat-map.ts';
export { PrintSink } from './print-sink.ts';
export { SequenceSource } from './sequence-source.ts';
export type { SequenceItemSpec } from './source-items.ts';
export { WatermarkGenerator, type WatermarkStrategySpec } from './watermark-strategy.ts';
export { CollectSink, type SinkFunction } from './collect-sink.ts';
export {
  CheckpointedFunctionHost,
  isCheckpointedFunction,
  type CheckpointedFunction,
  type FunctionInitializationContext,
  type FunctionSnapshotContext,
} from './checkpointed-function.ts';
export { CheckpointedOperator } from './checkpointed-operator.ts';
export { DedupOperator, bloomSizing, bitsPerKeyGroup, MAX_BLOOM_BITS, type DedupFilterSpec } from './dedup/index.ts';
export { extremumByAggregate, EXTREMUM_BY_KINDS, type ExtremumBySpec } from './extremum-by.ts';
export {
  AGGREGATE_FUNCTION_BINDINGS,
  AGGREGATE_FUNCTION_FIELDS,
  aggregateFunctionProblem,
  expressionAggregate,
  type AggregateFunctionSpec,
} from './aggregate-function-spec.ts';
export {
  createWindowOperator,
  WindowOperator,
  AGGREGATE_KINDS,
  aggregateOf,
  aggregateSubject,
  describeAggregate,
  namedAggregate,
  describeAssigner,
  type TimeWindow,
  type WindowAggregate,
  type WindowAggregateSpec,
  type WindowAssignerSpec,
  type WindowOperatorConfig,
  type WindowTime,
  type WindowTriggerSpec,
  GLOBAL_WINDOW,
  isGlobalWindow,
  windowJson,
  canMerge,
  DELTA_BINDINGS,
  EVICTOR_TYPES,
  TRIGGER_TYPES,
  WINDOW_STAGGERS,
  type DeltaFunctionSpec,
  type SessionGapSpec,
  type WindowEvictorSpec,
  type WindowStagger,
  MAX_WINDOW_ASSIGNMENTS,
} from './windows/index.ts';
export {
  createKeyedProcessOperator,
  KeyedProcessOperator,
  ProcessOperator,
  processFunctionFromSpec,
  aggregatingState,
  enableTimeToLive,
  ttlConfigOf,
  listState,
  mapState,
  reducingState,
  valueState,
  PROCESS_LIMITS,
  AGGREGATE_BINDINGS,
  aggregateProblem,
  ACTION_FIELDS,
  ACTION_KINDS,
  DEFAULT_ITEM_NAME,
  HANDLER_BINDINGS,
  STATE_ACTIONS,
  STATE_KINDS,
  TIME_DOMAINS,
  expressionProblem,
  isPlainName,
  itemNameProblem,
  reduceProblem,
  stateUseProblem,
  needsKey,
  type ActionKind,
  type ActionSpec,
  type AggregatingStateDescriptor,
  type Collector,
  type KeyedProcessFunction,
  type ProcessFunction,
  type OnTimerContext,
  type ProcessContext,
  type ProcessHandler,
  type ProcessSpec,
  type OperatorStateSpec,
  type StateDescriptor,
  type StateDescriptors,
  type StateKind,
  type StateSpec,
  type StateTtlSpec,
  type TimeDomain,
  type TimerService,
} from './process/index.ts';
export * from './two-input/index.ts';
