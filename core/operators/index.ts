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
export { DedupOperator, bloomSizing, bitsPerKeyGroup, MAX_BLOOM_BITS, type DedupFilterSpec } from './dedup/index.ts';
export { extremumByAggregate, EXTREMUM_BY_KINDS, type ExtremumBySpec } from './extremum-by.ts';
export {
  createWindowOperator,
  WindowOperator,
  AGGREGATE_KINDS,
  describeAggregate,
  describeAssigner,
  type TimeWindow,
  type WindowAggregate,
  type WindowAggregateSpec,
  type WindowAssignerSpec,
  type WindowOperatorConfig,
  type WindowTime,
  type WindowTriggerSpec,
} from './windows/index.ts';
export {
  createKeyedProcessOperator,
  KeyedProcessOperator,
  processFunctionFromSpec,
  listState,
  mapState,
  reducingState,
  valueState,
  PROCESS_LIMITS,
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
  type ActionKind,
  type ActionSpec,
  type Collector,
  type KeyedProcessFunction,
  type OnTimerContext,
  type ProcessContext,
  type ProcessHandler,
  type ProcessSpec,
  type StateDescriptor,
  type StateDescriptors,
  type StateKind,
  type StateSpec,
  type TimeDomain,
  type TimerService,
} from './process/index.ts';
export * from './two-input/index.ts';
