/**
 * Weir's public entry: everything the `weir` command, the playground and the benchmarks
 * may use. Nothing outside core/ imports a deeper path (tests may also use testing.ts).
 */
export * from './kernel/index.ts';
export * from './model/index.ts';
export * from './trace/index.ts';
export { compileExpression, ExprRuntimeError, ExprSyntaxError, type CompiledExpr } from './expr/index.ts';
export * from './api/index.ts';
export * from './graph/index.ts';
export * from './world/index.ts';
export {
  listState,
  mapState,
  reducingState,
  valueState,
  aggregatingState,
  enableTimeToLive,
  type AggregatingStateDescriptor,
  type CheckpointedFunction,
  type FunctionInitializationContext,
  type FunctionSnapshotContext,
  type KeyedProcessFunction,
  type TimeWindow,
  GLOBAL_WINDOW,
  isGlobalWindow,
  mapStateDescriptor,
  type BroadcastContext,
  type BroadcastProcessFunction,
  type BroadcastState,
  type BroadcastStateDescriptor,
  type CoFlatMapFunction,
  type CoMapFunction,
  type CoProcessContext,
  type CoProcessFunction,
  type KeyedBroadcastContext,
  type KeyedBroadcastProcessFunction,
  type KeyedCoProcessFunction,
  type KeyedReadOnlyContext,
  type ProcessJoinContext,
  type ProcessJoinFunction,
  type CoGroupFunction,
  type JoinFunction,
  type ReadOnlyBroadcastContext,
  type ReadOnlyBroadcastState,
} from './operators/index.ts';
export { Client, JobManager, type RestartRecord } from './runtime/index.ts';
export { networkView, targetIndexes, type NetworkView, type ChannelView, type SubtaskNetworkView, type BufferOnTheWire, type ElementCounts } from './runtime/index.ts';
export { subtaskStateView, type SubtaskStateView, type OperatorStateView, type StateEntryView, type TimerView, type WindowBounds } from './runtime/index.ts';
export type { CheckpointStats, CompletedCheckpoint, TaskSnapshot, ChannelStateSnapshot } from './checkpoint/index.ts';
export type { OperatorSnapshot, KeyGroupSnapshot } from './state/index.ts';
export {
  AggregatingState,
  OperatorStateStore,
  StateTtlConfig,
  StateTtlConfigBuilder,
  StateVisibility,
  UpdateType,
  type OperatorListState,
  type TtlStateVisibility,
  type TtlUpdateType,
} from './state/index.ts';
export { createSimulation, restoreSimulation, DEFAULT_SLOT_REQUEST_TIMEOUT_MS, type Simulation, type SimulationOptions, type SimulationSnapshot } from './simulation.ts';
export { buildReport, REPORT_FORMAT, type ReportCheckpoint, type ReportDedup, type ReportFault, type ReportRecord, type ReportRestart, type RunReport } from './report.ts';
export { checkExpectations, type ExpectationFailure } from './expectations.ts';
export type { FaultOutcome } from './faults/index.ts';
export * from './check/index.ts';
export * from './campaign/index.ts';
export {
  ArrayPartition,
  TopicSource,
  generateTaxiTopic,
  rideFacts,
  taxiFare,
  taxiRecords,
  taxiRide,
  TAXI_BEGINNING_MS,
  TAXI_LAT_RANGE,
  TAXI_LON_RANGE,
  type PartitionLog,
  type RideFacts,
  type TaxiFare,
  type TaxiGenerator,
  type TaxiRecord,
  type TaxiRide,
  type Topic,
  type TopicRecord,
} from './connectors/index.ts';
